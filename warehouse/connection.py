"""Opening the DuckDB files cloudmart writes and reads."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb


@contextmanager
def connect(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the DuckDB file at `path`, closed on exit."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only, config={"threads": 2})
    try:
        yield con
    finally:
        con.close()


def run_script(con: duckdb.DuckDBPyConnection, sql_file: Path) -> None:
    """Execute every statement of a .sql file."""
    con.execute(sql_file.read_text(encoding="utf-8"))


def quote_literal(text: str) -> str:
    """`text` as a SQL string literal (for statements that take no parameters, like COMMENT ON)."""
    return "'" + text.replace("'", "''") + "'"
