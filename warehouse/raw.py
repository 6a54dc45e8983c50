"""Appending source file versions to the raw layer (append-only: a version is never rewritten)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb

from cloudmart.errors import SourceError
from cloudmart.sources import FIGURES, SourceFile, read_source_file
from warehouse.connection import run_script

RAW_SCHEMA_SQL = Path(__file__).parent / "sql" / "raw_schema.sql"
LINEAGE_COLUMNS = ("file_name", "content_hash", "line_no")
REFERENCE_KINDS = {"providers", "provider_groups", "provider_group_members", "markets", "metrics"}


def create_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw tables if they are not there yet."""
    run_script(con, RAW_SCHEMA_SQL)


def expected_columns(con: duckdb.DuckDBPyConnection, kind: str) -> list[str]:
    """The CSV columns a file of this kind must have: its raw table's columns less the lineage ones."""
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'raw' AND table_name = ? "
        "ORDER BY column_index", [kind]).fetchall()
    return [name for (name,) in rows if name not in LINEAGE_COLUMNS]


def check_header(source: SourceFile, expected: list[str]) -> None:
    """Fail with a clear error when a file's header misses a column or has one we do not know."""
    missing = [c for c in expected if c not in source.columns]
    unknown = [c for c in source.columns if c not in expected]
    duplicated = sorted({c for c in source.columns if source.columns.count(c) > 1})
    for problem, names in (("missing column", missing), ("unknown column", unknown),
                           ("duplicated column", duplicated)):
        if names:
            raise SourceError(source.name, f"{problem} '{names[0]}' in the header", line=source.header_line,
                              field=names[0], expected="columns " + ",".join(expected))


def loaded_versions(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """(file name, content hash) of every file version already in the raw layer."""
    return set(con.execute("SELECT file_name, content_hash FROM raw.source_files").fetchall())


def append_version(con: duckdb.DuckDBPyConnection, source: SourceFile, expected: list[str]) -> int:
    """Append one new file version to raw; return its record count. Call inside a transaction."""
    check_header(source, expected)  # also guarantees the column names below are known identifiers
    columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in source.columns) + "}"
    select = ", ".join(f'"{c}"' for c in expected)
    line_offset = source.header_line
    try:
        records = con.execute(
            f"""INSERT INTO raw.{source.kind} (file_name, content_hash, line_no, {select})
            SELECT ?, ?, ordinality + ?, {select}
            FROM read_csv(?, skip = ?, header = false, auto_detect = false, columns = {columns},
                          delim = ',', quote = '"', escape = '"', strict_mode = true) WITH ORDINALITY""",
            [source.name, source.content_hash, line_offset, str(source.path), source.header_line]).fetchone()[0]
    except duckdb.Error as error:
        raise _csv_error(source, error) from None
    if source.newline_count > source.header_line + records:
        _renumber_lines(con, source)
    if source.kind == FIGURES:
        _append_front_matter(con, source)
    con.execute("INSERT INTO raw.source_files VALUES (?, ?, ?, ?, ?, now())",
                [source.name, source.kind, source.content_hash, source.byte_size, records])
    return records


def _csv_error(source: SourceFile, error: duckdb.Error) -> SourceError:
    text = str(error)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    detail = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if detail:
        return SourceError(source.name, f"row has {detail.group(2)} fields", line=int(line.group(1)) if line else None,
                           expected=f"{detail.group(1)} fields, as in the header")
    first = text.splitlines()[1 if line and len(text.splitlines()) > 1 else 0]
    return SourceError(source.name, first.strip(), line=int(line.group(1)) if line else None)


def _renumber_lines(con: duckdb.DuckDBPyConnection, source: SourceFile) -> None:
    """Blank lines or quoted line breaks shift records off their line; count them the slow, exact way."""
    with source.path.open(encoding="utf-8-sig", newline="") as stream:
        for _ in range(source.header_line):
            stream.readline()
        reader, starts, previous = csv.reader(stream), [], 0
        for row in reader:
            if row:  # DuckDB skips blank lines, so they are not records
                starts.append(source.header_line + previous + 1)
            previous = reader.line_num
    con.execute("CREATE TEMP TABLE line_map AS SELECT unnest(?) AS line_no, generate_subscripts(?, 1) AS record_no",
                [starts, starts])
    con.execute(f"""UPDATE raw.{source.kind} AS r SET line_no = m.line_no FROM line_map m
                    WHERE r.file_name = ? AND r.content_hash = ? AND r.line_no - ? = m.record_no""",
                [source.name, source.content_hash, source.header_line])
    con.execute("DROP TABLE line_map")


def _append_front_matter(con: duckdb.DuckDBPyConnection, source: SourceFile) -> None:
    meta = source.front_matter
    con.execute("INSERT INTO raw.documents VALUES (?, ?, ?, ?, ?, ?, ?)",
                [source.name, source.content_hash] + [meta.get(k) for k in ("title", "outlet", "author", "published", "url")])
    for citation, text in meta.get("citations", {}).items():
        con.execute("INSERT INTO raw.citations VALUES (?, ?, ?, ?)", [source.name, source.content_hash, citation, text])


def set_current_files(con: duckdb.DuckDBPyConnection, sources: list[SourceFile]) -> None:
    """Record which version of each file is in the sources folder now."""
    con.execute("DELETE FROM raw.current_files")
    con.executemany("INSERT INTO raw.current_files VALUES (?, ?, ?)",
                    [[s.name, s.kind, s.content_hash] for s in sources])


def figure_columns() -> list[str]:
    """The columns of a figure sheet, read from the raw schema (no warehouse needed)."""
    con = duckdb.connect(":memory:")
    try:
        create_raw_schema(con)
        return expected_columns(con, FIGURES)
    finally:
        con.close()


def check_figure_sheet(path: Path, name: str) -> SourceFile:
    """Read a figure sheet as a refresh would, failing with a SourceError on bad front matter, a bad
    header or a row whose field count differs from the header's (a truncated file, say)."""
    source = read_source_file(path, name, FIGURES)
    check_header(source, figure_columns())
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for _ in range(source.header_line):
            stream.readline()
        reader = csv.reader(stream, strict=True)
        try:
            for row in reader:
                if row and len(row) != len(source.columns):
                    raise SourceError(name, f"row has {len(row)} fields", line=source.header_line + reader.line_num,
                                      expected=f"{len(source.columns)} fields, as in the header")
        except csv.Error as error:
            raise SourceError(name, f"not valid CSV: {error}", line=source.header_line + reader.line_num) from None
    return source
