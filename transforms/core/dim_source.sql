-- Source documents: title, outlet, author, publication date ('unknown' where the text gives none), file version.
SELECT row_number() OVER (ORDER BY source_id)::INTEGER AS source_key,
       source_id, title, outlet, author, published_date, published_label, url,
       file_name, content_hash, loaded_at
FROM staging.stg_documents
