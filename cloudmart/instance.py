"""The Dagster instance kept in the data directory, with usage telemetry off."""

from __future__ import annotations

import os
from pathlib import Path

from cloudmart.settings import Settings

INSTANCE_CONFIG = """\
# Written by cloudmart. Runs, event logs and schedules are stored next to this file.
telemetry:
  enabled: false
# One refresh writes the warehouse at a time: further triggers wait in the run queue.
concurrency:
  runs:
    max_concurrent_runs: 1
    tag_concurrency_limits:
      - key: "cloudmart/writer"
        limit: 1
"""


def prepare_dagster_home(settings: Settings) -> Path:
    """Create the data directory's Dagster home (telemetry off) and point DAGSTER_HOME at it."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or config.read_text(encoding="utf-8") != INSTANCE_CONFIG:
        config.write_text(INSTANCE_CONFIG, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return home
