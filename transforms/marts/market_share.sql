-- Shares and ranks per provider or group, market, period and source: one row each.
SELECT
    entity_name AS provider_name,
    is_group,
    market_name,
    period_label,
    period_start,
    period_end,
    max(value) FILTER (WHERE metric = 'market_share') AS share_pct,
    CAST(max(value) FILTER (WHERE metric = 'market_rank') AS INTEGER) AS rank,
    coalesce(max(qualifier) FILTER (WHERE metric = 'market_share'), max(qualifier)) AS qualifier,
    source_title,
    string_agg(DISTINCT citation, ', ' ORDER BY citation) AS citation,  -- ordered: the same every build
    source_id,
    period_order
FROM marts.figures
WHERE metric IN ('market_share', 'market_rank')
GROUP BY ALL
