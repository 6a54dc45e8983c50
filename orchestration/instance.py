"""The Dagster instance kept in the data directory: telemetry off, one writer at a time, dead runs
failed by run monitoring."""

from __future__ import annotations

import json
import os
from pathlib import Path

from foundation.run_tags import WRITER_TAG
from foundation.settings import Settings

INSTANCE_CONFIG = f"""\
# Written by cloudmart. Runs, event logs and schedules are stored next to this file.
telemetry:
  enabled: false
# One refresh writes the warehouse at a time: further triggers wait in the run queue.
concurrency:
  runs:
    max_concurrent_runs: 1
    tag_concurrency_limits:
      - key: "{WRITER_TAG}"
        limit: 1
# The queue hands a waiting refresh to a run worker within a second (Dagster's default: 5 s).
run_coordinator:
  module: dagster._core.run_coordinator
  class: QueuedRunCoordinator
  config:
    dequeue_interval_seconds: 1
# Dagster's default launcher, plus a health check of each run's worker process ...
run_launcher:
  module: orchestration.run_launcher
  class: LocalRunLauncher
# ... which run monitoring uses to fail a run whose process died (kill -9), instead of leaving it STARTED
# and the queue blocked for good; the failure sensor then closes the dead refresh.
run_monitoring:
  enabled: true
  poll_interval_seconds: 5
  start_timeout_seconds: 120
  max_resume_run_attempts: 0
"""


def prepare_dagster_home(settings: Settings) -> Path:
    """Create the data directory's Dagster home (telemetry off) and point DAGSTER_HOME at it."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config, text = home / "dagster.yaml", INSTANCE_CONFIG + event_log_config(home)
    if not config.exists() or config.read_text(encoding="utf-8") != text:
        config.write_text(text, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def event_log_config(home: Path) -> str:
    """The `dagster.yaml` block storing the event log where Dagster keeps it by default (history/runs/),
    through orchestration.event_log, which keeps its database connections between events. The path is
    absolute (`cloudmart status` opens the instance without DAGSTER_HOME); prepare_dagster_home rewrites
    it when the data directory moves."""
    runs = json.dumps(os.path.join(home.resolve(), "history", "runs", ""))
    return ("# Dagster's SQLite event log, keeping its connections between events (orchestration.event_log).\n"
            "event_log_storage:\n  module: orchestration.event_log\n  class: PooledSqliteEventLogStorage\n"
            f"  config:\n    base_dir: {runs}\n")
