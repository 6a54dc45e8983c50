-- Grain: one size figure (e.g. total spend) stated by one source for one market and period.
SELECT figure_key, market_key, period_key, metric_key, source_key, citation_key,
       value, currency, qualifier, value_as_stated, magnitude, note, source_line,
       getvariable('refresh_id') AS refresh_id
FROM intermediate.int_figures
WHERE fact_table = 'market_size'
