-- Provider groups from the current reference file, trimmed.
SELECT trim(provider_group) AS provider_group_name, nullif(trim(description), '') AS description, file_name, line_no
FROM raw.provider_groups JOIN raw.current_files USING (file_name, content_hash)
