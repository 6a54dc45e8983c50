-- Group shares contradicted by the exact shares of their members (same market, period and source):
-- a group is never below the sum of its members' stated shares (unless it is only a lower bound,
-- at_least), and when every member's share is stated, an exact or at_least group is not above it.
SELECT * FROM {batch}
WHERE (qualifier <> 'at_least' AND group_pct < members_pct - $share_tolerance_pct)
   OR (qualifier IN ('exact', 'at_least') AND members_stated = member_count
       AND group_pct > members_pct + $share_tolerance_pct)
