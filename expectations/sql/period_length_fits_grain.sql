-- Periods whose length does not fit their grain: quarters ~3 months, halves ~6, years 12, days and points 1 day.
SELECT period_label, period_grain, start_date, end_date, end_date - start_date + 1 AS days
FROM {batch}
WHERE (period_grain = 'quarter' AND end_date - start_date + 1 NOT BETWEEN 89 AND 92)
   OR (period_grain = 'half' AND end_date - start_date + 1 NOT BETWEEN 181 AND 184)
   OR (period_grain = 'year' AND end_date - start_date + 1 NOT BETWEEN 365 AND 366)
   OR (period_grain IN ('day', 'point') AND end_date <> start_date)
   OR (period_grain = 'unspecified' AND (start_date IS NOT NULL OR end_date IS NOT NULL))
   OR (period_grain <> 'unspecified' AND (start_date IS NULL OR end_date IS NULL))
