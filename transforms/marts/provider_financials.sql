-- Revenue, growth, revenue multiples and investment per provider or group, period and source.
SELECT entity_name AS provider_name, is_group, metric, period_label, period_start, period_end,
       value, currency, unit, qualifier, source_title, citation, source_id, period_order
FROM marts.figures
WHERE metric IN (SELECT metric_name FROM core.dim_metric WHERE fact_table = 'provider_financials')
