-- Stated revenue multiples ("N-fold" over a span of years) that disagree with the revenues the same
-- source states for the span's first and last year.
SELECT x.provider_name, x.period_label, x.value AS stated_multiple, x.qualifier,
       round(last.value / first.value, 2) AS implied_multiple, x.source_id
FROM {batch} AS x
JOIN {batch} AS first ON first.provider_name = x.provider_name AND first.source_id = x.source_id
    AND first.metric = 'revenue' AND first.period_label = split_part(x.period_label, '..', 1)
JOIN {batch} AS last ON last.provider_name = x.provider_name AND last.source_id = x.source_id
    AND last.metric = 'revenue' AND last.period_label = split_part(x.period_label, '..', 2)
WHERE x.metric = 'revenue_multiple' AND first.value > 0
  AND abs(last.value / first.value - x.value)
      > x.value * CASE x.qualifier WHEN 'exact' THEN $ratio_tolerance_exact ELSE $ratio_tolerance_approx END
