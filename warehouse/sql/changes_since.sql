-- The figure changes `cloudmart changes` lists, oldest publish first: those published after the
-- refresh $after_refresh, or at or after the time $since; with neither, those of the last publish.
SELECT c.published_at, c.refresh_id, c.change, c.source_id, c.entity_name, c.metric, c.market_name,
       c.period_label, c.old_value, c.new_value, c.old_qualifier, c.new_qualifier, c.old_unit, c.new_unit
FROM meta.figure_changes AS c
WHERE CASE
    WHEN $after_refresh::VARCHAR IS NOT NULL THEN c.refresh_id IN (
        SELECT refresh_id FROM meta.refresh_log
        WHERE outcome = 'published'
          AND finished_at > (SELECT finished_at FROM meta.refresh_log WHERE refresh_id = $after_refresh::VARCHAR))
    WHEN $since::TIMESTAMPTZ IS NOT NULL THEN c.published_at >= $since::TIMESTAMPTZ
    ELSE c.refresh_id = (SELECT refresh_id FROM meta.refresh_log WHERE outcome = 'published'
                         ORDER BY finished_at DESC LIMIT 1)
END
ORDER BY c.published_at, array_position(['changed', 'added', 'removed'], c.change),
         c.source_id, c.entity_name, c.metric, c.market_name, c.period_label
