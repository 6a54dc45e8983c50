"""Running a full refresh and telling people what happened."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

import dagster as dg
import duckdb

from foundation.run_tags import FULL_REBUILD_TAG, HOST_TAG, LAUNCHED_BY_CLI, PROCESS_TAG, REFRESH_JOB
from foundation.settings import Settings
from orchestration.instance import prepare_dagster_home
from orchestration.recovery import this_host
from warehouse.connection import connect
from warehouse.figure_changes import ChangeCounts, change_counts, first_changes
from warehouse.publish_log import TargetOutcome, run_targets


# Dagster's console logger prints every event; in a terminal one line per step is enough.
PROGRESS_ONLY = {"loggers": {"progress": {}}}
FIRST_CHANGES = 5  # the changes the summary shows; `cloudmart changes` lists every one


@dataclass
class CheckOutcome:
    """One asset check as it ran in a refresh."""

    asset: str
    name: str
    blocking: bool
    passed: bool
    problems: int | None
    sample: str | None
    failed_rules: list[str] = field(default_factory=list)


@dataclass
class RefreshOutcome:
    """What a refresh did: success (every step, every configured target), per-table rows of the
    published warehouse, checks, errors, the report it rebuilt (None when it built none), and what it
    published to each target (meta.publish_log). `caught_up` lists the targets of a run that only
    published the published file to the targets behind it. `changes` counts the figures a publish
    added, changed and removed (None when it published nothing), `first_changes` shows the first;
    `answer_changes` counts the reconciled answers (marts.reconciled_figures) it changed likewise."""

    success: bool
    run_id: str
    seconds: float
    tables: dict[str, int] = field(default_factory=dict)
    checks: list[CheckOutcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    report: str | None = None
    targets: list[TargetOutcome] = field(default_factory=list)
    caught_up: list[str] = field(default_factory=list)
    changes: ChangeCounts | None = None
    first_changes: list[dict] = field(default_factory=list)
    answer_changes: ChangeCounts | None = None

    def target(self, name: str) -> TargetOutcome | None:
        """What the run published to the target `name` (warehouse.publish_log), if it got that far."""
        return next((t for t in self.targets if t.target == name), None)


class NoQueueDaemon(Exception):
    """The instance is shared (PostgreSQL) but no Dagster daemon serves its run queue: a queued refresh
    would wait for good."""


class DataDirNotWritable(Exception):
    """The data directory (or a folder in it) cannot be written, so no refresh can run."""


def check_writable(settings: Settings) -> None:
    """Raise DataDirNotWritable, naming the folder and the reason, unless a refresh can write its files."""
    for folder in (settings.data_dir, settings.build_path.parent, settings.dagster_home):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / f".cloudmart-write-test-{os.getpid()}"
            probe.touch()
            probe.unlink()
        except OSError as error:
            raise DataDirNotWritable(f"cannot write to {folder} ({error.strerror}): a refresh writes its files in "
                                     f"the data directory {settings.data_dir}; nothing was changed") from None


def run_refresh(settings: Settings, catch_up: list[str] | None = None, on_status=None,
                full: bool = False) -> RefreshOutcome:
    """Materialise every asset in one run on the installation's Dagster instance; or, given
    `catch_up` (target names: "postgres", "report"), only publish the published warehouse file to
    those targets, without a rebuild. The tables of transforms/incremental.yml are rebuilt only for the
    sources that changed, unless `full`.

    On an instance of its own (SQLite in the data directory) the run executes in this process. On an
    instance shared by several machines (CLOUDMART_DAGSTER_PG_DSN) it goes to the instance's run queue, so
    that it never runs beside a refresh of the UI, the schedule or the sensor, and this process follows it
    to its end, calling `on_status(run_id, status)` at each status it passes; NoQueueDaemon when no daemon
    serves the queue, FollowInterrupted (orchestration.run_queue) on Ctrl-C."""
    from orchestration.definitions import build_definitions  # imported late: Dagster is slow to import
    from orchestration.failure_details import root_message
    from orchestration.resources import CATCH_UP_ASSETS

    check_writable(settings)
    prepare_dagster_home(settings)
    instance = dg.DagsterInstance.get()
    started = time.monotonic()
    selection = [CATCH_UP_ASSETS[name] for name in catch_up] if catch_up else None
    tags = {LAUNCHED_BY_CLI: "true", **({FULL_REBUILD_TAG: "true"} if full else {})}
    if settings.shared_instance:
        run_id, success, events = _run_in_queue(instance, selection, tags, on_status)
    else:
        result = build_definitions(settings).resolve_job_def(REFRESH_JOB).execute_in_process(
            instance=instance, raise_on_error=False, run_config=PROGRESS_ONLY, asset_selection=selection,
            tags={**tags, PROCESS_TAG: str(os.getpid()), HOST_TAG: this_host()})
        run_id, success, events = result.run_id, result.success, result.all_events
    outcome = RefreshOutcome(success=success, run_id=run_id, seconds=time.monotonic() - started,
                             caught_up=list(catch_up or []))
    outcome.targets = _published_targets(settings, run_id)
    for event in events:
        if event.is_step_failure:
            outcome.errors.append(root_message(event.step_failure_data.error))
        elif event.is_resource_init_failure:  # e.g. the working warehouse could not be opened
            outcome.errors.append(root_message(event.event_specific_data.error))
        elif event.event_type_value == "ASSET_CHECK_EVALUATION":
            outcome.checks.append(_check_outcome(event.event_specific_data))
        elif event.is_step_materialization and event.asset_key == dg.AssetKey(["published_warehouse"]):
            outcome.tables = event.step_materialization_data.materialization.metadata["tables"].data
        elif event.is_step_materialization and event.asset_key == dg.AssetKey(["market_report"]):
            outcome.report = event.step_materialization_data.materialization.metadata["path"].path
    if outcome.tables:
        outcome.changes, outcome.first_changes, outcome.answer_changes = _published_changes(settings, run_id)
    return outcome


def _run_in_queue(instance: dg.DagsterInstance, selection, tags: dict[str, str], on_status):
    """Queue the refresh, follow it to its end; its id, whether it succeeded, and its events."""
    from orchestration.run_queue import LIVE_HEARTBEAT_SECONDS, live_queue_daemon_age, run_events, submit_refresh, \
        wait_for_run

    if live_queue_daemon_age(instance) is None:
        raise NoQueueDaemon(f"no Dagster daemon serves the run queue of the shared instance (no heartbeat in the "
                            f"last {LIVE_HEARTBEAT_SECONDS:.0f} s): start `cloudmart service daemon` (or `cloudmart "
                            "serve`); nothing was queued")
    run_id = submit_refresh(instance, PROGRESS_ONLY, tags, selection).run_id
    run = wait_for_run(instance, run_id, (lambda status: on_status(run_id, status)) if on_status else None)
    return run.run_id, run.status == dg.DagsterRunStatus.SUCCESS, run_events(instance, run.run_id)


def _published_changes(settings: Settings, run_id: str) -> tuple[ChangeCounts, list[dict], ChangeCounts]:
    """The counts and first figure changes the run published (meta.figure_changes of the published file),
    and the counts of reconciled answers it changed (meta.answer_changes)."""
    with connect(settings.warehouse_path, read_only=True) as con:
        return (change_counts(con, run_id), first_changes(con, run_id, FIRST_CHANGES),
                change_counts(con, run_id, "answer_changes"))


def _published_targets(settings: Settings, run_id: str) -> list[TargetOutcome]:
    """What the run logged in meta.publish_log (nothing when the working warehouse never opened)."""
    if not settings.build_path.exists():
        return []
    try:
        with connect(settings.build_path, read_only=True) as con:
            return run_targets(con, run_id)
    except duckdb.IOException:  # held by another refresh already: the run's outcome comes from its events
        return []


def _check_outcome(evaluation) -> CheckOutcome:
    metadata = evaluation.metadata
    problems = metadata.get("problems")
    sample = metadata.get("sample")
    failed_rules = metadata.get("failed_rules")
    return CheckOutcome(asset="/".join(evaluation.asset_key.path), name=evaluation.check_name,
                        blocking=evaluation.severity == dg.AssetCheckSeverity.ERROR, passed=evaluation.passed, problems=problems.value if problems else None,
                        sample=sample.value if sample else None,
                        failed_rules=list(failed_rules.value) if failed_rules else [])
