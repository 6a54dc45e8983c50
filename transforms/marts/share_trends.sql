-- Each provider's and group's market share per market and period, in period order, from marts.reconciled_figures,
-- with the change in percentage points against the previous period of the same grain (the one ending the day
-- before this one starts) and against the same period a year earlier. The changes are derived here, only between
-- point values (exact or approx: a bound has no change), and exact only when both shares are.
SELECT entity_name AS provider_name, is_group, market_name, period_label, period_grain, period_start, period_end,
       period_order, value AS share_pct, qualifier, n_sources, agrees, tie_disagrees, source_id,
       previous_period_label, previous_value AS previous_share_pct,
       CASE WHEN vs_previous_qualifier IS NOT NULL THEN value - previous_value END AS change_vs_previous_pts,
       vs_previous_qualifier AS change_vs_previous_qualifier,
       year_ago_period_label, year_ago_value AS year_ago_share_pct,
       CASE WHEN vs_year_ago_qualifier IS NOT NULL THEN value - year_ago_value END AS change_vs_year_ago_pts,
       vs_year_ago_qualifier AS change_vs_year_ago_qualifier
FROM marts.reconciled_figures
WHERE metric = 'market_share'
ORDER BY market_name, is_group, provider_name, period_order
