"""`cloudmart service code-server|webserver|daemon`: Dagster's three services as separate processes, for
machines (or containers) of their own sharing one instance in PostgreSQL (CLOUDMART_DAGSTER_PG_DSN).

Each prepares the Dagster home from the settings (dagster.yaml; for the webserver and the daemon also a
workspace.yaml naming the code server) and then replaces itself with Dagster's own command: the code
location `cloudmart` served over gRPC (`dagster api grpc`), `dagster-webserver`, `dagster-daemon run`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from foundation.settings import PROJECT_ROOT, Settings
from orchestration.instance import LOCATION_NAME, prepare_dagster_home, write_workspace


class SecondDaemon(Exception):
    """Another daemon serves the instance already (Dagster allows one per instance)."""


def code_server(settings: Settings, host: str, port: int) -> None:
    """Serve the code location `cloudmart` (orchestration.definitions) over gRPC on host:port."""
    exec_dagster("dagster", ["api", "grpc", "--module-name", "orchestration.definitions", "--attribute", "defs",
                      "--working-directory", str(PROJECT_ROOT), "--location-name", LOCATION_NAME,
                      "--host", host, "--port", str(port)], settings)


def webserver(settings: Settings, host: str, port: int, code_server_at: tuple[str, int]) -> None:
    """Run Dagster's UI on host:port, loading the code location from the code server at `code_server_at`."""
    workspace = write_workspace(settings, code_server_at)
    exec_dagster("dagster-webserver", ["--host", host, "--port", str(port), "--workspace", str(workspace)], settings)


def daemon(settings: Settings, code_server_at: tuple[str, int]) -> None:
    """Run Dagster's daemon (run queue, schedule, sensors, run monitoring) against the code server at
    `code_server_at`; SecondDaemon when another daemon sent the instance a heartbeat within the last 45 s."""
    workspace = write_workspace(settings, code_server_at)
    refuse_second_daemon(settings)
    exec_dagster("dagster-daemon", ["run", "--workspace", str(workspace)], settings)


def refuse_second_daemon(settings: Settings) -> None:
    """SecondDaemon when a daemon sent the installation's instance a heartbeat within the last 45 s."""
    import dagster as dg

    from orchestration.run_queue import LIVE_HEARTBEAT_SECONDS, live_queue_daemon_age

    prepare_dagster_home(settings)
    with dg.DagsterInstance.get() as instance:
        age = live_queue_daemon_age(instance)
    if age is not None:
        raise SecondDaemon(f"another Dagster daemon serves this instance (its last heartbeat {age:.0f} s ago) and "
                           f"Dagster allows one per instance: stop it first (after it stopped, wait "
                           f"{LIVE_HEARTBEAT_SECONDS:.0f} s)")


def exec_dagster(program: str, arguments: list[str], settings: Settings) -> None:
    """Replace this process with Dagster's `program` on the installation's instance, telemetry off."""
    prepare_dagster_home(settings)
    os.environ["DAGSTER_DISABLE_TELEMETRY"] = "1"
    os.chdir(PROJECT_ROOT)
    executable = Path(sys.executable).with_name(program)
    os.execv(executable, [str(executable), *arguments])
