-- Total spend in a market over time: one row per market, currency and period with real bounds, in period
-- order (the newest source's figure). The $markets markets with spend stated for the most periods, at
-- least two.
WITH spend AS (
    SELECT market_name, currency, period_label, period_start, value, qualifier, figure_key
    FROM newest_figures
    WHERE metric = 'market_spend' AND period_start IS NOT NULL
)
SELECT *
FROM spend
WHERE (market_name, currency) IN (
    SELECT (market_name, currency) FROM spend GROUP BY ALL HAVING count(*) > 1
    ORDER BY count(*) DESC, 1 LIMIT $markets)
ORDER BY currency, market_name, period_start, period_label
