-- Figures outside what their unit allows: money, counts, speeds, durations and multiples are never
-- negative; percentages lie within 0-100, except growth, which lies within the growth band.
SELECT m.metric_name, m.unit, f.value, f.qualifier, s.source_id, f.source_line
FROM {batch} AS f
JOIN core.dim_metric AS m USING (metric_key)
JOIN core.dim_source AS s USING (source_key)
WHERE (m.unit IN ('currency', 'count', 'per_second', 'seconds', 'years', 'x') AND f.value < 0)
   OR (m.unit = 'pct' AND m.metric_name = 'revenue_growth_yoy'
       AND f.value NOT BETWEEN $growth_min_pct AND $growth_max_pct)
   OR (m.unit = 'pct' AND m.metric_name <> 'revenue_growth_yoy' AND f.value NOT BETWEEN 0 AND 100)
