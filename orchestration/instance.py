"""The Dagster instance of a cloudmart installation: telemetry off, one writer at a time, dead runs failed
by run monitoring; its storage in SQLite files in the data directory, or in PostgreSQL
(CLOUDMART_DAGSTER_PG_DSN) when processes on several machines share it. Also the workspace.yaml that
points the webserver and the daemon at a separate code server."""

from __future__ import annotations

import json
import os
from pathlib import Path

import psycopg

from foundation.run_tags import WRITER_TAG
from foundation.settings import Settings
from warehouse.postgres import failure_reason, redact_dsn

LOCATION_NAME = "cloudmart"  # the code location's name, as in pyproject.toml's [tool.dagster]
DSN_VARIABLE = "CLOUDMART_DAGSTER_PG_DSN"
SQLITE_STORAGE = "# Written by cloudmart. Runs, event logs and schedules are stored next to this file.\n"
POSTGRES_STORAGE = f"""\
# Written by cloudmart. Runs, event logs and schedules are stored in PostgreSQL, at the URL in
# {DSN_VARIABLE} (read from the environment of every process: no password in this file).
storage:
  postgres:
    postgres_url:
      env: {DSN_VARIABLE}
"""
INSTANCE_CONFIG = f"""\
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
CONNECT_TIMEOUT_SECONDS = 5


class InstanceUnreachable(Exception):
    """Dagster's PostgreSQL database cannot be reached (the message is one line, its password left out)."""


def instance_config(settings: Settings) -> str:
    """The dagster.yaml of the installation: its storage, then the rules every instance of cloudmart has.
    The event-log block only on SQLite: a per-store block makes Dagster ignore a `storage: postgres:` one."""
    if settings.shared_instance:
        return POSTGRES_STORAGE + INSTANCE_CONFIG
    return SQLITE_STORAGE + event_log_config(settings.dagster_home) + INSTANCE_CONFIG


def prepare_dagster_home(settings: Settings) -> Path:
    """Create the data directory's Dagster home with its dagster.yaml and point DAGSTER_HOME at it."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    _write_if_changed(home / "dagster.yaml", instance_config(settings))
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def check_instance_storage(settings: Settings) -> None:
    """Raise InstanceUnreachable unless Dagster's PostgreSQL database (when one is set) accepts a connection."""
    dsn = settings.dagster_pg_dsn
    if dsn is None:
        return
    try:
        psycopg.connect(dsn, connect_timeout=CONNECT_TIMEOUT_SECONDS).close()
    except psycopg.Error as error:
        raise InstanceUnreachable(f"cannot reach Dagster's database {redact_dsn(dsn)} ({DSN_VARIABLE}): "
                                  f"{failure_reason(error, dsn)}") from None


def write_workspace(settings: Settings, code_server: tuple[str, int]) -> Path:
    """Write the Dagster home's workspace.yaml: the code location `cloudmart`, served by the gRPC code server
    at `code_server` (host, port)."""
    host, port = code_server
    path = settings.dagster_home / "workspace.yaml"
    _write_if_changed(path, f"""\
# Written by cloudmart: the code location served by `cloudmart service code-server`.
load_from:
  - grpc_server:
      host: "{host}"
      port: {port}
      location_name: "{LOCATION_NAME}"
""")
    return path


def _write_if_changed(path: Path, text: str) -> None:
    """Write `text` to `path` unless it holds it already; atomically, as services starting together on one
    data directory write the same files."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def event_log_config(home: Path) -> str:
    """The `dagster.yaml` block storing the event log where Dagster keeps it by default (history/runs/),
    through orchestration.event_log, which keeps its database connections between events. The path is
    absolute (`cloudmart status` opens the instance without DAGSTER_HOME); prepare_dagster_home rewrites
    it when the data directory moves."""
    runs = json.dumps(os.path.join(home.resolve(), "history", "runs", ""))
    return ("# Dagster's SQLite event log, keeping its connections between events (orchestration.event_log).\n"
            "event_log_storage:\n  module: orchestration.event_log\n  class: PooledSqliteEventLogStorage\n"
            f"  config:\n    base_dir: {runs}\n")
