-- Grain: one financial figure (revenue, growth, multiple, investment) stated by one source for one
-- provider or group and period.
SELECT figure_key, provider_key, provider_group_key, market_key, period_key, metric_key, source_key, citation_key,
       value, currency, qualifier, value_as_stated, magnitude, note, source_line,
       getvariable('refresh_id') AS refresh_id
FROM intermediate.int_figures
WHERE fact_table = 'provider_financials'
