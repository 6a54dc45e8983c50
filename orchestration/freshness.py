"""Freshness: the published warehouse is flagged when no refresh published it within the window."""

import warnings

import dagster as dg

from foundation.settings import Settings

PUBLISHED = dg.AssetSelection.assets("published_warehouse")


def with_freshness_policy(defs: dg.Definitions, settings: Settings) -> dg.Definitions:
    """`defs` with a freshness policy on the published warehouse (evaluated by Dagster's daemon)."""
    policy = dg.FreshnessPolicy.time_window(fail_window=settings.freshness_window)
    with warnings.catch_warnings():  # Dagster 1.13 marks this documented way to attach a policy as preview
        warnings.simplefilter("ignore", dg.PreviewWarning)
        return defs.map_resolved_asset_specs(func=lambda spec: dg.apply_freshness_policy(spec, policy),
                                             selection=PUBLISHED)
