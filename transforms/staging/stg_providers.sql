-- Providers from the current reference file, trimmed.
SELECT trim(provider) AS provider_name, nullif(trim(parent_company), '') AS parent_company,
       nullif(trim(headquarters_country), '') AS headquarters_country, trim(kind) AS provider_kind,
       file_name, line_no
FROM raw.providers JOIN raw.current_files USING (file_name, content_hash)
