-- The refresh that published this warehouse.
SELECT refresh_id, trigger, started_at, finished_at
FROM meta.refresh_log
WHERE outcome = 'published'
ORDER BY finished_at DESC
LIMIT 1
