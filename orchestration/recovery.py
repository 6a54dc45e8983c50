"""Refreshes whose process died (kill -9, a killed `cloudmart serve`, power loss): finding them and closing
them, so that the one-writer run queue moves on and nothing they left behind lingers.

Dagster's run monitoring asks the instance's run launcher (orchestration.run_launcher) whether a run's
worker is alive; the launcher answers from the worker's process id, which these functions read. Closing a
dead refresh means: its row in meta.refresh_log logged `abandoned`, its Dagster run failed, and its
half-written next warehouse version deleted. Only a process holding the working warehouse's writer
lock does that (then no refresh is alive): a refresh at its start, or the failure sensor when the
warehouse is free.
"""

from __future__ import annotations

import os
import socket

import dagster as dg
import duckdb

from foundation.run_tags import HOST_TAG, PROCESS_TAG
from foundation.settings import Settings
from warehouse.connection import open_connection
from warehouse.next_version import remove_stale_versions
from warehouse.refresh_log import close_abandoned, published_refresh_ids

IN_PROGRESS = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]
DIED = "the refresh's process ended before the refresh finished (killed?)"


def worker_pid(instance: dg.DagsterInstance, run: dg.DagsterRun) -> int | None:
    """The id of the process running `run`: the one `cloudmart refresh` tags its runs with, or the one
    Dagster's run worker reports in its "Started process for run" event; None when neither is known, or
    when the run's process is not known to run on this machine (its HOST_TAG is another's, or missing, as
    for a run that another launcher, e.g. Kubernetes', started), where this one cannot look."""
    if run.tags.get(HOST_TAG) != this_host():
        return None
    tagged = run.tags.get(PROCESS_TAG)
    if tagged is not None:
        return int(tagged) if tagged.isdigit() else None
    for record in reversed(instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT)):
        pid = record.dagster_event.event_specific_data.metadata.get("pid")
        if pid is not None and str(pid.value).isdigit():
            return int(pid.value)
    return None


def this_host() -> str:
    """The name of this machine, as runs are tagged with it (HOST_TAG)."""
    return socket.gethostname()


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def runs_whose_process_died(instance: dg.DagsterInstance, current_id: str | None = None) -> set[str]:
    """Ids of the in-progress runs (other than `current_id`) whose worker process no longer exists."""
    runs = instance.get_runs(filters=dg.RunsFilter(statuses=IN_PROGRESS))
    return {run.run_id for run in runs if run.run_id != current_id
            and (pid := worker_pid(instance, run)) is not None and not process_alive(pid)}


def close_dead_refreshes(con: duckdb.DuckDBPyConnection, instance: dg.DagsterInstance, settings: Settings,
                         current_id: str = "") -> list[str]:
    """Holding the writer lock (`con`): log dead refreshes as abandoned, fail their runs, delete their
    next-version files; return their ids."""
    dead = close_abandoned(con, current_id, published_refresh_ids(settings.warehouse_path))
    for run_id in sorted(set(dead) | runs_whose_process_died(instance, current_id)):
        run = instance.get_run_by_id(run_id)
        if run is not None and run.status in IN_PROGRESS:
            instance.report_run_failed(run, DIED)
    remove_stale_versions(settings.warehouse_path)
    return dead


def close_dead_refreshes_if_free(instance: dg.DagsterInstance, settings: Settings) -> list[str]:
    """`close_dead_refreshes` when no refresh holds the working warehouse (else that refresh does it at
    its start); the ids closed."""
    if not settings.build_path.exists():
        return []
    try:
        con = open_connection(settings.build_path)
    except duckdb.IOException:
        return []  # locked: a refresh is running
    try:
        return close_dead_refreshes(con, instance, settings)
    finally:
        con.close()
