-- Each provider group's share of a market in a period, with the figure that states it. Where several
-- sources state one, the most recently published source's figure; the $markets group-and-market pairs
-- with the most figures, each with its $periods latest periods (undated periods last).
WITH stated AS (
    SELECT g.provider_group_name, g.market_name, g.period_label, f.period_start, g.group_pct, g.qualifier,
           f.figure_key
    FROM marts.group_shares AS g
    LEFT JOIN marts.figures AS f
           ON f.metric = 'market_share' AND f.entity_name = g.provider_group_name AND f.market_name = g.market_name
          AND f.period_label = g.period_label AND f.source_id = g.source_id
    QUALIFY row_number() OVER (PARTITION BY g.provider_group_name, g.market_name, g.period_label
                               ORDER BY try_cast(f.source_published AS DATE) DESC NULLS LAST, f.figure_key) = 1
),
pairs AS (
    SELECT provider_group_name, market_name FROM stated GROUP BY ALL
    ORDER BY count(*) DESC, provider_group_name, market_name LIMIT $markets
)
SELECT provider_group_name, market_name, period_label, period_start, group_pct, qualifier, figure_key
FROM stated SEMI JOIN pairs USING (provider_group_name, market_name)
QUALIFY dense_rank() OVER (PARTITION BY provider_group_name, market_name
                           ORDER BY period_start DESC NULLS LAST, period_label DESC) <= $periods
ORDER BY provider_group_name, market_name, period_start NULLS LAST, period_label
