-- Total spend in a market over time, as reconciled: one row per market, currency and period with real
-- bounds (marts.reconciled_figures), in period order. The $markets markets with spend stated for the most
-- periods, at least two.
WITH spend AS (
    SELECT market_name, currency, period_label, period_start, period_order, value, qualifier, figure_key
    FROM marts.reconciled_figures
    WHERE metric = 'market_spend'
)
SELECT market_name, currency, period_label, period_start, value, qualifier, figure_key
FROM spend
WHERE (market_name, currency) IN (
    SELECT (market_name, currency) FROM spend GROUP BY ALL HAVING count(*) > 1
    ORDER BY count(*) DESC, 1 LIMIT $markets)
ORDER BY currency, market_name, period_order
