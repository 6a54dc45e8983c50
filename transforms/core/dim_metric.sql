-- What a figure measures, its unit ('currency' for money: the figure carries its currency) and its fact table.
SELECT row_number() OVER (ORDER BY metric_name)::INTEGER AS metric_key,
       metric_name, unit, fact_table, description
FROM staging.stg_metrics
