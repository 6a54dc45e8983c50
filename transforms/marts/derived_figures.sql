-- Figures computed from stated ones, never stated by a source themselves:
--   implied_revenue                = market share × market spend of the same market and period
--   implied_prior_period_revenue   = revenue ÷ (1 + year-on-year growth), for the same period a year earlier
-- Inputs come from the same source document. The qualifier is 'exact' only when every input is exact;
-- otherwise 'approx'.
WITH implied_revenue AS (
    SELECT s.provider_name AS entity_name, s.is_group, 'implied_revenue' AS metric, s.market_name,
           s.period_label, s.period_start, s.period_end,
           round(s.share_pct / 100 * z.value, 2) AS value, z.currency,
           CASE WHEN s.qualifier = 'exact' AND z.qualifier = 'exact' THEN 'exact' ELSE 'approx' END AS qualifier,
           'share_pct × market_spend' AS derivation,
           s.source_title AS inputs_from,
           s.source_id
    FROM marts.market_share AS s
    JOIN marts.market_size AS z USING (market_name, period_label, source_id)
    WHERE s.share_pct IS NOT NULL AND z.metric = 'market_spend' AND s.period_label <> 'unspecified'
),
prior_revenue AS (
    SELECT r.provider_name, r.is_group, 'implied_prior_period_revenue', NULL,
           CAST(year(r.period_start) - 1 AS VARCHAR) || substr(r.period_label, 5),
           (r.period_start - INTERVAL 1 YEAR)::DATE, (r.period_end - INTERVAL 1 YEAR)::DATE,
           round(r.value / (1 + g.value / 100), 2), r.currency,
           CASE WHEN r.qualifier = 'exact' AND g.qualifier = 'exact' THEN 'exact' ELSE 'approx' END,
           'revenue ÷ (1 + revenue_growth_yoy)',
           r.source_title,
           r.source_id
    FROM marts.provider_financials AS r
    JOIN marts.provider_financials AS g USING (provider_name, period_label, source_id)
    WHERE r.metric = 'revenue' AND g.metric = 'revenue_growth_yoy'
      AND r.period_label <> 'unspecified' AND regexp_full_match(r.period_label, '\d{4}(-[QH]\d)?')
)
SELECT d.*, p.period_order
FROM (SELECT * FROM implied_revenue UNION ALL SELECT * FROM prior_revenue) AS d
LEFT JOIN core.dim_period AS p USING (period_label)
