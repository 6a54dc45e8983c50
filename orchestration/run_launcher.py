"""The run launcher of cloudmart's Dagster instance (orchestration.instance): Dagster's default launcher,
which also tells Dagster's run monitoring whether a run's worker process is alive.

The default launcher cannot check a run worker's health, so with it run monitoring never fails a run
whose process was killed: the run stays STARTED and, the queue allowing one writer, blocks every later
refresh. This one answers from the worker's process id (orchestration.recovery.worker_pid); a run whose
process is gone is failed by the monitoring daemon, and the failure sensor closes the dead refresh.
"""

from __future__ import annotations

from dagster._core.launcher import CheckRunHealthResult, DefaultRunLauncher, WorkerStatus

from orchestration.recovery import process_alive, worker_pid


class LocalRunLauncher(DefaultRunLauncher):
    """Launches runs as Dagster's DefaultRunLauncher does; checks their workers by process id."""

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run) -> CheckRunHealthResult:
        """FAILED when the run's worker process no longer exists; RUNNING when it does or is not known yet."""
        pid = worker_pid(self._instance, run)
        if pid is None or process_alive(pid):
            return CheckRunHealthResult(WorkerStatus.RUNNING)
        return CheckRunHealthResult(WorkerStatus.FAILED, f"its process {pid} no longer exists (killed?)")
