-- Each provider's and provider group's share of a market over time, as reconciled: one answer per entity,
-- market and period with real bounds (marts.reconciled_figures, chosen by its documented rule), in period
-- order, with its qualifier and whether the sources stating it disagree. The $markets markets with the
-- most such shares over at least two periods, each with its $providers entities with the most periods.
WITH shares AS (
    SELECT market_name, entity_name, is_group, period_label, period_start, period_order, value AS share_pct,
           qualifier, NOT agrees AS sources_disagree, figure_key,
           count(*) OVER (PARTITION BY market_name, entity_name) AS periods
    FROM marts.reconciled_figures
    WHERE metric = 'market_share'
),
markets AS (
    SELECT market_name FROM shares
    GROUP BY ALL HAVING count(DISTINCT period_label) > 1
    ORDER BY count(*) DESC, market_name LIMIT $markets
)
SELECT market_name, entity_name, is_group, period_label, period_start, share_pct, qualifier, sources_disagree,
       figure_key
FROM shares
WHERE market_name IN (SELECT market_name FROM markets)
QUALIFY dense_rank() OVER (PARTITION BY market_name ORDER BY periods DESC, entity_name) <= $providers
ORDER BY market_name, period_order, entity_name
