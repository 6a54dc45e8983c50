-- Which provider belongs to which group, from the current reference file.
SELECT trim(provider_group) AS provider_group_name, trim(provider) AS provider_name, file_name, line_no
FROM raw.provider_group_members JOIN raw.current_files USING (file_name, content_hash)
