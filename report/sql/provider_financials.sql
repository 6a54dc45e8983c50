-- Providers' financial figures (revenue, growth, multiples, commitments): the $providers providers with
-- the most of them, each metric with its $periods latest periods (undated periods last).
SELECT f.entity_name AS provider_name, f.metric, f.period_label, f.value, f.currency, f.unit, f.qualifier,
       f.figure_key
FROM newest_figures AS f
JOIN core.dim_metric AS m ON m.metric_name = f.metric AND m.fact_table = 'provider_financials'
WHERE NOT f.is_group
  AND f.entity_name IN (
      SELECT entity_name FROM newest_figures WHERE metric IN (SELECT metric_name FROM core.dim_metric
                                                               WHERE fact_table = 'provider_financials')
      GROUP BY ALL ORDER BY count(*) DESC, entity_name LIMIT $providers)
QUALIFY dense_rank() OVER (PARTITION BY f.entity_name, f.metric ORDER BY f.period_start DESC NULLS LAST,
                                                                        f.period_label DESC) <= $periods
ORDER BY f.metric, provider_name, f.period_start NULLS LAST, f.period_label
