-- Figures of the current sources missing from marts.figures, or there more than once.
SELECT f.file_name, f.line_no, count(m.source_line) AS rows_in_marts
FROM staging.stg_figures AS f
LEFT JOIN {batch} AS m ON m.source_file = f.file_name AND m.source_line = f.line_no
GROUP BY ALL
HAVING count(m.source_line) <> 1
