-- Every stated figure, one row each, with its dimensions spelled out and its source beside it.
WITH facts AS (
    SELECT figure_key, provider_key, provider_group_key, market_key, period_key, metric_key, source_key,
           citation_key, coalesce(share_pct, rank) AS value, NULL AS currency, qualifier, value_as_stated,
           NULL AS magnitude, note, source_line
    FROM core.fct_market_share
    UNION ALL BY NAME SELECT * FROM core.fct_provider_financials
    UNION ALL BY NAME SELECT * FROM core.fct_market_size
    UNION ALL BY NAME SELECT * FROM core.fct_operating_metrics
)
SELECT
    f.figure_key,
    coalesce(p.provider_name, g.provider_group_name) AS entity_name,
    CASE WHEN f.provider_key IS NOT NULL THEN FALSE WHEN f.provider_group_key IS NOT NULL THEN TRUE END AS is_group,
    m.metric_name AS metric,
    coalesce(f.currency, m.unit) AS unit,
    f.currency,
    mk.market_name,
    pe.period_label,
    pe.period_grain,
    pe.start_date AS period_start,
    pe.end_date AS period_end,
    f.value,
    f.qualifier,
    f.value_as_stated,
    f.magnitude,
    s.title AS source_title,
    nullif(s.outlet, 'unknown') AS source_outlet,
    s.published_label AS source_published,
    c.citation,
    c.citation_text,
    f.note,
    s.source_id,
    s.file_name AS source_file,
    f.source_line,
    s.content_hash AS source_version,
    CASE WHEN f.provider_key IS NOT NULL THEN 'provider' WHEN f.provider_group_key IS NOT NULL THEN 'provider_group'
         ELSE 'whole_market' END AS entity_kind,
    s.published_date AS source_published_date,
    pe.period_order
FROM facts AS f
JOIN core.dim_metric AS m USING (metric_key)
JOIN core.dim_period AS pe USING (period_key)
JOIN core.dim_source AS s USING (source_key)
LEFT JOIN core.dim_provider AS p USING (provider_key)
LEFT JOIN core.dim_provider_group AS g USING (provider_group_key)
LEFT JOIN core.dim_market AS mk USING (market_key)
LEFT JOIN core.dim_citation AS c USING (citation_key)
