-- How many figures the publish of this warehouse added, changed and removed against the one before it.
WITH latest AS (
    SELECT refresh_id FROM meta.refresh_log WHERE outcome = 'published' ORDER BY finished_at DESC LIMIT 1
)
SELECT (SELECT refresh_id FROM latest) AS refresh_id,
       count(*) FILTER (WHERE change = 'added') AS added,
       count(*) FILTER (WHERE change = 'changed') AS changed,
       count(*) FILTER (WHERE change = 'removed') AS removed,
       any_value(previous_refresh_id) AS previous_refresh_id
FROM meta.figure_changes
WHERE refresh_id = (SELECT refresh_id FROM latest)
