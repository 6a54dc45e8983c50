-- Citations a source document gives for its figures (a report, a reference number).
SELECT row_number() OVER (ORDER BY c.source_id, c.citation)::INTEGER AS citation_key,
       s.source_key, c.citation, c.citation_text
FROM staging.stg_citations AS c
JOIN core.dim_source AS s USING (source_id)
