-- Spending in each market per period, with the figure that states it. Where several sources state
-- one, the most recently published source's figure; the $markets markets with the most figures, each
-- with its $periods latest periods (undated periods last).
WITH stated AS (
    SELECT m.market_name, m.metric, m.period_label, m.period_start, m.value, m.currency, m.qualifier, f.figure_key
    FROM marts.market_size AS m
    LEFT JOIN marts.figures AS f
           ON f.metric = m.metric AND f.market_name = m.market_name AND f.period_label = m.period_label
          AND f.source_id = m.source_id
    WHERE m.metric = 'market_spend'
    QUALIFY row_number() OVER (PARTITION BY m.market_name, m.period_label, m.currency
                               ORDER BY try_cast(f.source_published AS DATE) DESC NULLS LAST, f.figure_key) = 1
),
markets AS (
    SELECT market_name FROM stated GROUP BY market_name ORDER BY count(*) DESC, market_name LIMIT $markets
)
SELECT market_name, metric, period_label, period_start, value, currency, qualifier, figure_key
FROM stated
WHERE market_name IN (SELECT market_name FROM markets)
QUALIFY dense_rank() OVER (PARTITION BY market_name ORDER BY period_start DESC NULLS LAST, period_label DESC)
        <= $periods
ORDER BY market_name, period_start NULLS LAST, period_label
