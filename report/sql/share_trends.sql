-- Each provider's and provider group's share of a market over time: one row per entity, market and
-- period with real bounds (undated periods left out), in period order, with the newest source's value and
-- qualifier and whether the sources stating it disagree. The $markets markets with the most such shares
-- over at least two periods, each with its $providers entities with the most periods.
-- (The query to swap for marts.share_trends once that mart is published.)
WITH spread AS (
    SELECT entity_name, market_name, period_label, count(DISTINCT value) > 1 AS sources_disagree
    FROM marts.figures
    WHERE metric = 'market_share'
    GROUP BY ALL
),
shares AS (
    SELECT n.market_name, n.entity_name, n.is_group, n.period_label, n.period_start, n.value AS share_pct,
           n.qualifier, s.sources_disagree, n.figure_key,
           count(*) OVER (PARTITION BY n.market_name, n.entity_name) AS periods
    FROM newest_figures AS n
    JOIN spread AS s USING (entity_name, market_name, period_label)
    WHERE n.metric = 'market_share' AND n.period_start IS NOT NULL
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
ORDER BY market_name, period_start, period_label, entity_name
