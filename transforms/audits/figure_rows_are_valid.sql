-- Every field of every current figure row that is not what it should be: one row per problem.
WITH figures AS (
    SELECT f.*, m.unit AS metric_unit, m.fact_table
    FROM staging.stg_figures AS f
    LEFT JOIN staging.stg_metrics AS m USING (metric_name)
),
duplicates AS (  -- grouped, not windowed: a window over every row is slow and memory-hungry at scale
    SELECT source_id, entity_name, metric_name, market_name, period_label, count(*) AS copies
    FROM staging.stg_figures
    GROUP BY ALL
    HAVING count(*) > 1
),
entities AS (
    SELECT provider_name AS entity_name FROM staging.stg_providers
    UNION ALL SELECT provider_group_name FROM staging.stg_provider_groups
)
SELECT file_name, line_no, 'metric' AS field, metric_name AS value,
       'a metric listed in reference/metrics.csv' AS expected
FROM figures WHERE fact_table IS NULL
UNION ALL
SELECT file_name, line_no, 'entity', entity_name, 'a provider or provider group listed in reference/'
FROM figures WHERE entity_name IS NOT NULL AND entity_name NOT IN (SELECT entity_name FROM entities)
UNION ALL
SELECT file_name, line_no, 'entity', '', 'a provider or provider group (required for ' || metric_name || ')'
FROM figures WHERE entity_name IS NULL AND fact_table <> 'market_size'
UNION ALL
SELECT file_name, line_no, 'entity', entity_name, 'no entity: ' || metric_name || ' describes a whole market'
FROM figures WHERE entity_name IS NOT NULL AND fact_table = 'market_size'
UNION ALL
SELECT file_name, line_no, 'market', market_name, 'a market listed in reference/markets.csv'
FROM figures WHERE market_name IS NOT NULL AND market_name NOT IN (SELECT market_name FROM staging.stg_markets)
UNION ALL
SELECT file_name, line_no, 'market', '', 'a market (required for ' || metric_name || ')'
FROM figures WHERE market_name IS NULL AND fact_table IN ('market_share', 'market_size')
UNION ALL
SELECT file_name, line_no, 'period', period_label,
       'a period label: 2025-Q2, 2024-H1, 2024, 2019..2024, 2023-11-11, as of 2023-12-31 or unspecified'
FROM figures WHERE period_grain IS NULL OR (period_grain IN ('day', 'point') AND start_date IS NULL)
UNION ALL
SELECT file_name, line_no, 'period', period_label, 'a span that ends after it starts'
FROM figures WHERE end_date < start_date
UNION ALL
SELECT file_name, line_no, 'value', value_as_stated,
       'a plain number such as 100.4 (no thousands separators, % signs or units)'
FROM figures WHERE value IS NULL AND multiplier IS NOT NULL
UNION ALL
SELECT file_name, line_no, 'value', value_as_stated, 'a share between 0 and 100 (per cent)'
FROM figures WHERE fact_table = 'market_share' AND metric_unit = 'pct' AND NOT value BETWEEN 0 AND 100
UNION ALL
SELECT file_name, line_no, 'magnitude', magnitude, 'empty, thousand, million, billion or trillion'
FROM figures WHERE multiplier IS NULL
UNION ALL
SELECT file_name, line_no, 'qualifier', qualifier, 'exact, approx, at_least or at_most'
FROM figures WHERE qualifier NOT IN ('exact', 'approx', 'at_least', 'at_most')
UNION ALL
SELECT file_name, line_no, 'unit', unit,
       CASE WHEN metric_unit = 'currency' THEN 'a currency code such as USD or CNY for ' || metric_name
            ELSE metric_unit || ' for ' || metric_name END
FROM figures
WHERE fact_table IS NOT NULL
  AND CASE WHEN metric_unit = 'currency' THEN NOT regexp_full_match(unit, '[A-Z]{3}') ELSE unit <> metric_unit END
UNION ALL
SELECT file_name, line_no, 'citation', citation, 'a citation key from the file''s front matter'
FROM figures
WHERE citation IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM staging.stg_citations AS c
                  WHERE c.source_id = figures.source_id AND c.citation = figures.citation)
UNION ALL
SELECT file_name, line_no, 'entity,metric,market,period',
       concat_ws(' | ', figures.entity_name, metric_name, figures.market_name, period_label),
       'one figure per entity, metric, market and period in a source (this one is stated ' || copies || ' times)'
FROM figures
JOIN duplicates USING (source_id, metric_name, period_label)
WHERE figures.entity_name IS NOT DISTINCT FROM duplicates.entity_name
  AND figures.market_name IS NOT DISTINCT FROM duplicates.market_name
ORDER BY file_name, line_no, field
