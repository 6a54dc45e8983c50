-- Revenue and year-on-year growth that disagree with the revenue stated for the same period a year
-- earlier: prior = revenue ÷ (1 + growth).
SELECT r.provider_name, r.period_label, r.value AS revenue, g.value AS growth_pct, p.period_label AS prior_period,
       p.value AS stated_prior_revenue, round(r.value / (1 + g.value / 100), 2) AS implied_prior_revenue
FROM {batch} AS r
JOIN {batch} AS g ON g.provider_name = r.provider_name AND g.period_label = r.period_label
    AND g.metric = 'revenue_growth_yoy'
JOIN {batch} AS p ON p.provider_name = r.provider_name AND p.metric = 'revenue' AND p.currency = r.currency
    AND p.period_start = r.period_start - INTERVAL 1 YEAR AND p.period_end = r.period_end - INTERVAL 1 YEAR
WHERE r.metric = 'revenue' AND r.period_start IS NOT NULL
  AND abs(r.value / (1 + g.value / 100) - p.value) > p.value * CASE
      WHEN r.qualifier = 'exact' AND g.qualifier = 'exact' AND p.qualifier = 'exact' THEN $ratio_tolerance_exact
      ELSE $ratio_tolerance_approx END
