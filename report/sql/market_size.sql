-- Spending in each market per period, with the figure that states it.
SELECT m.market_name, m.metric, m.period_label, m.period_start, m.value, m.currency, m.qualifier, f.figure_key
FROM marts.market_size AS m
LEFT JOIN marts.figures AS f
       ON f.metric = m.metric AND f.market_name = m.market_name AND f.period_label = m.period_label
      AND f.source_id = m.source_id
ORDER BY m.market_name, m.period_start NULLS LAST, m.period_label
