-- Where every figure comes from: the source document, its citation, the file and line.
SELECT figure_key, entity_name, metric, market_name, period_label, value_as_stated, magnitude, unit, currency,
       qualifier, source_title, source_outlet, source_published, citation, citation_text, note, source_file,
       source_line
FROM marts.figures
ORDER BY figure_key
