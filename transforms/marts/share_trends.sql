-- Each provider's and group's market share per market and period, in period order, from marts.reconciled_figures,
-- with the change in percentage points against the previous period of the same grain (the one ending the day
-- before this one starts) and against the same period a year earlier. The changes are derived here, only between
-- point values (exact or approx: a bound has no change), and exact only when both shares are.
WITH shares AS (
    SELECT entity_name AS provider_name, is_group, market_name, period_label, period_grain, period_start, period_end,
           period_order, value AS share_pct, qualifier, qualifier IN ('exact', 'approx') AS is_point, n_sources,
           agrees, tie_disagrees, source_id
    FROM marts.reconciled_figures
    WHERE metric = 'market_share'
)
SELECT s.provider_name, s.is_group, s.market_name, s.period_label, s.period_grain, s.period_start, s.period_end,
       s.period_order, s.share_pct, s.qualifier, s.n_sources, s.agrees, s.tie_disagrees, s.source_id,
       p.period_label AS previous_period_label, p.share_pct AS previous_share_pct,
       CASE WHEN s.is_point AND p.is_point THEN s.share_pct - p.share_pct END AS change_vs_previous_pts,
       CASE WHEN s.is_point AND p.is_point THEN
           CASE WHEN s.qualifier = 'exact' AND p.qualifier = 'exact' THEN 'exact' ELSE 'approx' END
       END AS change_vs_previous_qualifier,
       y.period_label AS year_ago_period_label, y.share_pct AS year_ago_share_pct,
       CASE WHEN s.is_point AND y.is_point THEN s.share_pct - y.share_pct END AS change_vs_year_ago_pts,
       CASE WHEN s.is_point AND y.is_point THEN
           CASE WHEN s.qualifier = 'exact' AND y.qualifier = 'exact' THEN 'exact' ELSE 'approx' END
       END AS change_vs_year_ago_qualifier
FROM shares AS s
LEFT JOIN shares AS p ON p.provider_name = s.provider_name AND p.market_name = s.market_name
    AND p.period_grain = s.period_grain AND p.period_end = s.period_start - 1
LEFT JOIN shares AS y ON y.provider_name = s.provider_name AND y.market_name = s.market_name
    AND y.period_grain = s.period_grain AND y.period_start = (s.period_start - INTERVAL 1 YEAR)::DATE
    AND y.period_end = (s.period_end - INTERVAL 1 YEAR)::DATE
ORDER BY s.market_name, s.is_group, s.provider_name, s.period_order
