-- Approximate or lower-bound group shares that differ from the sum of their members' exact shares
-- (same market, period and source) by more than the tolerance.
SELECT * FROM {batch}
WHERE qualifier IN ('approx', 'at_least') AND abs(difference_pct) > $share_tolerance_pct
