"""The publish log in `meta.publish_log`: for every run, what each publish target (the warehouse file,
PostgreSQL, the report) was given, how it went, and which refresh it holds since."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from warehouse.refresh_log import table_exists

WAREHOUSE_FILE, POSTGRES, REPORT = "duckdb", "postgres", "report"
PUBLISH_OK, PUBLISH_FAILED = "published", "failed"
COLUMNS = "refresh_id, target, location, outcome, error, holds, finished_at"


@dataclass(frozen=True)
class TargetOutcome:
    """One publish to one target."""

    refresh_id: str
    target: str
    location: str
    outcome: str
    error: str | None
    holds: str | None
    finished_at: datetime


def record_target(con: duckdb.DuckDBPyConnection, refresh_id: str, target: str, location: str, outcome: str,
                  holds: str | None, error: str | None = None) -> None:
    """Log one publish to `target` (`location` must carry no secret: a DSN is logged redacted)."""
    con.execute(f"INSERT INTO meta.publish_log ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, now())",
                [refresh_id, target, location, outcome, error, holds])


def run_targets(con: duckdb.DuckDBPyConnection, refresh_id: str) -> list[TargetOutcome]:
    """What the run `refresh_id` published to each target, in the order it did."""
    if not table_exists(con, "meta", "publish_log"):
        return []
    rows = con.execute(f"SELECT {COLUMNS} FROM meta.publish_log WHERE refresh_id = ? ORDER BY finished_at",
                       [refresh_id]).fetchall()
    return [TargetOutcome(*row) for row in rows]


def last_publishes(con: duckdb.DuckDBPyConnection) -> dict[str, TargetOutcome]:
    """The latest publish to each target."""
    if not table_exists(con, "meta", "publish_log"):
        return {}
    rows = con.execute(f"SELECT {COLUMNS} FROM meta.publish_log "
                       "QUALIFY row_number() OVER (PARTITION BY target ORDER BY finished_at DESC) = 1").fetchall()
    return {row[1]: TargetOutcome(*row) for row in rows}
