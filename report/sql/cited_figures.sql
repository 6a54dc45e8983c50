-- Where each figure the report shows ($figure_keys) comes from: the source document, its citation, the
-- file and line.
SELECT figure_key, entity_name, metric, market_name, period_label, value_as_stated, magnitude, unit, currency,
       qualifier, source_title, source_outlet, source_published, citation, citation_text, note, source_file,
       source_line
FROM marts.figures
WHERE list_contains($figure_keys, figure_key)
ORDER BY figure_key
