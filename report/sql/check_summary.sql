-- The checks of the refresh that published this warehouse: one row per check, its rules and outcome.
WITH latest AS (
    SELECT refresh_id FROM meta.check_results ORDER BY checked_at DESC LIMIT 1
)
SELECT asset, check_name, any_value(severity) AS severity, count(*) AS rules,
       count(*) FILTER (WHERE success) AS rules_passed, bool_and(success) AS passed,
       coalesce(sum(unexpected_count), 0) AS problems
FROM meta.check_results
WHERE refresh_id = (SELECT refresh_id FROM latest)
GROUP BY asset, check_name
ORDER BY asset, check_name
