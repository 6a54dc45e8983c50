-- Each provider group's share of a market in a period, beside the sum of its members' exact shares.
SELECT g.provider_group_name, g.market_name, g.period_label, f.period_start, g.group_pct, g.qualifier,
       g.members_pct, f.figure_key
FROM marts.group_shares AS g
LEFT JOIN marts.figures AS f
       ON f.metric = 'market_share' AND f.entity_name = g.provider_group_name AND f.market_name = g.market_name
      AND f.period_label = g.period_label AND f.source_id = g.source_id
ORDER BY g.provider_group_name, g.market_name, f.period_start NULLS LAST, g.period_label
