-- Each current source document with its key: its version and its source_key (a figure's and a citation's keys
-- are built from it, transforms/core/dim_citation.sql and transforms/intermediate/int_figures.sql).
SELECT source_id, source_key, content_hash || ':' || source_key AS signature
FROM core.dim_source
