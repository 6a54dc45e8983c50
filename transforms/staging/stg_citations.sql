-- The citations each source document gives, keyed as its figures refer to them.
SELECT regexp_replace(file_name, '\.csv$', '') AS source_id, trim(citation) AS citation,
       trim(citation_text) AS citation_text
FROM raw.citations JOIN raw.current_files USING (file_name, content_hash)
