"""What analysts run against the published warehouse: `cloudmart sql` queries, read-only and confined."""

from __future__ import annotations

import sys

import duckdb

from cloudmart.cancellable import closing_unless_busy, run_cancellable
from cloudmart.result_output import write_csv, write_json
from cloudmart.sql_input import check_statements
from foundation.settings import Settings
from warehouse.connection import open_connection
from warehouse.published import published_path, published_tables


def run_query(settings: Settings, sql: str, params: list[str], output: str, max_rows: int,
              timeout_seconds: float) -> None:
    """Run `sql` (with `params` bound to its ? or $n placeholders) and print it as a table, CSV or JSON;
    Ctrl-C or `timeout_seconds` (0: none) stop it (cloudmart.cancellable)."""
    with closing_unless_busy(open_connection(published_path(settings), read_only=True)) as con:
        confine(con)
        check_statements(con, sql, params)
        run_cancellable(con, lambda: print_result(con, sql, params, output, max_rows), timeout_seconds)


def print_result(con: duckdb.DuckDBPyConnection, sql: str, params: list[str], output: str, max_rows: int) -> None:
    """Execute `sql` and print its result: a table of at most `max_rows` rows, or every row as CSV or JSON,
    streamed."""
    try:
        if output == "table":
            relation = con.sql(sql, params=params or None)
            if relation is not None:
                relation.show(max_rows=max_rows, max_width=100_000)
            return
        con.execute(sql, params)
    except duckdb.CatalogException as error:
        if "does not exist" not in str(error):
            raise
        raise duckdb.CatalogException(f"{error}\n\nTables analysts query:\n  " + "\n  ".join(
            published_tables(con, ("marts",)))) from None
    if con.description is not None:
        (write_csv if output == "csv" else write_json)(con, sys.stdout)


def confine(con: duckdb.DuckDBPyConnection) -> None:
    """Let a query read the published warehouse and nothing else, and write no file anywhere.

    `enable_external_access = false` alone is not enough: DuckDB still lets a query reach the database's
    own files (it puts the file and its .wal, .wal.checkpoint and .wal.recovery in `allowed_paths`), so
    `COPY ... TO '<warehouse>.wal'` wrote next to the published file. Disabling the local file system
    closes every path at once (the warehouse file is already open); with no temp directory nothing
    spills to disk: a query that needs more than DuckDB's memory limit fails instead. Locking the
    configuration keeps a query from changing any of it back."""
    con.execute("SET temp_directory = ''")
    con.execute("SET enable_external_access = false")
    con.execute("SET disabled_filesystems = 'LocalFileSystem'")
    con.execute("SET lock_configuration = true")
