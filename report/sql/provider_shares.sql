-- Each provider's (not group's) share of a market in a period, with the figure that states it. Where
-- several sources state one, the most recently published source's figure; the $markets markets with
-- the most shares, each with its $periods latest periods (undated periods last).
WITH stated AS (
    SELECT s.market_name, s.period_label, s.period_start, s.provider_name, s.share_pct, s.qualifier, s.rank,
           f.figure_key
    FROM marts.market_share AS s
    LEFT JOIN marts.figures AS f
           ON f.metric = 'market_share' AND f.entity_name = s.provider_name AND f.market_name = s.market_name
          AND f.period_label = s.period_label AND f.source_id = s.source_id
    WHERE NOT s.is_group AND s.share_pct IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY s.market_name, s.period_label, s.provider_name
                               ORDER BY try_cast(f.source_published AS DATE) DESC NULLS LAST, f.figure_key) = 1
),
markets AS (
    SELECT market_name FROM stated GROUP BY market_name ORDER BY count(*) DESC, market_name LIMIT $markets
)
SELECT market_name, period_label, period_start, provider_name, share_pct, qualifier, rank, figure_key
FROM stated
WHERE market_name IN (SELECT market_name FROM markets)
QUALIFY dense_rank() OVER (PARTITION BY market_name ORDER BY period_start DESC NULLS LAST, period_label DESC)
        <= $periods
ORDER BY market_name, period_start NULLS LAST, period_label, share_pct DESC, provider_name
