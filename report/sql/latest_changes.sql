-- The first $changes figures the publish of this warehouse changed, added or removed (in that order),
-- with the value before and after, and the currency of money figures.
WITH latest AS (
    SELECT refresh_id FROM meta.refresh_log WHERE outcome = 'published' ORDER BY finished_at DESC LIMIT 1
)
SELECT change, source_id, entity_name, metric, market_name, period_label,
       old_value, old_qualifier, old_unit, new_value, new_qualifier, new_unit
FROM meta.figure_changes
WHERE refresh_id = (SELECT refresh_id FROM latest)
ORDER BY array_position(['changed', 'added', 'removed'], change), source_id, entity_name, metric, market_name,
         period_label
LIMIT $changes
