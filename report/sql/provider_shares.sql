-- Each provider's (not group's) share of a market in a period, with the figure that states it.
SELECT s.market_name, s.period_label, s.period_start, s.provider_name, s.share_pct, s.qualifier, s.rank,
       f.figure_key
FROM marts.market_share AS s
LEFT JOIN marts.figures AS f
       ON f.metric = 'market_share' AND f.entity_name = s.provider_name AND f.market_name = s.market_name
      AND f.period_label = s.period_label AND f.source_id = s.source_id
WHERE NOT s.is_group
ORDER BY s.market_name, s.period_start NULLS LAST, s.period_label, s.share_pct DESC, s.provider_name
