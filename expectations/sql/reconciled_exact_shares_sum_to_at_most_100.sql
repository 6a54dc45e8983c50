-- Market × period where the reconciled exact shares of distinct providers (groups not counted) add up to over
-- 100 %: each source may be consistent alone, yet the answers chosen from several sources contradict each other.
SELECT market_name, period_label, count(*) AS providers, sum(value) AS total_pct,
       string_agg(entity_name || ' ' || value || ' (' || source_id || ')', ', ' ORDER BY value DESC) AS shares
FROM {batch}
WHERE metric = 'market_share' AND entity_kind = 'provider' AND qualifier = 'exact'
GROUP BY market_name, period_label
HAVING sum(value) > 100 + $share_tolerance_pct
