-- Total spend in a market per period: the $markets markets with the most of these figures, each with
-- its $periods latest periods (undated periods last).
WITH spend AS (
    SELECT market_name, period_label, period_start, value, currency, qualifier, figure_key
    FROM newest_figures
    WHERE metric = 'market_spend'
)
SELECT market_name, period_label, value, currency, qualifier, figure_key
FROM spend
WHERE market_name IN (SELECT market_name FROM spend GROUP BY ALL ORDER BY count(*) DESC, market_name LIMIT $markets)
QUALIFY dense_rank() OVER (PARTITION BY market_name ORDER BY period_start DESC NULLS LAST, period_label DESC)
        <= $periods
ORDER BY market_name, period_start NULLS LAST, period_label
