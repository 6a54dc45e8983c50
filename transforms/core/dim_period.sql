-- Periods with real calendar bounds: quarter, half, year, span, day, point in time, or unspecified (no bounds).
-- period_order sorts them by start, then by grain from the shortest (point, day, quarter, half, year, span),
-- unspecified last; period_key follows the same order. Each names the stated period it is compared with:
-- the previous one of the same grain (ending the day before it starts) and the same one a year earlier.
WITH ordered AS (
    SELECT *, row_number() OVER (
                  ORDER BY start_date NULLS LAST,
                           list_position(['point', 'day', 'quarter', 'half', 'year', 'span', 'unspecified'], period_grain),
                           end_date, period_label)::INTEGER AS period_order
    FROM staging.stg_periods
)
SELECT o.period_order AS period_key,
       o.period_label, o.period_grain, o.start_date, o.end_date,
       CASE WHEN o.period_grain NOT IN ('span', 'unspecified') THEN year(o.start_date) END AS year,
       CASE WHEN o.period_grain = 'quarter' THEN quarter(o.start_date) END AS quarter,
       CASE WHEN o.period_grain = 'half' THEN CAST(right(o.period_label, 1) AS INTEGER) END AS half,
       o.period_order,
       p.period_label AS previous_period_label,
       y.period_label AS year_ago_period_label
FROM ordered AS o
LEFT JOIN ordered AS p ON p.period_grain = o.period_grain AND p.end_date = o.start_date - 1
    AND date_diff('year', p.start_date, p.end_date) = date_diff('year', o.start_date, o.end_date)  -- spans: as long
LEFT JOIN ordered AS y ON y.period_grain = o.period_grain AND y.start_date = (o.start_date - INTERVAL 1 YEAR)::DATE
    AND y.end_date = (o.end_date - INTERVAL 1 YEAR)::DATE
