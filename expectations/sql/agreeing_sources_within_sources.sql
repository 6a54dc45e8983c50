-- Reconciled answers counting more agreeing sources than sources, or none (the chosen source always agrees).
SELECT entity_name, metric, market_name, period_label, n_sources, n_agreeing
FROM {batch}
WHERE n_agreeing NOT BETWEEN 1 AND n_sources OR n_agreeing IS NULL OR n_sources <> len(source_ids)
