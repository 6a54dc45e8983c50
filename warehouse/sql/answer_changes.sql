-- The reconciled answers the next version adds, changes or removes against the published warehouse
-- (the temp view previous_answers: its marts.reconciled_figures, or none), appended to
-- meta.answer_changes for the refresh getvariable('refresh_id'); $previous_refresh_id names the refresh
-- the published warehouse holds. An answer is identified by its grain (entity, metric, unit, market,
-- period; entity, unit and market may be NULL: matched with IS NOT DISTINCT FROM); it has changed when
-- its value, qualifier or chosen source differ.
INSERT INTO meta.answer_changes BY NAME
SELECT getvariable('refresh_id') AS refresh_id, $previous_refresh_id::VARCHAR AS previous_refresh_id,
       now() AS published_at,
       CASE WHEN old.metric IS NULL THEN 'added' WHEN new.metric IS NULL THEN 'removed' ELSE 'changed' END
           AS change,
       coalesce(new.entity_name, old.entity_name) AS entity_name,
       coalesce(new.metric, old.metric) AS metric,
       coalesce(new.unit, old.unit) AS unit,
       coalesce(new.market_name, old.market_name) AS market_name,
       coalesce(new.period_label, old.period_label) AS period_label,
       old.value AS old_value, new.value AS new_value,
       old.qualifier AS old_qualifier, new.qualifier AS new_qualifier,
       old.source_id AS old_source_id, new.source_id AS new_source_id
FROM previous_answers AS old
FULL JOIN next_answers AS new
    ON new.metric = old.metric AND new.period_label = old.period_label
   AND new.entity_name IS NOT DISTINCT FROM old.entity_name AND new.market_name IS NOT DISTINCT FROM old.market_name
   AND new.unit IS NOT DISTINCT FROM old.unit
WHERE old.metric IS NULL OR new.metric IS NULL
   OR new.value IS DISTINCT FROM old.value
   OR new.qualifier IS DISTINCT FROM old.qualifier
   OR new.source_id IS DISTINCT FROM old.source_id
