-- The figures the next version adds, changes or removes against the published warehouse (the temp views
-- previous_figures: its marts.figures, or none; next_figures: the next version's; both only of the sources
-- rebuilt when the rest were kept as published), appended to meta.figure_changes for the refresh getvariable('refresh_id'); $previous_refresh_id names the
-- refresh the published warehouse holds. A figure is identified by its source, entity, metric, market
-- and period (entity and market may be NULL: matched with IS NOT DISTINCT FROM).
INSERT INTO meta.figure_changes BY NAME
SELECT getvariable('refresh_id') AS refresh_id, $previous_refresh_id::VARCHAR AS previous_refresh_id,
       now() AS published_at,
       CASE WHEN old.source_id IS NULL THEN 'added' WHEN new.source_id IS NULL THEN 'removed' ELSE 'changed' END
           AS change,
       coalesce(new.source_id, old.source_id) AS source_id,
       coalesce(new.entity_name, old.entity_name) AS entity_name,
       coalesce(new.metric, old.metric) AS metric,
       coalesce(new.market_name, old.market_name) AS market_name,
       coalesce(new.period_label, old.period_label) AS period_label,
       old.value AS old_value, new.value AS new_value,
       old.qualifier AS old_qualifier, new.qualifier AS new_qualifier,
       old.unit AS old_unit, new.unit AS new_unit
FROM previous_figures AS old
FULL JOIN next_figures AS new
    ON new.source_id = old.source_id AND new.metric = old.metric AND new.period_label = old.period_label
   AND new.entity_name IS NOT DISTINCT FROM old.entity_name AND new.market_name IS NOT DISTINCT FROM old.market_name
WHERE old.source_id IS NULL OR new.source_id IS NULL
   OR new.value IS DISTINCT FROM old.value
   OR new.qualifier IS DISTINCT FROM old.qualifier
   OR new.unit IS DISTINCT FROM old.unit
