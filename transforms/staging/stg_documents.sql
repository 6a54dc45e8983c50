-- Bibliographic facts of the current version of every source document.
SELECT regexp_replace(file_name, '\.csv$', '') AS source_id, file_name, content_hash,
       trim(title) AS title, coalesce(nullif(trim(outlet), ''), 'unknown') AS outlet,
       coalesce(nullif(trim(author), ''), 'unknown') AS author,
       trim(published) AS published_label, try_strptime(trim(published), '%Y-%m-%d')::DATE AS published_date,
       coalesce(nullif(trim(url), ''), 'unknown') AS url, s.first_loaded_at AS loaded_at
FROM raw.documents JOIN raw.current_files USING (file_name, content_hash)
JOIN raw.source_files AS s USING (file_name, content_hash)
