-- Each provider group's share of a market in a period: the $markets group-and-market pairs with the
-- most figures, each with its $periods latest periods (undated periods last).
SELECT entity_name AS provider_group_name, market_name, period_label, value AS group_pct, qualifier, figure_key
FROM newest_figures
WHERE metric = 'market_share' AND is_group
  AND (entity_name, market_name) IN (
      SELECT (entity_name, market_name) FROM newest_figures WHERE metric = 'market_share' AND is_group
      GROUP BY ALL ORDER BY count(*) DESC, 1 LIMIT $markets)
QUALIFY dense_rank() OVER (PARTITION BY entity_name, market_name ORDER BY period_start DESC NULLS LAST,
                                                                          period_label DESC) <= $periods
ORDER BY provider_group_name, market_name, period_start NULLS LAST, period_label
