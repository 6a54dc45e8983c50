-- Every current figure with the surrogate keys of its dimensions resolved.
-- figure_key: the source's key in the high 32 bits, the figure's line in the low ones, so a figure's key
-- does not move when another source changes (transforms/incremental.yml).
SELECT
    (s.source_key::BIGINT << 32) + f.line_no AS figure_key,
    p.provider_key,
    g.provider_group_key,
    mk.market_key,
    pe.period_key,
    s.source_key,
    c.citation_key,
    me.metric_key,
    me.fact_table,
    me.unit AS metric_unit,
    me.unit = 'currency' AS is_money,
    f.value,
    CASE WHEN me.unit = 'currency' THEN f.unit END AS currency,
    f.qualifier,
    f.value_as_stated,
    nullif(f.magnitude, 'one') AS magnitude,
    f.note,
    f.line_no AS source_line
FROM staging.stg_figures AS f
JOIN core.dim_metric AS me ON me.metric_name = f.metric_name
JOIN core.dim_period AS pe ON pe.period_label = f.period_label
JOIN core.dim_source AS s ON s.source_id = f.source_id
LEFT JOIN core.dim_provider AS p ON p.provider_name = f.entity_name
LEFT JOIN core.dim_provider_group AS g ON g.provider_group_name = f.entity_name
LEFT JOIN core.dim_market AS mk ON mk.market_name = f.market_name
LEFT JOIN core.dim_citation AS c ON c.source_key = s.source_key AND c.citation = f.citation
