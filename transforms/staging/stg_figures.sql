-- Current figure rows, trimmed and typed: magnitude applied (never rounded), period parsed into calendar bounds.
-- Period labels: 2025-Q2, 2024-H1, 2024, 2019..2024, 2023-11-11, as of 2023-12-31, unspecified.
WITH trimmed AS (
    SELECT
        regexp_replace(file_name, '\.csv$', '') AS source_id,
        file_name,
        content_hash,
        line_no,
        nullif(trim(entity), '') AS entity_name,
        trim(metric) AS metric_name,
        nullif(trim(market), '') AS market_name,
        trim(period) AS period_label,
        trim(value) AS value_as_stated,
        coalesce(nullif(lower(trim(magnitude)), ''), 'one') AS magnitude,
        trim(unit) AS unit,
        lower(trim(qualifier)) AS qualifier,
        nullif(trim(citation), '') AS citation,
        nullif(trim(note), '') AS note
    FROM raw.figures JOIN raw.current_files USING (file_name, content_hash)
),
labels AS (SELECT DISTINCT period_label FROM trimmed),
parsed AS (
    SELECT
        period_label,
        CASE
            WHEN regexp_full_match(period_label, '\d{4}-Q[1-4]') THEN 'quarter'
            WHEN regexp_full_match(period_label, '\d{4}-H[12]') THEN 'half'
            WHEN regexp_full_match(period_label, '\d{4}') THEN 'year'
            WHEN regexp_full_match(period_label, '\d{4}\.\.\d{4}') THEN 'span'
            WHEN try_strptime(period_label, '%Y-%m-%d') IS NOT NULL THEN 'day'
            WHEN try_strptime(period_label, 'as of %Y-%m-%d') IS NOT NULL THEN 'point'
            WHEN period_label = 'unspecified' THEN 'unspecified'
        END AS period_grain,
        TRY_CAST(left(period_label, 4) AS INTEGER) AS first_year,
        TRY_CAST(right(period_label, 1) AS INTEGER) AS part
    FROM labels
),
periods AS (
    SELECT
        period_label,
        period_grain,
        CASE period_grain
            WHEN 'quarter' THEN make_date(first_year, 3 * part - 2, 1)
            WHEN 'half' THEN make_date(first_year, 6 * part - 5, 1)
            WHEN 'year' THEN make_date(first_year, 1, 1)
            WHEN 'span' THEN make_date(first_year, 1, 1)
            WHEN 'day' THEN try_strptime(period_label, '%Y-%m-%d')::DATE
            WHEN 'point' THEN try_strptime(period_label, 'as of %Y-%m-%d')::DATE
        END AS start_date,
        CASE period_grain
            WHEN 'quarter' THEN make_date(first_year, 3 * part, 1) + INTERVAL 1 MONTH - INTERVAL 1 DAY
            WHEN 'half' THEN make_date(first_year, 6 * part, 1) + INTERVAL 1 MONTH - INTERVAL 1 DAY
            WHEN 'year' THEN make_date(first_year, 12, 31)
            WHEN 'span' THEN make_date(CAST(right(period_label, 4) AS INTEGER), 12, 31)
            WHEN 'day' THEN try_strptime(period_label, '%Y-%m-%d')::DATE
            WHEN 'point' THEN try_strptime(period_label, 'as of %Y-%m-%d')::DATE
        END::DATE AS end_date
    FROM parsed
)
SELECT
    trimmed.*,
    periods.period_grain,
    periods.start_date,
    periods.end_date,
    CASE magnitude WHEN 'one' THEN 0 WHEN 'thousand' THEN 3 WHEN 'million' THEN 6
        WHEN 'billion' THEN 9 WHEN 'trillion' THEN 12 END AS power_of_ten,
    regexp_full_match(value_as_stated, '-?[0-9]+(\.[0-9]+)?') AS is_plain_number,
    -- more digits than a DOUBLE keeps (leading zeros of the whole part not counted): such a number would be
    -- rounded, or turn into infinity or 0, so it is left without a value for the row rules to reject
    is_plain_number AND length(value_as_stated) > 15
        AND length(replace(ltrim(ltrim(value_as_stated, '-'), '0'), '.', '')) > 15 AS has_too_many_digits,
    -- the stated digits with the magnitude's power of ten, read once as a DOUBLE: exact to the last digit
    -- stated (a multiplication adds binary noise, and rounding that away would round real decimals too)
    CASE WHEN is_plain_number AND NOT has_too_many_digits
        THEN CAST(value_as_stated || 'e' || power_of_ten AS DOUBLE) END AS value
FROM trimmed JOIN periods USING (period_label)
