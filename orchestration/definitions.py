"""The Dagster definitions of cloudmart: `dagster dev` in the project root loads this module."""

from __future__ import annotations

import dagster as dg

from cloudmart.settings import Settings
from orchestration.assets import MODEL_ASSETS, published_warehouse, raw_source_files
from orchestration.checks import AUDIT_CHECKS
from orchestration.jobs import refresh_job
from orchestration.resources import WarehouseResource

defs = dg.Definitions(
    assets=[raw_source_files, *MODEL_ASSETS, published_warehouse],
    asset_checks=AUDIT_CHECKS,
    jobs=[refresh_job],
    resources={"warehouse": WarehouseResource.from_settings(Settings.from_env())},
)
