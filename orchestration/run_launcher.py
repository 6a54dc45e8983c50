"""The run launcher of cloudmart's Dagster instance (orchestration.instance): runs start from a process that
has imported the heavy libraries already, and Dagster's run monitoring can tell whether a run's worker
process is alive.

Starting a run: Dagster's default launcher asks the code server to start each run in a new `spawn`
process, which imports Dagster, cloudmart's definitions and GX again for every run (about 10 s of the
25 s from a file drop to published data on two cores). This launcher runs the same run worker (Dagster's
`start_run_in_subprocess`, which the code server runs) through Python's multiprocessing forkserver: a
single-threaded server process, started with the daemon's first run, imports the libraries in PRELOADED
once, and every run is a fresh fork of it. cloudmart's own modules are not preloaded: each run imports
the definitions from disk, so a code change applies to the next run, as before.

Health: the default launcher cannot check a run worker's health, so with it run monitoring never fails a
run whose process was killed: the run stays STARTED and, the queue allowing one writer, blocks every
later refresh. This one answers from the worker's process id (orchestration.recovery.worker_pid); a run
whose process is gone is failed by the monitoring daemon, and the failure sensor closes the dead refresh.

Several machines (an instance in PostgreSQL, `cloudmart service ...`): the daemon launches every run, so
runs execute on the daemon's machine, from the module the run's origin names (orchestration.definitions,
the module the gRPC code server serves too): that machine needs the code and the data directory, as the
code server does. Each run is tagged with the machine it runs on (HOST_TAG): the health check, the
termination and the recovery of dead runs act only on runs of their own machine, as a process id means
nothing elsewhere (and could name an unrelated process there).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import time

from dagster._core.errors import DagsterLaunchFailedError
from dagster._core.launcher import CheckRunHealthResult, DefaultRunLauncher, LaunchRunContext, WorkerStatus
from dagster._grpc.impl import IPCErrorMessage, RunInSubprocessComplete, start_run_in_subprocess
from dagster._grpc.types import ExecuteExternalJobArgs
from dagster._serdes import serialize_value
from dagster._utils.hosted_user_process import recon_job_from_origin

from foundation.run_tags import HOST_TAG
from orchestration.recovery import process_alive, this_host, worker_pid

# Imported once by the fork server; what a refresh needs and takes seconds to import (our own modules
# are left out so that every run loads the current code).
PRELOADED = ["dagster", "dagster._grpc.impl", "dagster._core.execution.api",
             "dagster._core.storage.sqlite_storage", "dagster._core.storage.local_compute_log_manager",
             "dagster._daemon.freshness", "alembic.command", "dagster_postgres",  # what opening the instance imports
             "duckdb", "duckdb_engine", "sqlalchemy", "pandas", "yaml", "great_expectations",
             "great_expectations.expectations", "matplotlib.figure", "jinja2", "psycopg"]
START_TIMEOUT_SECONDS = 60  # for the worker to load its run; run monitoring's start timeout covers the rest


def _forkserver() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOADED)
    return context


class LocalRunLauncher(DefaultRunLauncher):
    """Launches each run in a worker forked from a preloaded process on this machine; checks workers by
    process id; terminates a run by interrupting its worker, as Dagster's code server does."""

    def launch_run(self, context: LaunchRunContext) -> None:
        """Start the run's worker and return once it has loaded the run (or failed to)."""
        run = context.dagster_run
        self._instance.add_run_tags(run.run_id, {HOST_TAG: this_host()})  # where its process id means something
        args = serialize_value(ExecuteExternalJobArgs(job_origin=run.remote_job_origin, run_id=run.run_id,
                                                      instance_ref=self._instance.get_ref()))
        mp = _forkserver()
        messages, stop = mp.Queue(), mp.Event()
        worker = mp.Process(target=start_run_in_subprocess, name=f"run-{run.run_id[:8]}",
                            args=[args, recon_job_from_origin(run.job_code_origin), messages, stop])
        worker.start()
        first = _next_message(messages, worker, START_TIMEOUT_SECONDS)
        threading.Thread(target=_drain, args=(messages, worker, first), daemon=True,
                         name=f"run-{run.run_id[:8]}-watch").start()
        if isinstance(first, IPCErrorMessage):
            raise DagsterLaunchFailedError(first.message, serializable_error_info=first.serializable_error_info)
        if first is None and not worker.is_alive():
            raise DagsterLaunchFailedError(f"the run worker for {run.run_id} exited with code {worker.exitcode} "
                                           "before it started the run")

    def terminate(self, run_id: str) -> bool:
        """Interrupt the run's worker (Dagster then ends the run as canceled); False when it is not running."""
        run = self._instance.get_run_by_id(run_id)
        if run is None or run.is_finished:
            return False
        pid = worker_pid(self._instance, run)
        if pid is None or not process_alive(pid):
            return False
        self._instance.report_run_canceling(run)
        os.kill(pid, signal.SIGINT)
        return True

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run) -> CheckRunHealthResult:
        """FAILED when the run's worker process no longer exists; RUNNING when it does or is not known yet."""
        pid = worker_pid(self._instance, run)
        if pid is None or process_alive(pid):
            return CheckRunHealthResult(WorkerStatus.RUNNING)
        return CheckRunHealthResult(WorkerStatus.FAILED, f"its process {pid} no longer exists (killed?)")


def _next_message(messages, worker, timeout: float):
    """The worker's next status message; None when it ended or `timeout` passed without one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return messages.get(timeout=0.05)
        except queue.Empty:
            if not worker.is_alive():
                return None
    return None


def _drain(messages, worker, message) -> None:
    """Read the worker's status messages until it says it is done or ends, then reap it."""
    while message is not None and not isinstance(message, RunInSubprocessComplete):
        message = _next_message(messages, worker, timeout=3600)
    worker.join()
