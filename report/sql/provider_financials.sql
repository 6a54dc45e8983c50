-- Every financial figure of a provider (revenue, growth, multiples, commitments) with its figure.
SELECT p.provider_name, p.metric, p.period_label, p.period_start, p.value, p.currency, p.unit, p.qualifier,
       f.figure_key
FROM marts.provider_financials AS p
LEFT JOIN marts.figures AS f
       ON f.metric = p.metric AND f.entity_name = p.provider_name AND f.period_label = p.period_label
      AND f.source_id = p.source_id
ORDER BY p.metric, p.provider_name, p.period_start NULLS LAST, p.period_label
