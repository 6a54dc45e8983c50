-- Grain: one share or rank stated by one source for one provider or group, in one market and period.
SELECT figure_key, provider_key, provider_group_key, market_key, period_key, metric_key, source_key, citation_key,
       CASE WHEN metric_unit = 'pct' THEN value END AS share_pct,
       CASE WHEN metric_unit = 'rank' THEN CAST(value AS INTEGER) END AS rank,
       qualifier, value_as_stated, note, source_line,
       getvariable('refresh_id') AS refresh_id
FROM intermediate.int_figures
WHERE fact_table = 'market_share'
