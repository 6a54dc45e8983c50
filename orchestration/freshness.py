"""Freshness: the published warehouse is flagged when no refresh published it within the window."""

import dagster as dg

from cloudmart.settings import Settings

PUBLISHED = dg.AssetSelection.keys("published_warehouse")


def with_freshness_policy(defs: dg.Definitions, settings: Settings) -> dg.Definitions:
    """`defs` with a freshness policy on the published warehouse (evaluated by Dagster's daemon)."""
    policy = dg.FreshnessPolicy.time_window(fail_window=settings.freshness_window)
    return defs.map_resolved_asset_specs(func=lambda spec: dg.apply_freshness_policy(spec, policy), selection=PUBLISHED)
