-- Reconciled answers whose best sources tie (same qualifier, same publication date or both unknown) and disagree:
-- the answer takes the first by source_id, and these rows say which ones to look at.
SELECT entity_name, metric, market_name, period_label, value, min_value, max_value, source_ids
FROM {batch}
WHERE tie_disagrees
