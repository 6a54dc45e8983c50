-- Financial figures of providers (revenue, growth, multiples, commitments), with the figure that states
-- each. Where several sources state one, the most recently published source's figure; the $providers
-- providers with the most figures, each metric with its $periods latest periods (undated periods last).
WITH stated AS (
    SELECT p.provider_name, p.metric, p.period_label, p.period_start, p.value, p.currency, p.unit, p.qualifier,
           f.figure_key
    FROM marts.provider_financials AS p
    LEFT JOIN marts.figures AS f
           ON f.metric = p.metric AND f.entity_name = p.provider_name AND f.period_label = p.period_label
          AND f.source_id = p.source_id
    QUALIFY row_number() OVER (PARTITION BY p.provider_name, p.metric, p.period_label, p.currency
                               ORDER BY try_cast(f.source_published AS DATE) DESC NULLS LAST, f.figure_key) = 1
),
providers AS (
    SELECT provider_name FROM stated GROUP BY provider_name ORDER BY count(*) DESC, provider_name LIMIT $providers
)
SELECT provider_name, metric, period_label, period_start, value, currency, unit, qualifier, figure_key
FROM stated
WHERE provider_name IN (SELECT provider_name FROM providers)
QUALIFY dense_rank() OVER (PARTITION BY provider_name, metric ORDER BY period_start DESC NULLS LAST, period_label DESC)
        <= $periods
ORDER BY metric, provider_name, period_start NULLS LAST, period_label
