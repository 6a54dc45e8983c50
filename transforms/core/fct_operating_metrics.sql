-- Grain: one operating count or measure (customers, nodes, latency, speed...) stated by one source
-- for one provider or group and period.
SELECT figure_key, provider_key, provider_group_key, market_key, period_key, metric_key, source_key, citation_key,
       value, qualifier, value_as_stated, magnitude, note, source_line,
       getvariable('refresh_id') AS refresh_id
FROM intermediate.int_figures
WHERE fact_table = 'operating_metrics'
