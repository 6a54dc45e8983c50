-- Total spend (and other size figures) per market, period and source.
SELECT market_name, metric, period_label, period_start, period_end, value, currency, qualifier,
       source_title, citation, source_id, unit, period_order
FROM marts.figures
WHERE metric IN (SELECT metric_name FROM core.dim_metric WHERE fact_table = 'market_size')
