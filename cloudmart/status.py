"""`cloudmart status`: the last refresh, the age of the published data, failing checks, the next run."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import duckdb

from cloudmart.target_status import print_targets, read_targets
from foundation.settings import Settings
from warehouse.publish_log import last_publishes
from warehouse.refresh_log import table_exists

if TYPE_CHECKING:  # imports Dagster: read_failure_details imports it when a refresh failed
    from orchestration.failure_details import FailureDetails


@dataclass
class Status:
    """What an operator wants to know at a glance."""

    last_refresh: tuple | None          # refresh_id, trigger, started_at, finished_at, outcome
    last_published: datetime | None
    failing_checks: list[tuple]         # check_name, rule, severity, unexpected_count
    next_run: datetime
    refresh_running: bool
    current_with: tuple | None = None   # (refresh id, finished at) of the published refresh the sources match
    failure: FailureDetails | None = None  # the first problems of a failed or abandoned last refresh
    last_publishes: dict = field(default_factory=dict)  # target name -> its last TargetOutcome (meta.publish_log)

    def data_age(self, now: datetime) -> timedelta | None:
        """How long ago the published data was refreshed."""
        return now - self.last_published if self.last_published else None


def open_latest(settings: Settings) -> tuple[duckdb.DuckDBPyConnection | None, bool]:
    """A read-only connection to the working warehouse (or, while a refresh holds it, the published one;
    None when there is neither), and whether a refresh is running."""
    running, source = False, settings.build_path
    try:
        con = duckdb.connect(str(source), read_only=True) if source.exists() else None
    except duckdb.IOException:
        running, con = True, None
    if con is None and settings.warehouse_path.exists():
        con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    return con, running


def read_status(settings: Settings) -> Status:
    """Gather the status from the working warehouse (or, while a refresh holds it, the published one)."""
    con, running = open_latest(settings)
    last, published, failing = None, None, []
    if con is not None and table_exists(con, "meta", "refresh_log"):
        last = con.execute("SELECT refresh_id, trigger, started_at, finished_at, outcome FROM meta.refresh_log "
                           "ORDER BY started_at DESC LIMIT 1").fetchone()
        published = con.execute("SELECT max(finished_at) FROM meta.refresh_log WHERE outcome = 'published'"
                                 ).fetchone()[0]
        failing = con.execute("SELECT check_name, rule, severity, unexpected_count FROM meta.check_results "
                              "WHERE refresh_id = ? AND NOT success ORDER BY severity, check_name, rule",
                              [last[0]]).fetchall() if last else []
    publishes = last_publishes(con) if con is not None else {}
    if con is not None:
        con.close()
    status = Status(last, published, failing, next_scheduled_run(settings), running, last_publishes=publishes)
    if published is not None:
        from cloudmart.up_to_date import unchanged_since

        status.current_with = unchanged_since(settings, fetch=False)
    if last is not None and last[4] in ("failed", "abandoned"):
        status.failure = read_failure_details(settings, last[0])
    return status


def read_failure_details(settings: Settings, refresh_id: str) -> FailureDetails | None:
    """The first problems of a refresh that did not publish, from its Dagster run's events."""
    import dagster as dg

    from orchestration.failure_details import failure_details

    if not (settings.dagster_home / "dagster.yaml").exists():
        return None
    with dg.DagsterInstance.from_config(str(settings.dagster_home)) as instance:
        return failure_details(instance, refresh_id)


def next_scheduled_run(settings: Settings, now: float | None = None) -> datetime:
    """The next tick of the refresh schedule."""
    from dagster._utils.schedules import cron_string_iterator  # Dagster's own cron arithmetic

    ticks = cron_string_iterator(time.time() if now is None else now, settings.refresh_cron,
                                 settings.refresh_timezone)
    return next(ticks)


def print_status(status: Status, settings: Settings) -> bool:
    """Print the status; return whether the published data is fresh and the last refresh succeeded."""
    now = datetime.now(timezone.utc)
    if status.refresh_running:
        print("A refresh is running now.")
    if status.last_refresh is None:
        print("No refresh has run yet: run `cloudmart refresh`.")
        return False
    refresh_id, trigger, started, finished, outcome = status.last_refresh
    print(f"Last refresh:   {outcome} ({trigger}), started {started:%Y-%m-%d %H:%M:%S %Z}, id {refresh_id}")
    print_failure_details(status.failure)
    print(f"State:          {state_of(status)}")
    age = status.data_age(now)
    stale = age is None or age > settings.freshness_window
    if age is None:
        print("Published data: none yet")
    else:
        print(f"Published data: refreshed {status.last_published:%Y-%m-%d %H:%M:%S %Z}, "
              f"{age.total_seconds() / 3600:.1f} h ago" + (" — STALE" if stale else ""))
    print(f"Failing checks: {len(status.failing_checks) or 'none'}")
    for check, rule, severity, count in status.failing_checks:
        print(f"  {severity:<8} {check} / {rule}: {count} problem(s)")
    print(f"Next scheduled: {status.next_run:%Y-%m-%d %H:%M %Z}")
    targets_current = print_targets(read_targets(settings, status.last_publishes), status.refresh_running)
    return (outcome == "published" or status.current_with is not None) and not stale and targets_current


def state_of(status: Status) -> str:
    """`published, current` when the published data was built from the sources as they are now (also
    after a failed refresh of a change that has since been reverted); otherwise what is behind."""
    outcome = status.last_refresh[4]
    if outcome == "running":
        return "a refresh is running"
    if status.current_with is not None:
        if outcome == "published":
            return "published, current"
        return (f"published, current: the sources are again those refresh {status.current_with[0]} published; "
                f"the {outcome} refresh changed nothing")
    if status.last_published is None:
        return "nothing published yet"
    if outcome == "published":
        return "published; not built from the sources as they are now (the next refresh picks them up)"
    return f"{outcome}: the published data is older than the sources"


def print_failure_details(failure: FailureDetails | None) -> None:
    """The first problems of a failed refresh (file, line, field, value, expected), then how many more."""
    if failure is None or not failure.problems:
        return
    print(f"Problems:       {failure.count}")
    for problem in failure.problems:
        print(f"  {problem['text']}")
    if failure.count > len(failure.problems):
        print(f"  … and {failure.count - len(failure.problems)} more")
