-- One answer per entity × metric × market × period (and unit: figures in two currencies are not compared),
-- reconciled across the sources that state it. Periods with real bounds only: a figure of an 'unspecified'
-- period stays in marts.figures alone, since two sources may mean two different times by it.
-- The choice: exact over approx over bounds (at_least, at_most); among those, the most recently published
-- source (a known date before an unknown one); sources equal on both are a tie, taken by source_id, and
-- tie_disagrees says when their values disagree.
-- Agreement: each figure is a range (exact and approx: the value; at_least: the value and up; at_most: up
-- to the value); two figures agree when their ranges meet within the tolerance of expectations/tolerances.py:
-- $share_tolerance_pct points between exact percentages, $ratio_tolerance_exact of the value between exact
-- figures of other units, $ratio_tolerance_approx of the value (at least $share_tolerance_pct points for
-- percentages) when either is not exact.
WITH stated AS (
    SELECT figure_key, entity_name, entity_kind, is_group, metric, unit, currency, market_name, period_label,
           period_grain, period_start, period_end, period_order, value, qualifier, source_id, source_title,
           source_published_date, citation,
           coalesce(list_position(['exact', 'approx'], qualifier), 3) AS qualifier_rank,
           CASE WHEN qualifier = 'at_most' THEN '-Infinity'::DOUBLE ELSE value END AS low,
           CASE WHEN qualifier = 'at_least' THEN 'Infinity'::DOUBLE ELSE value END AS high
    FROM marts.figures
    WHERE period_grain <> 'unspecified'
),
ranked AS (
    SELECT *,
           row_number() OVER answer AS choice_rank,
           lead(qualifier_rank) OVER answer AS next_qualifier_rank,
           lead(source_published_date) OVER answer AS next_published_date,
           lead(figure_key) OVER answer AS next_figure_key,
           first_value(figure_key) OVER answer AS answer_id,  -- the chosen figure's key names the answer
           count(*) OVER (PARTITION BY entity_name, metric, unit, market_name, period_label) AS n_figures
    FROM stated
    WINDOW answer AS (PARTITION BY entity_name, metric, unit, market_name, period_label
                      ORDER BY qualifier_rank, source_published_date DESC NULLS LAST, source_id)
),
chosen AS (
    SELECT * FROM ranked WHERE choice_rank = 1
),
pairs AS (  -- every two figures of one answer, and whether they agree
    SELECT a.answer_id,
           a.figure_key = c.figure_key AS a_is_chosen,
           a.qualifier_rank = c.qualifier_rank AND a.source_published_date IS NOT DISTINCT FROM c.source_published_date
               AND b.qualifier_rank = c.qualifier_rank
               AND b.source_published_date IS NOT DISTINCT FROM c.source_published_date AS both_tied,
           a.low <= b.high + t.tolerance AND b.low <= a.high + t.tolerance AS agree
    FROM ranked AS a
    JOIN ranked AS b ON b.answer_id = a.answer_id
    JOIN chosen AS c ON c.answer_id = a.answer_id AND c.n_figures > 1,  -- one figure agrees with itself
    LATERAL (SELECT CASE
        WHEN a.qualifier = 'exact' AND b.qualifier = 'exact' AND a.unit = 'pct' THEN $share_tolerance_pct
        WHEN a.qualifier = 'exact' AND b.qualifier = 'exact' THEN $ratio_tolerance_exact * greatest(abs(a.value), abs(b.value))
        WHEN a.unit = 'pct' THEN greatest($share_tolerance_pct, $ratio_tolerance_approx * greatest(abs(a.value), abs(b.value)))
        ELSE $ratio_tolerance_approx * greatest(abs(a.value), abs(b.value)) END AS tolerance) AS t
),
agreement AS (
    SELECT answer_id,
           count(*) FILTER (WHERE a_is_chosen AND agree) AS n_agreeing,
           bool_and(agree) AS agrees,
           coalesce(bool_or(NOT agree) FILTER (WHERE both_tied), FALSE) AS tie_disagrees
    FROM pairs
    GROUP BY answer_id
),
spread AS (
    SELECT answer_id, count(DISTINCT source_id)::INTEGER AS n_sources, min(value) AS min_value, max(value) AS max_value,
           list(source_id ORDER BY choice_rank) AS source_ids, list(figure_key ORDER BY choice_rank) AS figure_keys
    FROM ranked
    GROUP BY answer_id
),
answers AS (
    SELECT c.entity_name, c.entity_kind, c.is_group, c.metric, c.unit, c.currency, c.market_name,
           c.period_label, c.period_grain, c.period_start, c.period_end, c.period_order,
           c.value, c.qualifier,
           s.n_sources, coalesce(a.n_agreeing, 1)::INTEGER AS n_agreeing, s.min_value, s.max_value,
           coalesce(a.agrees, TRUE) AS agrees,
           CASE WHEN c.next_figure_key IS NULL THEN 'only_source'
                WHEN c.next_qualifier_rank > c.qualifier_rank THEN 'qualifier'
                WHEN c.next_published_date IS DISTINCT FROM c.source_published_date THEN 'most_recent'
                ELSE 'tie' END AS chosen_by,
           coalesce(a.tie_disagrees, FALSE) AS tie_disagrees,
           c.source_id, c.source_title, c.source_published_date, c.citation, c.figure_key,
           s.source_ids, s.figure_keys,
           list_position(['exact', 'approx'], c.qualifier) AS point_rank
    FROM chosen AS c
    LEFT JOIN agreement AS a USING (answer_id)
    JOIN spread AS s USING (answer_id)
)
-- Each answer beside the answers of the same series for the periods it is compared with (core.dim_period): the
-- comparison is exact when both are exact, approx when both are point values, null when either is a bound.
SELECT a.* EXCLUDE (point_rank),
       pe.previous_period_label, p.value AS previous_value, p.qualifier AS previous_qualifier,
       CASE WHEN a.point_rank + p.point_rank = 2 THEN 'exact' WHEN a.point_rank + p.point_rank > 2 THEN 'approx' END
           AS vs_previous_qualifier,
       pe.year_ago_period_label, y.value AS year_ago_value, y.qualifier AS year_ago_qualifier,
       CASE WHEN a.point_rank + y.point_rank = 2 THEN 'exact' WHEN a.point_rank + y.point_rank > 2 THEN 'approx' END
           AS vs_year_ago_qualifier
FROM answers AS a
JOIN core.dim_period AS pe USING (period_label)
LEFT JOIN answers AS p ON p.period_label = pe.previous_period_label AND p.metric = a.metric AND p.unit = a.unit
    AND p.entity_name IS NOT DISTINCT FROM a.entity_name AND p.market_name IS NOT DISTINCT FROM a.market_name
LEFT JOIN answers AS y ON y.period_label = pe.year_ago_period_label AND y.metric = a.metric AND y.unit = a.unit
    AND y.entity_name IS NOT DISTINCT FROM a.entity_name AND y.market_name IS NOT DISTINCT FROM a.market_name
