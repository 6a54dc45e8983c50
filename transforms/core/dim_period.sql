-- Periods with real calendar bounds: quarter, half, year, span, day, point in time, or unspecified (no bounds).
-- period_order sorts them by start, then by grain from the shortest (point, day, quarter, half, year, span),
-- unspecified last; period_key follows the same order.
WITH ordered AS (
    SELECT *, row_number() OVER (
                  ORDER BY start_date NULLS LAST,
                           list_position(['point', 'day', 'quarter', 'half', 'year', 'span', 'unspecified'], period_grain),
                           end_date, period_label)::INTEGER AS period_order
    FROM staging.stg_periods
)
SELECT period_order AS period_key,
       period_label, period_grain, start_date, end_date,
       CASE WHEN period_grain NOT IN ('span', 'unspecified') THEN year(start_date) END AS year,
       CASE WHEN period_grain = 'quarter' THEN quarter(start_date) END AS quarter,
       CASE WHEN period_grain = 'half' THEN CAST(right(period_label, 1) AS INTEGER) END AS half,
       period_order
FROM ordered
