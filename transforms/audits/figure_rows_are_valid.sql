-- Every field of every current figure row that is not what it should be: one row per problem.
-- One pass over the figures: each rule is a flag on the row, and only flagged rows are unnested into
-- problems (a UNION of one scan per rule cost 13 scans and anti-joins of every row).
WITH entities AS (
    SELECT provider_name AS entity_name FROM staging.stg_providers
    UNION SELECT provider_group_name FROM staging.stg_provider_groups
),
citations AS (SELECT DISTINCT source_id, citation FROM staging.stg_citations),
duplicates AS (  -- grouped, not windowed: a window over every row is slow and memory-hungry at scale
    SELECT source_id, entity_name, metric_name, market_name, period_label, count(*) AS copies
    FROM staging.stg_figures
    GROUP BY ALL
    HAVING count(*) > 1
),
figures AS (
    SELECT f.*, m.unit AS metric_unit, m.fact_table, d.copies,
           f.entity_name IN (SELECT entity_name FROM entities) AS entity_known,
           f.market_name IN (SELECT market_name FROM staging.stg_markets) AS market_known,
           c.citation IS NOT NULL AS citation_known
    FROM staging.stg_figures AS f
    LEFT JOIN staging.stg_metrics AS m USING (metric_name)
    LEFT JOIN citations AS c ON c.source_id = f.source_id AND c.citation = f.citation
    LEFT JOIN duplicates AS d
        ON d.source_id = f.source_id AND d.metric_name = f.metric_name AND d.period_label = f.period_label
       AND d.entity_name IS NOT DISTINCT FROM f.entity_name AND d.market_name IS NOT DISTINCT FROM f.market_name
),
flagged AS (
    SELECT *,
           concat_ws(' ', value_as_stated, nullif(magnitude, 'one')) AS value_and_magnitude,
           fact_table IS NULL AS unknown_metric,
           entity_name IS NOT NULL AND NOT entity_known AS unknown_entity,
           entity_name IS NULL AND fact_table <> 'market_size' AS missing_entity,
           entity_name IS NOT NULL AND fact_table = 'market_size' AS needless_entity,
           market_name IS NOT NULL AND NOT market_known AS unknown_market,
           market_name IS NULL AND fact_table IN ('market_share', 'market_size') AS missing_market,
           period_grain IS NULL OR (period_grain IN ('day', 'point') AND start_date IS NULL) AS unknown_period,
           end_date < start_date AS backwards_period,
           NOT coalesce(is_plain_number, false) AS bad_value,
           has_too_many_digits AS too_many_digits,
           metric_unit = 'pct' AND metric_name <> 'revenue_growth_yoy' AND NOT value BETWEEN 0 AND 100
               AS pct_out_of_range,
           metric_unit = 'rank' AND (value <> floor(value) OR NOT value BETWEEN 1 AND 2147483647) AS bad_rank,
           metric_unit = 'count' AND (value <> floor(value) OR value < 0) AS bad_count,
           metric_unit IN ('currency', 'per_second', 'seconds', 'years', 'x') AND value < 0 AS negative_value,
           power_of_ten IS NULL AS bad_magnitude,
           qualifier NOT IN ('exact', 'approx', 'at_least', 'at_most') AS bad_qualifier,
           fact_table IS NOT NULL AND CASE WHEN metric_unit = 'currency' THEN NOT regexp_full_match(unit, '[A-Z]{3}')
                                           ELSE unit <> metric_unit END AS bad_unit,
           citation IS NOT NULL AND NOT citation_known AS unknown_citation,
           copies IS NOT NULL AS duplicated
    FROM figures
),
problems AS (
    SELECT file_name, line_no, unnest([
        CASE WHEN unknown_metric THEN {'field': 'metric', 'value': metric_name,
            'expected': 'a metric listed in reference/metrics.csv'} END,
        CASE WHEN unknown_entity THEN {'field': 'entity', 'value': entity_name,
            'expected': 'a provider or provider group listed in reference/'} END,
        CASE WHEN missing_entity THEN {'field': 'entity', 'value': '',
            'expected': 'a provider or provider group (required for ' || metric_name || ')'} END,
        CASE WHEN needless_entity THEN {'field': 'entity', 'value': entity_name,
            'expected': 'no entity: ' || metric_name || ' describes a whole market'} END,
        CASE WHEN unknown_market THEN {'field': 'market', 'value': market_name,
            'expected': 'a market listed in reference/markets.csv'} END,
        CASE WHEN missing_market THEN {'field': 'market', 'value': '',
            'expected': 'a market (required for ' || metric_name || ')'} END,
        CASE WHEN unknown_period THEN {'field': 'period', 'value': period_label,
            'expected': 'a period label: 2025-Q2, 2024-H1, 2024, 2019..2024, 2023-11-11, as of 2023-12-31 or unspecified'} END,
        CASE WHEN backwards_period THEN {'field': 'period', 'value': period_label,
            'expected': 'a span that ends after it starts'} END,
        CASE WHEN bad_value THEN {'field': 'value', 'value': value_as_stated,
            'expected': 'a plain number such as 100.4 (no thousands separators, % signs or units)'} END,
        CASE WHEN too_many_digits THEN {'field': 'value', 'value': value_as_stated,
            'expected': 'a number of at most 15 digits (a longer one cannot be stored exactly)'} END,
        CASE WHEN pct_out_of_range THEN {'field': 'value', 'value': value_and_magnitude,
            'expected': CASE WHEN fact_table = 'market_share' THEN 'a share between 0 and 100 (per cent)'
                             ELSE 'a percentage between 0 and 100' END} END,
        CASE WHEN bad_rank THEN {'field': 'value', 'value': value_and_magnitude,
            'expected': 'a whole number from 1 to 2147483647 (a rank; ' || metric_name || ')'} END,
        CASE WHEN bad_count THEN {'field': 'value', 'value': value_and_magnitude,
            'expected': 'a whole number, 0 or more (a count; ' || metric_name || ')'} END,
        CASE WHEN negative_value THEN {'field': 'value', 'value': value_and_magnitude,
            'expected': 'a number, 0 or more (' || metric_name || ')'} END,
        CASE WHEN bad_magnitude THEN {'field': 'magnitude', 'value': magnitude,
            'expected': 'empty, thousand, million, billion or trillion'} END,
        CASE WHEN bad_qualifier THEN {'field': 'qualifier', 'value': qualifier,
            'expected': 'exact, approx, at_least or at_most'} END,
        CASE WHEN bad_unit THEN {'field': 'unit', 'value': unit,
            'expected': CASE WHEN metric_unit = 'currency' THEN 'a currency code such as USD or CNY for ' || metric_name
                             ELSE metric_unit || ' for ' || metric_name END} END,
        CASE WHEN unknown_citation THEN {'field': 'citation', 'value': citation,
            'expected': 'a citation key from the file''s front matter'} END,
        CASE WHEN duplicated THEN {'field': 'entity,metric,market,period',
            'value': concat_ws(' | ', entity_name, metric_name, market_name, period_label),
            'expected': 'one figure per entity, metric, market and period in a source (this one is stated '
                        || copies || ' times)'} END
    ]) AS problem
    FROM flagged
    WHERE unknown_metric OR unknown_entity OR missing_entity OR needless_entity OR unknown_market
       OR missing_market OR unknown_period OR backwards_period OR bad_value OR too_many_digits OR pct_out_of_range
       OR bad_rank OR bad_count OR negative_value OR bad_magnitude OR bad_qualifier
       OR bad_unit OR unknown_citation OR duplicated
),
-- exact shares of providers, each within 0..100 (one outside is reported on its own) ...
exact_shares AS (
    SELECT f.file_name, f.market_name, f.period_label, f.line_no, f.value_as_stated, f.value
    FROM staging.stg_figures AS f
    JOIN staging.stg_metrics AS m USING (metric_name)
    WHERE m.fact_table = 'market_share' AND m.unit = 'pct' AND f.qualifier = 'exact'
      AND f.value BETWEEN 0 AND 100 AND f.entity_name IN (SELECT provider_name FROM staging.stg_providers)
),
-- ... that add up to over 100 in one market and period of one source: every row involved is a problem
over_full AS (
    SELECT file_name, market_name, period_label, sum(value) AS total_pct, count(*) AS shares
    FROM exact_shares
    GROUP BY ALL
    HAVING sum(value) > 100 + $share_tolerance_pct
),
share_sum_problems AS (
    SELECT file_name, line_no, 'value' AS field, value_as_stated AS value,
           'exact shares of one market and period adding up to at most 100 (+$share_tolerance_pct for rounding); '
           || shares || ' add up to ' || round(total_pct, 6) || ' on lines '
           || array_to_string(list_sort(list(line_no) OVER (PARTITION BY file_name, market_name, period_label))[:8],
                              ', ')
           || CASE WHEN shares > 8 THEN ', …' ELSE '' END AS expected
    FROM exact_shares JOIN over_full USING (file_name, market_name, period_label)
),
all_problems AS (
    SELECT file_name, line_no, problem.field AS field, problem.value AS value, problem.expected AS expected
    FROM problems WHERE problem IS NOT NULL
    UNION ALL
    SELECT * FROM share_sum_problems
)
SELECT file_name, line_no, field, CASE WHEN length(value) > 60 THEN left(value, 60) || '…' ELSE value END AS value,
       expected
FROM all_problems
ORDER BY file_name, line_no, field
