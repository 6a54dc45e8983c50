"""What each publish changed: the figures the next warehouse version adds, changes or removes against the
published one, appended to `meta.figure_changes`, and the reconciled answers it adds, changes or removes,
appended to `meta.answer_changes`, in the working warehouse just before the publish copies `meta` into
the next version (so the history is carried forward like the rest of `meta`).

Only published refreshes keep rows: a refresh that logged its changes and then failed to publish (or
died) has them deleted by `forget_unpublished_changes`, at its teardown or at the next publish.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.connection import quote_literal
from warehouse.refresh_log import published_file_key, table_exists

CHANGES_SQL = Path(__file__).parent / "sql" / "figure_changes.sql"
ANSWER_CHANGES_SQL = Path(__file__).parent / "sql" / "answer_changes.sql"
CHANGE_TABLES = ("figure_changes", "answer_changes")
# the published side of each comparison: a temp view of the published warehouse's mart, or an empty one
PREVIOUS_VIEWS = {"previous_figures": "figures", "previous_answers": "reconciled_figures"}
# the next version's side: a temp view of its mart (of the sources compared, for the figures)
NEXT_VIEWS = {"next_figures": "figures", "next_answers": "reconciled_figures"}
CHANGES_SINCE_SQL = Path(__file__).parent / "sql" / "changes_since.sql"  # what `cloudmart changes` lists
PREVIOUS = "previous"  # the catalog the published warehouse is attached as, read-only
CHANGE_KINDS = ("added", "changed", "removed")
IDENTITY = "source_id, entity_name, metric, market_name, period_label"
CHANGE_COLUMNS = (f"change, {IDENTITY}, old_value, new_value, old_qualifier, new_qualifier, old_unit, new_unit")


@dataclass(frozen=True)
class ChangeCounts:
    """How many figures a publish added, changed and removed."""

    added: int = 0
    changed: int = 0
    removed: int = 0

    @classmethod
    def of(cls, counts: dict[str, int]) -> "ChangeCounts":
        """The counts in `counts` ({kind of change: count}; a kind left out counts 0)."""
        return cls(**{kind: counts.get(kind, 0) for kind in CHANGE_KINDS})

    @property
    def total(self) -> int:
        """Every change."""
        return self.added + self.changed + self.removed

    def line(self) -> str:
        """E.g. `3 added, 1 changed, 0 removed`."""
        return f"{self.added} added, {self.changed} changed, {self.removed} removed"

    def as_dict(self) -> dict[str, int]:
        """The counts by kind of change."""
        return {"added": self.added, "changed": self.changed, "removed": self.removed}


def record_figure_changes(con: duckdb.DuckDBPyConnection, refresh_id: str, published: Path,
                          sources: list[str] | None = None, answers_in: str | None = None) -> ChangeCounts:
    """Append to meta.figure_changes what the next version's marts.figures adds, changes or removes
    against the warehouse published at `published` (everything is added when there is none), and to
    meta.answer_changes the same of marts.reconciled_figures, for the refresh `refresh_id`; return the
    figures' counts. Given `sources` (the source ids marts.figures was rebuilt for: every other source's
    figures are the published ones), only those sources' figures are compared; given `answers_in` (a table
    of the series marts.reconciled_figures was rebuilt for), only those series' answers. Call with the next
    version attached (the publish step)."""
    forget_unpublished_changes(con)
    held = published_file_key(published)  # the refresh the published file holds (None: none)
    attached = _attach_previous(con, published, sources, answers_in)
    try:
        previous = {"previous_refresh_id": held[1] if held else None}
        con.execute(CHANGES_SQL.read_text(encoding="utf-8"), previous)
        con.execute(ANSWER_CHANGES_SQL.read_text(encoding="utf-8"), previous)
    finally:
        for view in (*PREVIOUS_VIEWS, *NEXT_VIEWS):
            con.execute(f"DROP VIEW IF EXISTS {view}")
        if attached:
            con.execute(f"DETACH {PREVIOUS}")
    return change_counts(con, refresh_id)


def forget_unpublished_changes(con: duckdb.DuckDBPyConnection) -> None:
    """Delete the changes of every refresh the refresh log does not list as published (it failed, or its
    process died between logging its changes and renaming its file into place)."""
    for table in CHANGE_TABLES:
        con.execute(f"DELETE FROM meta.{table} WHERE refresh_id NOT IN "
                    "(SELECT refresh_id FROM meta.refresh_log WHERE outcome = 'published')")


def change_counts(con: duckdb.DuckDBPyConnection, refresh_id: str, table: str = "figure_changes") -> ChangeCounts:
    """How many figures (or, with `table` answer_changes, reconciled answers) the refresh `refresh_id`
    added, changed and removed."""
    counts = dict(con.execute(f"SELECT change, count(*) FROM meta.{table} WHERE refresh_id = ? GROUP BY ALL",
                              [refresh_id]).fetchall())
    return ChangeCounts.of(counts)


def first_changes(con: duckdb.DuckDBPyConnection, refresh_id: str, limit: int) -> list[dict]:
    """The first `limit` changes of the refresh `refresh_id`: changed, then added, then removed figures,
    each kind in identity order."""
    result = con.execute(f"SELECT {CHANGE_COLUMNS} FROM meta.figure_changes WHERE refresh_id = ? "
                         f"ORDER BY array_position(['changed', 'added', 'removed'], change), {IDENTITY} "
                         "LIMIT ?", [refresh_id, limit])
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row)) for row in result.fetchall()]


def _attach_previous(con: duckdb.DuckDBPyConnection, published: Path, sources: list[str] | None,
                     answers_in: str | None) -> bool:
    """Attach the published warehouse read-only as `previous` (True) if there is one, and create the temp
    views PREVIOUS_VIEWS of its marts and NEXT_VIEWS of the next version's, the figures of `sources` and the
    answers of the series in `answers_in` only when given; a mart the published warehouse lacks (none
    published, or published by older code) is an empty view, so that everything in it counts as added."""
    attached = published.exists()
    if attached:
        con.execute(f"ATTACH {quote_literal(str(published))} AS {PREVIOUS} (READ_ONLY)")
    only = {"figures": "" if sources is None else
            f" WHERE source_id IN (SELECT unnest([{', '.join(map(quote_literal, sources))}]::VARCHAR[]))",
            "reconciled_figures": "" if answers_in is None else _in_series(con, answers_in)}
    for (view, mart), next_view in zip(PREVIOUS_VIEWS.items(), NEXT_VIEWS):
        published_mart = attached and table_exists(con, "marts", mart, PREVIOUS)
        side = f"{PREVIOUS}.marts.{mart}" if published_mart else f"marts.{mart} LIMIT 0"
        con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS FROM (FROM {side}) AS t{only[mart]}")
        con.execute(f"CREATE OR REPLACE TEMP VIEW {next_view} AS FROM marts.{mart} AS t{only[mart]}")
    return attached


def _in_series(con: duckdb.DuckDBPyConnection, series: str) -> str:
    """A semi join of a view's rows `t` to the series (key columns, NULL matching NULL) in the table `series`."""
    columns = [c for (c,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
                                         "ORDER BY column_index", [series]).fetchall()]
    return f" SEMI JOIN {series} AS k ON " + " AND ".join(f"k.{c} IS NOT DISTINCT FROM t.{c}" for c in columns)

