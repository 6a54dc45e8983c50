-- Market size (total spend) per market and period, in period order, from marts.reconciled_figures, with growth
-- against the previous period of the same grain (the one ending the day before this one starts) and against the
-- same period a year earlier, in the same currency. Growth is derived here (value ÷ earlier value − 1, in
-- percent), only between point values (exact or approx: a bound has no growth), and exact only when both are.
WITH sizes AS (
    SELECT market_name, metric, unit, currency, period_label, period_grain, period_start, period_end, period_order,
           value, qualifier, qualifier IN ('exact', 'approx') AS is_point, n_sources, agrees, tie_disagrees, source_id
    FROM marts.reconciled_figures
    WHERE metric IN (SELECT metric_name FROM core.dim_metric WHERE fact_table = 'market_size')
)
SELECT s.market_name, s.metric, s.unit, s.currency, s.period_label, s.period_grain, s.period_start, s.period_end,
       s.period_order, s.value, s.qualifier, s.n_sources, s.agrees, s.tie_disagrees, s.source_id,
       p.period_label AS previous_period_label, p.value AS previous_value,
       CASE WHEN s.is_point AND p.is_point AND p.value <> 0 THEN round((s.value / p.value - 1) * 100, 2)
       END AS growth_vs_previous_pct,
       CASE WHEN s.is_point AND p.is_point AND p.value <> 0 THEN
           CASE WHEN s.qualifier = 'exact' AND p.qualifier = 'exact' THEN 'exact' ELSE 'approx' END
       END AS growth_vs_previous_qualifier,
       y.period_label AS year_ago_period_label, y.value AS year_ago_value,
       CASE WHEN s.is_point AND y.is_point AND y.value <> 0 THEN round((s.value / y.value - 1) * 100, 2)
       END AS growth_vs_year_ago_pct,
       CASE WHEN s.is_point AND y.is_point AND y.value <> 0 THEN
           CASE WHEN s.qualifier = 'exact' AND y.qualifier = 'exact' THEN 'exact' ELSE 'approx' END
       END AS growth_vs_year_ago_qualifier,
       'value ÷ earlier value − 1' AS derivation
FROM sizes AS s
LEFT JOIN sizes AS p ON p.market_name = s.market_name AND p.metric = s.metric AND p.unit = s.unit
    AND p.period_grain = s.period_grain AND p.period_end = s.period_start - 1
LEFT JOIN sizes AS y ON y.market_name = s.market_name AND y.metric = s.metric AND y.unit = s.unit
    AND y.period_grain = s.period_grain AND y.period_start = (s.period_start - INTERVAL 1 YEAR)::DATE
    AND y.period_end = (s.period_end - INTERVAL 1 YEAR)::DATE
ORDER BY s.market_name, s.metric, s.unit, s.period_order
