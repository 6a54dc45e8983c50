"""Jobs: the full refresh, run in one process (the warehouse has one writer)."""

from __future__ import annotations

import dagster as dg

refresh_job = dg.define_asset_job(
    "refresh", selection=dg.AssetSelection.all(), executor_def=dg.in_process_executor,
    description="Load every source file, rebuild every model, validate, and publish the warehouse.")
