-- Markets from the current reference file, trimmed.
SELECT trim(market) AS market_name, nullif(trim(region), '') AS region, nullif(trim(scope), '') AS scope,
       nullif(trim(description), '') AS description, file_name, line_no
FROM raw.markets JOIN raw.current_files USING (file_name, content_hash)
