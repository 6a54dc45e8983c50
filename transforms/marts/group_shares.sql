-- Every stated group share next to the sum of its members' exact shares in the same market, period
-- and source (null where no member's share is stated there). The members are summed in line order: a sum of
-- doubles depends on the order of its terms, and a per-source rebuild stores rows in another order than a full one.
WITH members AS (
    SELECT b.provider_group_key, f.market_key, f.period_key, f.source_key,
           sum(f.share_pct ORDER BY f.figure_key) AS members_pct, count(*) AS members_stated
    FROM core.fct_market_share AS f
    JOIN core.bridge_provider_group_member AS b USING (provider_key)
    WHERE f.qualifier = 'exact' AND f.share_pct IS NOT NULL
    GROUP BY ALL
)
SELECT g.provider_group_name, mk.market_name, pe.period_label, f.share_pct AS group_pct, f.qualifier,
       m.members_pct, coalesce(m.members_stated, 0) AS members_stated, g.member_count,
       f.share_pct - m.members_pct AS difference_pct, s.source_id,
       pe.start_date AS period_start, pe.end_date AS period_end, s.title AS source_title, c.citation, pe.period_order
FROM core.fct_market_share AS f
JOIN core.dim_provider_group AS g USING (provider_group_key)
JOIN core.dim_market AS mk USING (market_key)
JOIN core.dim_period AS pe USING (period_key)
JOIN core.dim_source AS s USING (source_key)
LEFT JOIN core.dim_citation AS c USING (citation_key)
LEFT JOIN members AS m USING (provider_group_key, market_key, period_key, source_key)
WHERE f.share_pct IS NOT NULL
