"""Opening the DuckDB files cloudmart writes and reads."""

from __future__ import annotations

import time
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Callable, Iterator

import duckdb

# The writer opens the working warehouse with the configuration duckdb-engine (GX's driver) uses, so
# that GX validating inside the same process shares the writer's database instance instead of failing
# with "Can't open a connection to same database file with a different configuration". The versions
# come from the installed packages' metadata: importing them would cost the read-only commands 0.2 s.
WRITER_MEMORY_LIMIT = "3GB"
WRITER_CONFIG = {"custom_user_agent": f"duckdb_engine/{version('duckdb_engine')}(sqlalchemy/{version('sqlalchemy')})"}


@contextmanager
def connect(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the DuckDB file at `path`, closed on exit."""
    con = open_connection(path, read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def open_connection(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file at `path` (read-write connections share GX's configuration)."""
    if read_only:
        return duckdb.connect(str(path), read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), config=WRITER_CONFIG)
    # Set after connecting, not in the config, so GX's connections still match WRITER_CONFIG. Large
    # refreshes spill to disk next to the file instead of taking up to 80 % of the machine's memory.
    con.execute(f"SET memory_limit = '{WRITER_MEMORY_LIMIT}'")
    con.execute("SET temp_directory = ?", [str(path.parent / "spill")])
    return con


def open_when_free(path: Path, wait_seconds: float, on_wait: Callable[[str], None] = print
                   ) -> duckdb.DuckDBPyConnection:
    """Open `path` read-write, retrying with backoff while another process holds its lock."""
    give_up, delay = time.monotonic() + wait_seconds, 0.5
    while True:
        try:
            return open_connection(path)
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or time.monotonic() + delay > give_up:
                raise
            on_wait(f"{path.name} is locked by another refresh; retrying in {delay:.1f} s")
            time.sleep(delay)
            delay = min(delay * 2, 10.0)


def run_script(con: duckdb.DuckDBPyConnection, sql_file: Path) -> None:
    """Execute every statement of a .sql file."""
    con.execute(sql_file.read_text(encoding="utf-8"))


def quote_literal(text: str) -> str:
    """`text` as a SQL string literal (for statements that take no parameters, like COMMENT ON)."""
    return "'" + text.replace("'", "''") + "'"


def quote_identifier(name: str) -> str:
    """`name` as a quoted SQL identifier (for table and column names, which take no parameters)."""
    return '"' + name.replace('"', '""') + '"'


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[list], *, then: str = "") -> None:
    """Insert `rows` into `table` in one statement, each row's values in column order, followed by the
    SQL expressions in `then` (e.g. "now()"). DuckDB's executemany runs one statement per row."""
    if not rows:
        return
    columns = [list(values) for values in zip(*rows)]
    select = ", ".join(["unnest(?)"] * len(columns) + ([then] if then else []))
    con.execute(f"INSERT INTO {table} SELECT {select}", columns)
