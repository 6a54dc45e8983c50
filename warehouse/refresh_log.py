"""The refresh log in `meta.refresh_log`: one row per refresh, opened at its start, closed at its end."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from ingest.fingerprint import inputs_key
from warehouse.meta import create_meta_schema


def start_refresh(con: duckdb.DuckDBPyConnection, refresh_id: str, trigger: str) -> None:
    """Log a refresh as running, and make its id available to the models as getvariable('refresh_id')."""
    create_meta_schema(con)
    con.execute("INSERT OR REPLACE INTO meta.refresh_log (refresh_id, trigger, started_at, outcome) "
                "VALUES (?, ?, now(), 'running')", [refresh_id, trigger])
    con.execute("SET VARIABLE refresh_id = ?", [refresh_id])


def finish_refresh(con: duckdb.DuckDBPyConnection, refresh_id: str, outcome: str,
                   table_rows: dict[str, int] | None = None) -> None:
    """Close the refresh's row: outcome, the file versions it loaded, its rows and check results."""
    sources = dict(con.execute("SELECT file_name, content_hash FROM raw.current_files ORDER BY 1").fetchall()) \
        if table_exists(con, "raw", "current_files") else {}
    passed, failed = con.execute("SELECT count(*) FILTER (WHERE success), count(*) FILTER (WHERE NOT success) "
                                 "FROM meta.check_results WHERE refresh_id = ?", [refresh_id]).fetchone()
    con.execute("""UPDATE meta.refresh_log SET finished_at = now(), outcome = ?, sources = ?, table_rows = ?,
                   checks_passed = ?, checks_failed = ?, inputs_key = ? WHERE refresh_id = ?""",
                [outcome, json.dumps(sources), json.dumps(table_rows) if table_rows is not None else None,
                 passed, failed, inputs_key(sources), refresh_id])


def close_abandoned(con: duckdb.DuckDBPyConnection, current_id: str, published_ids: list[str]) -> list[str]:
    """Log as 'abandoned' the earlier refreshes whose process died before they finished; return their ids.

    Call holding the writer lock (so no other refresh is alive): a row still 'running' is one that
    died, and so is a row 'published' that the published file does not list (`published_ids`), killed
    between logging its publish and renaming the new file into place.
    """
    return [refresh_id for (refresh_id,) in con.execute(
        """UPDATE meta.refresh_log SET outcome = 'abandoned', finished_at = coalesce(finished_at, now())
           WHERE refresh_id <> ?
             AND (outcome = 'running' OR (outcome = 'published' AND NOT list_contains(?, refresh_id)))
           RETURNING refresh_id""", [current_id, published_ids]).fetchall()]


def published_refresh_ids(warehouse: Path) -> list[str]:
    """Ids of the refreshes that the published warehouse file lists as published (none without a file)."""
    if not warehouse.exists():
        return []
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        if not table_exists(con, "meta", "refresh_log"):
            return []
        rows = con.execute("SELECT refresh_id FROM meta.refresh_log WHERE outcome = 'published'").fetchall()
        return [refresh_id for (refresh_id,) in rows]
    finally:
        con.close()


def published_file_key(warehouse: Path) -> tuple[str, str, object] | None:
    """(inputs key, refresh id, finished at) of the refresh the published warehouse file holds, by its
    own log (None without a file). A refresh killed after logging its publish but before renaming its
    file into place is in the working warehouse's log, not in this one."""
    if not warehouse.exists():
        return None
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return last_published_key(con)
    finally:
        con.close()


def last_published_key(con: duckdb.DuckDBPyConnection, catalog: str | None = None
                       ) -> tuple[str, str, object] | None:
    """(inputs key, refresh id, finished at) of the last refresh that published, if any, by the log of the
    connected database (or of the attached `catalog`)."""
    if not table_exists(con, "meta", "refresh_log", catalog):
        return None
    log = f"{catalog}.meta.refresh_log" if catalog else "meta.refresh_log"
    return con.execute(f"SELECT inputs_key, refresh_id, finished_at FROM {log} "
                       "WHERE outcome = 'published' ORDER BY finished_at DESC LIMIT 1").fetchone()


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str, catalog: str | None = None) -> bool:
    """Whether `schema.table` exists in the connected database (in the attached `catalog` when given)."""
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ? "
                       "AND (? IS NULL OR database_name = ?)", [schema, table, catalog, catalog]).fetchone()[0] > 0
