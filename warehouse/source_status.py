"""Sources in the warehouse beyond their rows: the fetch log of remote sources (raw.remote_fetches) and
the status of every source, file or URL, as the last refresh found it (meta.source_status)."""

from __future__ import annotations

import duckdb

from ingest.remote_registry import RemoteSource
from ingest.remote_state import OK, STALE, RemoteState

STATUS_COLUMNS = ("source_id", "kind", "file_kind", "last_fetched_at", "last_changed_at", "content_hash", "records",
                  "status", "problem")


def append_fetches(con: duckdb.DuckDBPyConnection, source: RemoteSource, attempts: list[dict]) -> None:
    """Append fetch attempts of a source to raw.remote_fetches (an attempt already there is skipped)."""
    con.executemany("INSERT OR IGNORE INTO raw.remote_fetches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [[source.file_name, source.url, a["fetched_at"], a["outcome"], a["http_status"],
                      a["content_hash"], a["received_hash"], a["problem"], a["attempts"]] for a in attempts])


def record_source_status(con: duckdb.DuckDBPyConnection, refresh_id: str,
                         remotes: list[tuple[RemoteSource, RemoteState]]) -> None:
    """Rewrite meta.source_status from raw.current_files and the remote sources' states."""
    by_file = {source.file_name: (source, state) for source, state in remotes}
    rows = []
    for name, file_kind, content_hash, records, first_loaded in con.execute(
            "SELECT file_name, c.file_kind, content_hash, f.record_count, f.first_loaded_at "
            "FROM raw.current_files c JOIN raw.source_files f USING (file_name, content_hash) ORDER BY 1").fetchall():
        source_id = name.removesuffix(".csv")
        if name in by_file:
            source, state = by_file.pop(name)
            rows.append([refresh_id, source_id, name, file_kind, "url", source.url, content_hash, records,
                         state.fetched_at, state.changed_at, state.http_status, state.status, state.problem])
        else:
            rows.append([refresh_id, source_id, name, file_kind, "file", None, content_hash, records,
                         None, first_loaded, None, OK, None])
    for name, (source, state) in sorted(by_file.items()):  # never fetched a good version
        rows.append([refresh_id, source.source_id, name, "figures", "url", source.url, None, None,
                     state.fetched_at, None, state.http_status, STALE, state.problem or "no good version yet"])
    con.execute("DELETE FROM meta.source_status")
    con.executemany("INSERT INTO meta.source_status VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                    "coalesce(?::TIMESTAMPTZ, now()), ?, ?, ?, ?)", rows)


def read_source_status(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Every source of meta.source_status as STATUS_COLUMNS, sorted by id."""
    return con.execute(f"SELECT {', '.join(STATUS_COLUMNS)} FROM meta.source_status ORDER BY source_id").fetchall()
