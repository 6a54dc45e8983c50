-- The most recent publication date among the source documents.
SELECT max(published_date) AS newest_published, count(*) AS sources FROM core.dim_source
