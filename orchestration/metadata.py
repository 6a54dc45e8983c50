"""Small helpers that turn query results into Dagster metadata people can read in the UI."""

from __future__ import annotations

import dagster as dg
import duckdb


def markdown_table(columns: list[str], rows: list[tuple]) -> dg.MarkdownMetadataValue:
    """Rows as a markdown table."""
    def cell(value) -> str:
        return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return dg.MetadataValue.md("\n".join(lines))


def table_preview(con: duckdb.DuckDBPyConnection, table: str, limit: int = 5) -> dg.MarkdownMetadataValue:
    """The first rows of a table as markdown."""
    result = con.execute(f"SELECT * FROM {table} LIMIT {int(limit)}")
    return markdown_table([d[0] for d in result.description], result.fetchall())
