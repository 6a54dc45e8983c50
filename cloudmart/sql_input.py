"""The query `cloudmart sql` runs: read from `--file`, and checked to hold a statement that takes the
`--param` values it is given."""

from __future__ import annotations

from pathlib import Path

import duckdb

from cloudmart.usage import UsageError

MAX_QUERY_FILE_BYTES = 16 << 20


def read_query_file(path: Path) -> str:
    """The text of a query file: UTF-8 (a byte order mark is skipped), at most 16 MiB; a pipe works too
    (`--file <(...)`, `--file /dev/stdin`)."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_QUERY_FILE_BYTES + 1)
    except IsADirectoryError:
        raise UsageError(f"--file {path}: a folder, not a query file") from None
    except FileNotFoundError:
        raise UsageError(f"--file {path}: no such file") from None
    except OSError as error:
        raise UsageError(f"--file {path}: cannot be read ({error.strerror})") from None
    if len(data) > MAX_QUERY_FILE_BYTES:
        raise UsageError(f"--file {path}: over {MAX_QUERY_FILE_BYTES >> 20} MiB (expected a SQL query)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise UsageError(f"--file {path}, line {line}: byte 0x{data[error.start]:02x} is not UTF-8 "
                         "(expected UTF-8 text)") from None


def check_statements(con: duckdb.DuckDBPyConnection, sql: str, params: list[str]) -> None:
    """Refuse a query with no statement (empty, blanks, comments) and `--param` values that do not match
    its placeholders: `?` or `$1`, `$2`, … of its last statement, which DuckDB binds them to."""
    statements = con.extract_statements(sql)
    if not statements:
        raise UsageError("the query is empty (expected a SQL statement, e.g. \"SELECT * FROM marts.figures\")")
    *leading, last = statements
    if any(statement.named_parameters for statement in leading):
        raise UsageError("only the last statement of the query may have placeholders: --param values bind to it")
    names = last.named_parameters
    if not all(name.isdigit() for name in names):
        named = ", ".join(f"${name}" for name in sorted(names) if not name.isdigit())
        raise UsageError(f"named placeholders ({named}) take no --param value: use ? or $1, $2, ...")
    expected = max(map(int, names), default=0)
    if len(params) != expected:
        raise UsageError(f"the query has {expected} placeholder(s) (? or $n) but {len(params)} --param value(s) "
                         "were given")
