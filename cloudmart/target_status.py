"""The per-target part of `cloudmart status`: the refresh each publish target holds (the warehouse
file, PostgreSQL when configured, the report), each target asked itself, and why one that is behind
the warehouse file is behind (its last publish, from meta.publish_log)."""

from __future__ import annotations

from dataclasses import dataclass

from foundation.settings import Settings
from warehouse.publish_log import POSTGRES, PUBLISH_FAILED, REPORT, WAREHOUSE_FILE, TargetOutcome
from warehouse.refresh_log import published_file_key

NEXT_STEP = {POSTGRES: "the next `cloudmart refresh` publishes to it",
             REPORT: "`cloudmart report` or the next `cloudmart refresh` draws it again"}


@dataclass(frozen=True)
class TargetState:
    """What one publish target holds, as it says itself."""

    name: str                  # duckdb, postgres or report
    location: str              # a DSN only with its password as ***
    holds: str | None          # the refresh whose data it holds (None: nothing, or it could not be asked)
    problem: str | None        # why it could not be asked
    last: TargetOutcome | None  # its last publish


def read_targets(settings: Settings, last: dict[str, TargetOutcome]) -> list[TargetState]:
    """Ask every configured target which refresh it holds; add each one's last logged publish (`last`:
    warehouse.publish_log.last_publishes)."""
    from report.stamp import drawn_from

    published = published_file_key(settings.warehouse_path)
    states = [TargetState(WAREHOUSE_FILE, str(settings.warehouse_path), published[1] if published else None, None,
                          last.get(WAREHOUSE_FILE))]
    if settings.pg_dsn:
        states.append(_postgres_state(settings.pg_dsn, last.get(POSTGRES)))
    states.append(TargetState(REPORT, str(settings.report_path), drawn_from(settings.report_path), None,
                              last.get(REPORT)))
    return states


def _postgres_state(dsn: str, last: TargetOutcome | None) -> TargetState:
    import psycopg

    from warehouse.postgres import failure_reason, redact_dsn, served_refresh

    try:
        return TargetState(POSTGRES, redact_dsn(dsn), served_refresh(dsn), None, last)
    except psycopg.Error as error:
        return TargetState(POSTGRES, redact_dsn(dsn), None, f"cannot be asked: {failure_reason(error, dsn)}", last)


def print_targets(states: list[TargetState], refresh_running: bool = False) -> bool:
    """Print one line per target; return whether every target holds what the warehouse file holds. While
    a refresh runs, a target behind the file is one that refresh has still to publish to (the report
    is drawn after the file's rename): shown as such, not counted as behind."""
    current = states[0].holds
    if current is None:
        return True  # nothing published yet: the status above says so
    print("Publish targets:")
    behind = False
    for state in states:
        line = f"  {state.name:<9} {state.location}: " + f"refresh {state.holds or 'unknown'}"
        if state.holds != current and refresh_running:
            line += f" — the running refresh publishes refresh {current} to it next"
        elif state.holds != current:
            behind = True
            line += f" — BEHIND the warehouse file (refresh {current})"
            if state.problem:
                line += f"; {state.problem}"
            if state.last is not None and state.last.outcome == PUBLISH_FAILED:
                line += (f"; its last publish FAILED in run {state.last.refresh_id} at "
                         f"{state.last.finished_at:%Y-%m-%d %H:%M:%S %Z}: {state.last.error}")
            line += f"; {NEXT_STEP[state.name]}"
        print(line)
    return not behind
