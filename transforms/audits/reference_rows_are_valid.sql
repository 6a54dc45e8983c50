-- Every row of the current reference files that is incomplete, repeated or points at nothing.
WITH names AS (
    SELECT file_name, line_no, 'provider' AS field, provider_name AS name FROM staging.stg_providers
    UNION ALL SELECT file_name, line_no, 'provider_group', provider_group_name FROM staging.stg_provider_groups
    UNION ALL SELECT file_name, line_no, 'market', market_name FROM staging.stg_markets
    UNION ALL SELECT file_name, line_no, 'metric', metric_name FROM staging.stg_metrics
),
aliases AS (  -- reference/aliases.csv (read by `cloudmart draft`): every alias must stand for a known name
    SELECT file_name, line_no, nullif(trim(kind), '') AS kind, nullif(trim(name), '') AS name,
           nullif(trim(alias), '') AS alias
    FROM raw.aliases JOIN raw.current_files USING (file_name, content_hash)
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
    UNION ALL
    SELECT file_name, line_no, 'kind', kind, 'entity, market or metric'
    FROM aliases WHERE coalesce(kind, '') NOT IN ('entity', 'market', 'metric')
    UNION ALL
    SELECT file_name, line_no, 'alias', alias, 'the other name, as articles write it' FROM aliases WHERE alias IS NULL
    UNION ALL
    SELECT file_name, line_no, 'name', name,
           CASE kind WHEN 'entity' THEN 'a provider or provider group listed in reference/'
                     WHEN 'market' THEN 'a market listed in reference/markets.csv'
                     ELSE 'a metric listed in reference/metrics.csv' END
    FROM aliases
    WHERE kind IN ('entity', 'market', 'metric') AND coalesce(name, '') NOT IN (
        SELECT name FROM names WHERE field = CASE aliases.kind WHEN 'entity' THEN 'provider' ELSE aliases.kind END
        UNION ALL SELECT name FROM names WHERE aliases.kind = 'entity' AND field = 'provider_group')
)
SELECT file_name, line_no, field, CASE WHEN length(value) > 60 THEN left(value, 60) || '…' ELSE value END AS value,
       expected
FROM problems
ORDER BY file_name, line_no, field
