-- Citations a source document gives for its figures (a report, a reference number).
-- citation_key: the source's key in the high 32 bits, the citation's rank within its source in the low ones,
-- so a source's keys do not move when another source changes (transforms/incremental.yml).
SELECT (s.source_key::BIGINT << 32) + row_number() OVER (PARTITION BY c.source_id ORDER BY c.citation) AS citation_key,
       s.source_key, c.citation, c.citation_text
FROM staging.stg_citations AS c
JOIN core.dim_source AS s USING (source_id)
