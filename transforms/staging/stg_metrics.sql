-- Metrics, their units and the fact table each belongs to, from the current reference file.
SELECT trim(metric) AS metric_name, trim(unit) AS unit, trim(fact_table) AS fact_table,
       nullif(trim(description), '') AS description, file_name, line_no
FROM raw.metrics JOIN raw.current_files USING (file_name, content_hash)
