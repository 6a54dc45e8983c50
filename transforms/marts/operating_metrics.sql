-- Operating counts and measures (customers, nodes, regions, speeds...) per provider and source.
SELECT entity_name AS provider_name, is_group, metric, market_name, period_label, period_start, period_end,
       value, unit, qualifier, source_title, citation, source_id, period_order
FROM marts.figures
WHERE metric IN (SELECT metric_name FROM core.dim_metric WHERE fact_table = 'operating_metrics')
