"""Jobs: the full refresh, run in one process (the warehouse has one writer)."""

from __future__ import annotations

import dagster as dg

from foundation.run_tags import REFRESH_JOB, WRITER_TAG

refresh_job = dg.define_asset_job(
    REFRESH_JOB, selection=dg.AssetSelection.all(), executor_def=dg.in_process_executor,
    tags={WRITER_TAG: "warehouse"},
    description="Load every source file, rebuild every model, validate, and publish the warehouse.")
