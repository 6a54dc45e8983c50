-- Every row of the current reference files that is incomplete, repeated or points at nothing.
WITH names AS (
    SELECT file_name, line_no, 'provider' AS field, provider_name AS name FROM staging.stg_providers
    UNION ALL SELECT file_name, line_no, 'provider_group', provider_group_name FROM staging.stg_provider_groups
    UNION ALL SELECT file_name, line_no, 'market', market_name FROM staging.stg_markets
    UNION ALL SELECT file_name, line_no, 'metric', metric_name FROM staging.stg_metrics
),
counted AS (SELECT *, count(*) OVER (PARTITION BY field, name) AS copies FROM names),
problems AS (
    SELECT file_name, line_no, field, name AS value, 'a name' AS expected
    FROM counted WHERE coalesce(name, '') = ''
    UNION ALL
    SELECT file_name, line_no, field, name, 'a name listed once (found ' || copies || ' times)'
    FROM counted WHERE copies > 1
    UNION ALL
    SELECT file_name, line_no, 'provider_group', provider_group_name, 'a group listed in reference/provider_groups.csv'
    FROM staging.stg_provider_group_members
    WHERE provider_group_name NOT IN (SELECT provider_group_name FROM staging.stg_provider_groups)
    UNION ALL
    SELECT file_name, line_no, 'provider', provider_name, 'a provider listed in reference/providers.csv'
    FROM staging.stg_provider_group_members
    WHERE provider_name NOT IN (SELECT provider_name FROM staging.stg_providers)
    UNION ALL
    SELECT file_name, line_no, 'unit', unit, 'pct, rank, count, x, seconds, per_second, years or currency'
    FROM staging.stg_metrics
    WHERE unit NOT IN ('pct', 'rank', 'count', 'x', 'seconds', 'per_second', 'years', 'currency')
    UNION ALL
    SELECT file_name, line_no, 'fact_table', fact_table,
           'market_share, provider_financials, market_size or operating_metrics'
    FROM staging.stg_metrics
    WHERE fact_table NOT IN ('market_share', 'provider_financials', 'market_size', 'operating_metrics')
    UNION ALL
    SELECT file_name, line_no, 'kind', provider_kind, 'a provider kind such as hyperscaler or telecom_operator_cloud'
    FROM staging.stg_providers WHERE coalesce(provider_kind, '') = ''
)
SELECT file_name, line_no, field, CASE WHEN length(value) > 60 THEN left(value, 60) || '…' ELSE value END AS value,
       expected
FROM problems
ORDER BY file_name, line_no, field
