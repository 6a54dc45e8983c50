-- Market × period × source where the exact shares of distinct providers add up to over 100 %.
SELECT mk.market_name, pe.period_label, s.source_id, count(*) AS providers, sum(f.share_pct) AS total_pct
FROM {batch} AS f
JOIN core.dim_market AS mk USING (market_key)
JOIN core.dim_period AS pe USING (period_key)
JOIN core.dim_source AS s USING (source_key)
WHERE f.provider_key IS NOT NULL AND f.qualifier = 'exact' AND f.share_pct IS NOT NULL
GROUP BY ALL
HAVING sum(f.share_pct) > 100 + $share_tolerance_pct
