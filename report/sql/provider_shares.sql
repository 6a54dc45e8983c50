-- Each provider's (not group's) share of a market in a period, and its rank where stated: the $markets
-- markets with the most shares, each with its $periods latest periods (undated periods last).
WITH shares AS (
    SELECT s.market_name, s.period_label, s.period_start, s.entity_name AS provider_name, s.value AS share_pct,
           s.qualifier, r.value::INTEGER AS rank, s.figure_key
    FROM newest_figures AS s
    LEFT JOIN newest_figures AS r
           ON r.metric = 'market_rank' AND r.entity_name = s.entity_name AND r.market_name = s.market_name
          AND r.period_label = s.period_label
    WHERE s.metric = 'market_share' AND NOT s.is_group
)
SELECT *
FROM shares
WHERE market_name IN (SELECT market_name FROM shares GROUP BY ALL ORDER BY count(*) DESC, market_name LIMIT $markets)
QUALIFY dense_rank() OVER (PARTITION BY market_name ORDER BY period_start DESC NULLS LAST, period_label DESC)
        <= $periods
ORDER BY market_name, period_start NULLS LAST, period_label, share_pct DESC, provider_name
