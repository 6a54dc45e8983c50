-- Market size (total spend) per market and period, in period order, from marts.reconciled_figures, with growth
-- against the previous period of the same grain (the one ending the day before this one starts) and against the
-- same period a year earlier, in the same currency. Growth is derived here (value ÷ earlier value − 1, in
-- percent), only between point values (exact or approx: a bound has no growth), and exact only when both are.
SELECT market_name, metric, unit, currency, period_label, period_grain, period_start, period_end, period_order,
       value, qualifier, n_sources, agrees, tie_disagrees, source_id,
       previous_period_label, previous_value,
       if(vs_previous_qualifier IS NULL, NULL, round((value / nullif(previous_value, 0) - 1) * 100, 2))
           AS growth_vs_previous_pct,
       vs_previous_qualifier AS growth_vs_previous_qualifier,
       year_ago_period_label, year_ago_value,
       if(vs_year_ago_qualifier IS NULL, NULL, round((value / nullif(year_ago_value, 0) - 1) * 100, 2))
           AS growth_vs_year_ago_pct,
       vs_year_ago_qualifier AS growth_vs_year_ago_qualifier,
       'value ÷ earlier value − 1' AS derivation
FROM marts.reconciled_figures
WHERE metric IN (SELECT metric_name FROM core.dim_metric WHERE fact_table = 'market_size')
ORDER BY market_name, metric, unit, period_order
