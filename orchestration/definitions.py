"""The Dagster definitions of cloudmart: `dagster dev` in the project root loads `defs` from here."""

from __future__ import annotations

import dagster as dg

from foundation.settings import Settings
from orchestration.assets import MODEL_ASSETS, market_report, postgres_serving_asset, published_warehouse, \
    raw_source_files, remote_sources
from orchestration.checks import AUDIT_CHECKS
from orchestration.freshness import with_freshness_policy
from orchestration.jobs import refresh_job
from orchestration.loggers import progress_logger
from orchestration.resources import WarehouseResource
from orchestration.schedules import refresh_schedule
from orchestration.sensors import failure_sensor, sources_sensor


def build_definitions(settings: Settings) -> dg.Definitions:
    """Every asset, check, job, schedule and sensor of cloudmart, working on the paths in `settings`.

    The `postgres_serving` asset is there only when `settings.pg_dsn` names a database to publish to.
    """
    serving = [postgres_serving_asset(settings.pg_dsn)] if settings.pg_dsn else []
    return with_freshness_policy(dg.Definitions(
        assets=[remote_sources, raw_source_files, *MODEL_ASSETS, published_warehouse, market_report, *serving],
        asset_checks=AUDIT_CHECKS,  # the other checks are declared on their assets (orchestration.checks)
        jobs=[refresh_job],
        schedules=[refresh_schedule(settings)],
        sensors=[sources_sensor(settings), failure_sensor(settings)],
        resources={"warehouse": WarehouseResource.from_settings(settings)},
        loggers={"console": dg.colored_console_logger, "progress": progress_logger},
    ), settings)


defs = build_definitions(Settings.from_env())
