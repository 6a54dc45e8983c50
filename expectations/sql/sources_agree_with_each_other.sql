-- The same entity, metric, market and period stated with different values by two sources.
SELECT a.entity_name, a.metric, a.market_name, a.period_label, a.source_id AS source_a, a.value AS value_a,
       a.qualifier AS qualifier_a, b.source_id AS source_b, b.value AS value_b, b.qualifier AS qualifier_b
FROM {batch} AS a
JOIN {batch} AS b ON a.entity_name IS NOT DISTINCT FROM b.entity_name AND a.metric = b.metric
    AND a.market_name IS NOT DISTINCT FROM b.market_name AND a.period_label = b.period_label
    AND a.source_id < b.source_id
WHERE a.period_label <> 'unspecified' AND a.value <> b.value
