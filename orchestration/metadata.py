"""Small helpers that turn query results into Dagster metadata people can read in the UI."""

from __future__ import annotations

from typing import TYPE_CHECKING

import dagster as dg
import duckdb

if TYPE_CHECKING:  # matplotlib takes a second to import; only the report asset needs it, when it runs
    from report.charts import Chart


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


def chart_gallery(charts: list[Chart]) -> dg.MarkdownMetadataValue:
    """Charts as markdown: a heading and the PNG (inline, as a data: URI) for each."""
    return dg.MetadataValue.md("\n\n".join(f"**{chart.title}**\n\n![{chart.title}]({chart.png_data_uri})"
                                            for chart in charts))
