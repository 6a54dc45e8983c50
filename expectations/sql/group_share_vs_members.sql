-- Approximate or lower-bound group shares next to the sum of their members' exact shares where both
-- are stated (same market, period and source) and they differ by more than the tolerance.
WITH members AS (
    SELECT b.provider_group_key, f.market_key, f.period_key, f.source_key, sum(f.share_pct) AS members_pct
    FROM {batch} AS f
    JOIN core.bridge_provider_group_member AS b USING (provider_key)
    WHERE f.qualifier = 'exact' AND f.share_pct IS NOT NULL
    GROUP BY ALL
)
SELECT g.provider_group_name, mk.market_name, pe.period_label, s.source_id, f.share_pct AS group_pct,
       f.qualifier, m.members_pct, f.share_pct - m.members_pct AS difference_pct
FROM {batch} AS f
JOIN members AS m USING (provider_group_key, market_key, period_key, source_key)
JOIN core.dim_provider_group AS g USING (provider_group_key)
JOIN core.dim_market AS mk USING (market_key)
JOIN core.dim_period AS pe USING (period_key)
JOIN core.dim_source AS s USING (source_key)
WHERE f.qualifier IN ('approx', 'at_least') AND abs(f.share_pct - m.members_pct) > $share_tolerance_pct
