"""The Dagster definitions of cloudmart: `dagster dev` in the project root loads `defs` from here."""

from __future__ import annotations

import dagster as dg

from cloudmart.settings import Settings
from orchestration.assets import MODEL_ASSETS, published_warehouse, raw_source_files
from orchestration.checks import AUDIT_CHECKS, SUITE_CHECKS
from orchestration.jobs import refresh_job
from orchestration.loggers import progress_logger
from orchestration.resources import WarehouseResource


def build_definitions(settings: Settings) -> dg.Definitions:
    """Every asset, check and job of cloudmart, working on the paths in `settings`."""
    return dg.Definitions(
        assets=[raw_source_files, *MODEL_ASSETS, published_warehouse],
        asset_checks=[*AUDIT_CHECKS, *SUITE_CHECKS],
        jobs=[refresh_job],
        resources={"warehouse": WarehouseResource.from_settings(settings)},
        loggers={"console": dg.colored_console_logger, "progress": progress_logger},
    )


defs = build_definitions(Settings.from_env())
