"""The Dagster instance kept in the data directory, with usage telemetry off."""

from __future__ import annotations

import os

import dagster as dg

from cloudmart.settings import Settings

INSTANCE_CONFIG = """\
# Written by cloudmart. Runs, event logs and schedules are stored next to this file.
telemetry:
  enabled: false
"""


def prepare_instance(settings: Settings) -> dg.DagsterInstance:
    """Point DAGSTER_HOME at the data directory's instance (created on first use) and open it."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(INSTANCE_CONFIG, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return dg.DagsterInstance.get()
