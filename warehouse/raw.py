"""Appending source file versions to the raw layer (append-only: a version is never rewritten)."""

from __future__ import annotations

import csv
import re
import shutil
import tempfile
from pathlib import Path

import duckdb

from foundation.errors import SourceError, cut
from ingest.source_files import FIGURES, SourceFile, read_source_file
from warehouse.connection import insert_rows, run_script

RAW_SCHEMA_SQL = Path(__file__).parent / "sql" / "raw_schema.sql"
LINEAGE_COLUMNS = ("file_name", "content_hash", "line_no")
REFERENCE_KINDS = {"providers", "provider_groups", "provider_group_members", "markets", "metrics"}
MAX_ROW_BYTES = 2_000_000  # the longest row read (DuckDB's own default line limit, stated here to name it)
csv.field_size_limit(MAX_ROW_BYTES)  # Python's csv, used to number lines and to find an over-long row


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
    if len(source.columns) == 1 and (separator := next((c for c in ";\t|" if c in source.columns[0]), None)):
        raise SourceError(source.name, f"the header is separated by {separator!r}, not by commas",
                          line=source.header_line, expected="columns " + ",".join(expected))
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


def append_versions(con: duckdb.DuckDBPyConnection, sources: list[SourceFile],
                    expected: dict[str, list[str]]) -> dict[str, int]:
    """Append new file versions to raw; return each file's record count. Call inside a transaction.

    Files of one kind whose header sits on the same line are read in one multi-file scan, which costs
    far less than a scan per file when a folder holds hundreds of them.
    """
    batches: dict[tuple[str, int, tuple[str, ...]], list[SourceFile]] = {}
    for source in sources:
        check_header(source, expected[source.kind])  # also guarantees the column names are known identifiers
        batches.setdefault((source.kind, source.header_line, source.columns), []).append(source)
    records = {}
    with tempfile.TemporaryDirectory(prefix="cloudmart-rows-") as scratch:
        scanned = {s.name: _scannable(s, Path(scratch) / f"{n}.csv") for n, s in enumerate(sources)}
        for (kind, header_line, columns), batch in batches.items():
            records.update(_append_batch(con, kind, header_line, columns, expected[kind], batch, scanned))
        for source in sources:
            if records[source.name] == 0 and source.kind == FIGURES:
                raise SourceError(source.name, "no figure rows below the header", line=source.header_line + 1,
                                  expected="one row per figure")
            if source.newline_count > source.header_line + records[source.name]:
                _renumber_lines(con, source, scanned[source.name])
    documents = [s for s in sources if s.kind == FIGURES]
    if documents:
        _append_front_matter(con, documents)
    if sources:
        insert_rows(con, "raw.source_files",
                    [[s.name, s.kind, s.content_hash, s.byte_size, records[s.name]] for s in sources], then="now()")
    return records


def _scannable(source: SourceFile, copy: Path) -> Path:
    """The file to scan for `source`'s rows: the file itself, or, when its front matter would confuse the CSV
    reader's line skipping (a quoted field, a carriage return), a copy with blank lines in its place."""
    if source.plain_front_matter:
        return source.path
    with source.path.open("rb") as original, copy.open("wb") as target:
        original.seek(source.header_offset)
        header = original.readline()
        target.write((b"\r\n" if header.endswith(b"\r\n") else b"\n") * (source.header_line - 1) + header)
        shutil.copyfileobj(original, target, 1 << 20)
    return copy


def _append_batch(con: duckdb.DuckDBPyConnection, kind: str, header_line: int, columns: tuple[str, ...],
                  expected: list[str], batch: list[SourceFile], scanned: dict[str, Path]) -> dict[str, int]:
    """One scan over files sharing a layout; line numbers count from each file's header."""
    spec = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in columns) + "}"
    select = ", ".join(f'r."{c}"' for c in expected)
    con.execute("CREATE OR REPLACE TEMP TABLE batch_files AS "
                "SELECT unnest(?) AS path, unnest(?) AS file_name, unnest(?) AS content_hash",
                [[str(scanned[s.name]) for s in batch], [s.name for s in batch], [s.content_hash for s in batch]])
    try:
        con.execute(
            f"""INSERT INTO raw.{kind} (file_name, content_hash, line_no, {select.replace('r.', '')})
            SELECT f.file_name, f.content_hash, ? + row_number() OVER (PARTITION BY r.filename ORDER BY r.ordinality),
                   {select}
            FROM read_csv(?, skip = ?, header = false, auto_detect = false, columns = {spec}, filename = true,
                          delim = ',', quote = '"', escape = '"', strict_mode = true, max_line_size = ?)
                 WITH ORDINALITY AS r
            JOIN batch_files AS f ON f.path = r.filename""",
            [header_line, [_glob_literal(str(scanned[s.name])) for s in batch], header_line, MAX_ROW_BYTES])
    except duckdb.Error as error:
        raise _csv_error(batch, scanned, error) from None
    counts = dict(con.execute(f"""SELECT r.file_name, count(*) FROM raw.{kind} AS r
                                  JOIN batch_files AS f USING (file_name, content_hash) GROUP BY ALL""").fetchall())
    con.execute("DROP TABLE batch_files")
    return {s.name: counts.get(s.name, 0) for s in batch}


def _glob_literal(path: str) -> str:
    """`path` as a pattern matching only itself: read_csv expands *, ? and [...] even in a file's own name."""
    return re.sub(r"([*?\[])", r"[\1]", path)


def _csv_error(batch: list[SourceFile], scanned: dict[str, Path], error: duckdb.Error) -> SourceError:
    """The error of a scan over `batch` as a SourceError naming the file DuckDB stopped in; never quoting
    the row (DuckDB's message holds all of it), and saying so when a row is over-long (DuckDB then reports
    the wrong line, or an unterminated quote)."""
    text = str(error)
    in_file = re.search(r"^\s*file = (.+)$", text, re.MULTILINE)
    source = next((s for s in batch if in_file and str(scanned[s.name]) == in_file.group(1).strip()), batch[0])
    if "Maximum line size" in text or "unterminated quote" in text:
        if over_long := _over_long_row(source, scanned[source.name]):
            return over_long
    line = re.search(r"CSV Error on Line: (\d+)", text)
    line_no = int(line.group(1)) if line else None
    detail = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if detail:
        return SourceError(source.name, f"row has {detail.group(2)} fields", line=line_no,
                           expected=f"{detail.group(1)} fields, as in the header")
    reason = re.search(r"^(Value with unterminated quote found|Invalid unicode.*|Maximum line size.*?bytes exceeded)",
                       text, re.MULTILINE)
    return SourceError(source.name, cut(reason.group(1) if reason else text.splitlines()[0]), line=line_no)


def _over_long_row(source: SourceFile, path: Path) -> SourceError | None:
    """The first row of `path` longer than MAX_ROW_BYTES, as an error naming its line and longest field."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for _ in range(source.header_line):
            stream.readline()
        reader, start = csv.reader(stream), source.header_line + 1
        try:
            for row in reader:
                if sum(map(len, row)) > MAX_ROW_BYTES // 4 and len(",".join(row).encode()) > MAX_ROW_BYTES:
                    return _row_too_long(source, start, max(range(len(row)), key=lambda i: len(row[i])))
                start = source.header_line + reader.line_num + 1
        except csv.Error:  # a field over the limit: the row starting at `start`
            return _row_too_long(source, start, _field_reaching_limit(path, start))
    return None


def _field_reaching_limit(path: Path, line: int) -> int:
    """Index of the field in which the row starting at `line` passes MAX_ROW_BYTES."""
    with path.open("rb") as stream:
        for _ in range(line - 1):
            stream.readline()
        prefix = stream.read(MAX_ROW_BYTES)
    index, quoted = 0, False
    for mark in re.finditer(rb'[",]', prefix):
        if mark.group() == b'"':
            quoted = not quoted
        elif not quoted:
            index += 1
    return index


def _row_too_long(source: SourceFile, line: int, index: int) -> SourceError:
    field = source.columns[index] if index < len(source.columns) else None
    return SourceError(source.name, f"row is longer than {MAX_ROW_BYTES:,} bytes (or a quote in it is never closed)",
                       line=line, field=field, expected=f"rows of at most {MAX_ROW_BYTES:,} bytes")


def _renumber_lines(con: duckdb.DuckDBPyConnection, source: SourceFile, path: Path) -> None:
    """Blank lines or quoted line breaks shift records off their line; count them the slow, exact way
    (in `path`, the file as it was scanned)."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
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


def _append_front_matter(con: duckdb.DuckDBPyConnection, documents: list[SourceFile]) -> None:
    """The documents' bibliographic facts and citations, from their front matter."""
    fields = ("title", "outlet", "author", "published", "url")
    insert_rows(con, "raw.documents",
                [[d.name, d.content_hash] + [d.front_matter.get(k) for k in fields] for d in documents])
    citations = [[d.name, d.content_hash, key, text]
                 for d in documents for key, text in d.front_matter.get("citations", {}).items()]
    insert_rows(con, "raw.citations", citations)


def set_current_files(con: duckdb.DuckDBPyConnection, sources: list[SourceFile]) -> None:
    """Record which version of each file is in the sources folder now."""
    con.execute("DELETE FROM raw.current_files")
    insert_rows(con, "raw.current_files", [[s.name, s.kind, s.content_hash] for s in sources])


def figure_columns() -> list[str]:
    """The columns of a figure sheet, read from the raw schema (no warehouse needed)."""
    con = duckdb.connect(":memory:")
    try:
        create_raw_schema(con)
        return expected_columns(con, FIGURES)
    finally:
        con.close()


def check_figure_sheet(path: Path, name: str) -> SourceFile:
    """Read a figure sheet's front matter and header as a refresh would, failing with a SourceError when
    either is bad (its rows are checked when it is loaded: see transforms.probe)."""
    source = read_source_file(path, name, FIGURES)
    check_header(source, figure_columns())
    return source
