"""Jobs: the full refresh, run in one process (the warehouse has one writer)."""

from __future__ import annotations

import dagster as dg

# Runs carrying this tag are limited to one at a time by the instance (see cloudmart.instance).
WRITER_TAG = "cloudmart/writer"

refresh_job = dg.define_asset_job(
    "refresh", selection=dg.AssetSelection.all(), executor_def=dg.in_process_executor,
    tags={WRITER_TAG: "warehouse"},
    description="Load every source file, rebuild every model, validate, and publish the warehouse.")
