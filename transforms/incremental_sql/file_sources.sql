-- Each current figure file as a source, before the dimensions are built: its source_id and its version.
SELECT regexp_replace(file_name, '\.csv$', '') AS source_id, NULL::INTEGER AS source_key, content_hash AS signature
FROM raw.current_files
WHERE file_kind = 'figures'
