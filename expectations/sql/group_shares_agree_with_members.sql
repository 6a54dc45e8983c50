-- Group shares contradicted by the exact shares of their members (same market, period and source):
-- a group is never below the sum of its members' stated shares (unless it is only a lower bound,
-- at_least), and when every member's share is stated, an exact or at_least group is not above it.
WITH members AS (
    SELECT b.provider_group_key, f.market_key, f.period_key, f.source_key,
           sum(f.share_pct) AS members_pct, count(*) AS members_stated
    FROM {batch} AS f
    JOIN core.bridge_provider_group_member AS b USING (provider_key)
    WHERE f.qualifier = 'exact' AND f.share_pct IS NOT NULL
    GROUP BY ALL
)
SELECT g.provider_group_name, mk.market_name, pe.period_label, s.source_id, f.share_pct AS group_pct,
       f.qualifier, m.members_pct, m.members_stated, g.member_count
FROM {batch} AS f
JOIN members AS m USING (provider_group_key, market_key, period_key, source_key)
JOIN core.dim_provider_group AS g USING (provider_group_key)
JOIN core.dim_market AS mk USING (market_key)
JOIN core.dim_period AS pe USING (period_key)
JOIN core.dim_source AS s USING (source_key)
WHERE f.share_pct IS NOT NULL
  AND ((f.qualifier <> 'at_least' AND f.share_pct < m.members_pct - $share_tolerance_pct)
    OR (f.qualifier IN ('exact', 'at_least') AND m.members_stated = g.member_count
        AND f.share_pct > m.members_pct + $share_tolerance_pct))
