"""`cloudmart changes`: the figures publishes added, changed or removed (meta.figure_changes of the published
warehouse), since a refresh or a date, or those of the last publish."""

from __future__ import annotations

from datetime import datetime, timezone

import duckdb

from cloudmart.analyst import print_result
from cloudmart.usage import UsageError
from foundation.settings import Settings
from warehouse.figure_changes import CHANGES_SINCE_SQL, ChangeCounts
from warehouse.published import open_published
from warehouse.refresh_log import last_published_key, table_exists

SHORTEST_ID_PREFIX = 8  # as Dagster's UI shows run ids


def print_changes(settings: Settings, since: str | None, output: str, max_rows: int) -> None:
    """Print the changes published after the refresh `since`, at or after the date or time `since`, or
    (None) by the last publish: as a table under a line of counts, or as CSV or JSON. UsageError for a
    `since` that is neither; warehouse.published.NoWarehouse when nothing was published."""
    with open_published(settings) as con:
        if not table_exists(con, "meta", "figure_changes"):
            raise UsageError(f"{settings.warehouse_path} records no changes yet: it was published by an older "
                             "cloudmart; the next `cloudmart refresh --force` records them")
        params, what = _since(con, since)
        sql = CHANGES_SINCE_SQL.read_text(encoding="utf-8")
        if output == "table":
            counts = dict(con.execute(f"SELECT change, count(*) FROM ({sql}) GROUP BY ALL", params).fetchall())
            print(f"changed {what}: {ChangeCounts.of(counts).line()}")
            if not counts:
                return
        print_result(con, sql, params, output, max_rows)


def _since(con: duckdb.DuckDBPyConnection, since: str | None) -> tuple[dict, str]:
    """The query's parameters for `--since` and how the heading names them."""
    params = {"after_refresh": None, "since": None}
    if since is None:
        last = last_published_key(con)
        return params, f"by the last publish (refresh {last[1] if last else 'unknown'})"
    refresh = _refresh(con, since)
    if refresh is not None:
        refresh_id, outcome = refresh
        if outcome != "published":
            raise UsageError(f"--since {refresh_id}: that refresh did not publish (it {outcome}); give a "
                             "refresh that published, or a date")
        return {**params, "after_refresh": refresh_id}, f"after refresh {refresh_id}"
    moment = _moment(since)
    if moment is None:
        raise UsageError(f"--since {since[:40]!r} is neither a refresh of the published warehouse nor a date: "
                         "expected a refresh id (meta.refresh_log, `cloudmart status`; its first 8 characters "
                         "will do) or a date or time such as 2026-12-01 or 2026-12-01T06:00 (UTC unless it "
                         "gives an offset)")
    return {**params, "since": moment}, f"since {moment:%Y-%m-%d %H:%M:%S %Z}"


def _refresh(con: duckdb.DuckDBPyConnection, text: str) -> tuple[str, str] | None:
    """(id, outcome) of the one refresh whose id is `text` or starts with it (at least 8 characters)."""
    if len(text) < SHORTEST_ID_PREFIX:
        return None
    rows = con.execute("SELECT refresh_id, outcome FROM meta.refresh_log WHERE starts_with(refresh_id, ?) LIMIT 2",
                       [text]).fetchall()
    if len(rows) > 1:
        raise UsageError(f"--since {text[:40]!r} starts more than one refresh id: give more of it")
    return rows[0] if rows else None


def _moment(text: str) -> datetime | None:
    """The date or time `text` (ISO 8601) as an aware datetime, UTC when it gives no offset; None if it
    is not one."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
