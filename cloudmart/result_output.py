"""`cloudmart sql` output: a result written as CSV or JSON a batch of rows at a time, so memory stays
bounded whatever the number of rows."""

from __future__ import annotations

import csv
import json
import math
from typing import Any, Iterator, TextIO

import duckdb

BATCH_ROWS = 10_000


def batches(con: duckdb.DuckDBPyConnection) -> Iterator[list[tuple]]:
    """The rows of `con`'s pending result, BATCH_ROWS at a time, fetched as they are consumed."""
    while batch := con.fetchmany(BATCH_ROWS):
        yield batch


def column_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The names of the columns of `con`'s pending result."""
    return [column[0] for column in con.description]


def write_csv(con: duckdb.DuckDBPyConnection, out: TextIO) -> None:
    """A header line (shown at once), then one line per row; lines end with LF (RFC 4180 allows it; shell
    tools expect it)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(column_names(con))
    out.flush()
    for batch in batches(con):
        writer.writerows(batch)


def write_json(con: duckdb.DuckDBPyConnection, out: TextIO) -> None:
    """A JSON array of one object per row, one row per line. Values JSON has no type for (dates, decimals)
    are strings; NaN and infinities, which JSON cannot hold, are null."""
    columns = column_names(con)
    encode = json.JSONEncoder(default=str, allow_nan=False).encode
    separator = "[\n"
    for batch in batches(con):
        lines = []
        for row in batch:
            record = dict(zip(columns, row))
            try:
                lines.append(encode(record))
            except ValueError:  # a NaN or infinity somewhere in the row
                lines.append(encode(finite_or_null(record)))
        out.write(separator + ",\n".join(lines))
        separator = ",\n"
    out.write("[]\n" if separator == "[\n" else "\n]\n")


def finite_or_null(value: Any) -> Any:
    """`value` with every NaN and infinity in it (nested lists and structs too) replaced by None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: finite_or_null(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_or_null(item) for item in value]
    return value
