"""Every tolerance the validation rules use, in one place.

Shares are usually stated rounded to whole percent, so each one may be off by up to half a point:
a sum of shares, or a group's share against the sum of its members', gets one point of slack.
"""

SHARE_SUM_TOLERANCE_PCT = 1.0        # percentage points allowed over 100 % or between group and members
GROWTH_MIN_PCT = -100.0              # revenue cannot fall by more than all of it
GROWTH_MAX_PCT = 1000.0              # a tenfold rise in a year is the most we believe without a look
RATIO_TOLERANCE_EXACT = 0.02         # relative slack when an exact figure is recomputed from others (rounding)
RATIO_TOLERANCE_APPROX = 0.10        # relative slack for approx / at_least / at_most figures

PLACEHOLDERS = {
    "share_tolerance_pct": SHARE_SUM_TOLERANCE_PCT,
    "growth_min_pct": GROWTH_MIN_PCT,
    "growth_max_pct": GROWTH_MAX_PCT,
    "ratio_tolerance_exact": RATIO_TOLERANCE_EXACT,
    "ratio_tolerance_approx": RATIO_TOLERANCE_APPROX,
}
