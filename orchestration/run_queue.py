"""Refreshes submitted to the instance's run queue, for `cloudmart refresh` on an instance shared by several
machines (CLOUDMART_DAGSTER_PG_DSN): the one daemon of the instance starts them one at a time, like the
runs of the UI, the schedule and the sensor, so no refresh ever runs beside another.

The run is created as Dagster's own `dagster job launch` creates one: from the code location `cloudmart`,
loaded in this process (it is the same module the code server serves), with the run's origin pointing at
that module, which the daemon's run launcher (orchestration.run_launcher) loads from disk."""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping, Sequence

import dagster as dg
from dagster._core.definitions.selector import JobSubsetSelector
from dagster._core.remote_origin import InProcessCodeLocationOrigin
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster._core.workspace.context import WorkspaceProcessContext
from dagster._core.workspace.load_target import InProcessWorkspaceLoadTarget
from dagster._daemon.controller import DEFAULT_HEARTBEAT_INTERVAL_SECONDS
from dagster._daemon.run_coordinator.queued_run_coordinator_daemon import QueuedRunCoordinatorDaemon

from foundation.run_tags import REFRESH_JOB
from foundation.settings import PROJECT_ROOT
from orchestration.instance import LOCATION_NAME

DEFINITIONS_MODULE = "orchestration.definitions"
# A daemon writes a heartbeat every 30 s: one older than this has stopped (or hangs).
LIVE_HEARTBEAT_SECONDS = DEFAULT_HEARTBEAT_INTERVAL_SECONDS * 1.5
POLL_SECONDS = 0.5


def live_queue_daemon_age(instance: dg.DagsterInstance) -> float | None:
    """Seconds since the instance's run-queue daemon last sent a heartbeat, when it is recent enough for the
    daemon to be running; None when no daemon serves the queue."""
    heartbeat = instance.get_daemon_heartbeats().get(QueuedRunCoordinatorDaemon.daemon_type())
    if heartbeat is None:
        return None
    age = time.time() - heartbeat.timestamp
    return age if age <= LIVE_HEARTBEAT_SECONDS else None


def submit_refresh(instance: dg.DagsterInstance, run_config: Mapping, tags: Mapping[str, str],
                   asset_selection: Sequence[dg.AssetKey] | None = None) -> dg.DagsterRun:
    """Queue a run of the refresh job (only `asset_selection` when given) on `instance`; the queued run."""
    origin = InProcessCodeLocationOrigin(
        LoadableTargetOrigin(executable_path=sys.executable, module_name=DEFINITIONS_MODULE,
                             working_directory=str(PROJECT_ROOT)),
        location_name=LOCATION_NAME)
    with WorkspaceProcessContext(instance, InProcessWorkspaceLoadTarget(origin)) as process:
        workspace = process.create_request_context()
        location = workspace.get_code_location(LOCATION_NAME)
        repository = next(iter(location.get_repositories().values()))
        job = location.get_job(JobSubsetSelector(location_name=LOCATION_NAME, repository_name=repository.name,
                                                 job_name=REFRESH_JOB, op_selection=None,
                                                 asset_selection=asset_selection))
        plan = location.get_execution_plan(job, run_config, step_keys_to_execute=None, known_state=None,
                                           instance=instance).execution_plan_snapshot
        run = instance.create_run(
            job_name=REFRESH_JOB, run_id=None, run_config=run_config, status=None, tags={**job.tags, **tags},
            root_run_id=None, parent_run_id=None, step_keys_to_execute=plan.step_keys_to_execute,
            execution_plan_snapshot=plan, job_snapshot=job.job_snapshot,
            parent_job_snapshot=job.parent_job_snapshot,
            asset_selection=frozenset(asset_selection) if asset_selection else None, asset_check_selection=None,
            resolved_op_selection=None, op_selection=None, remote_job_origin=job.get_remote_origin(),
            job_code_origin=job.get_python_origin(), asset_graph=repository.asset_graph)
        return instance.submit_run(run.run_id, workspace)


class FollowInterrupted(Exception):
    """Ctrl-C while following a queued run; the message says what became of the run."""


def wait_for_run(instance: dg.DagsterInstance, run_id: str, on_status=None) -> dg.DagsterRun:
    """Follow the run until it has finished (succeeded, failed or canceled); call `on_status(status)` at each
    change of its status. On Ctrl-C, cancel it (a queued run leaves the queue; a started one is terminated
    when it runs on this machine) and raise FollowInterrupted."""
    seen = None
    try:
        while True:
            run = instance.get_run_by_id(run_id)
            if run.status != seen and on_status is not None:
                on_status(run.status)
            seen = run.status
            if run.is_finished:
                return run
            time.sleep(POLL_SECONDS)
    except KeyboardInterrupt:
        if instance.run_coordinator.cancel_run(run_id):
            raise FollowInterrupted(f"interrupted: run {run_id} was canceled") from None
        raise FollowInterrupted(f"interrupted: run {run_id} could not be canceled from here (it runs on another "
                                "machine, or it had just ended): see it in the Dagster UI") from None


def run_events(instance: dg.DagsterInstance, run_id: str) -> list[dg.DagsterEvent]:
    """The Dagster events the run logged, in order."""
    return [record.dagster_event for record in instance.all_logs(run_id) if record.is_dagster_event]
