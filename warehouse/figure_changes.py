"""What each publish changed: the figures the next warehouse version adds, changes or removes against the
published one, appended to `meta.figure_changes` in the working warehouse just before the publish
copies `meta` into the next version (so the history is carried forward like the rest of `meta`).

Only published refreshes keep rows: a refresh that logged its changes and then failed to publish (or
died) has them deleted by `forget_unpublished_changes`, at its teardown or at the next publish.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.connection import quote_literal

CHANGES_SQL = Path(__file__).parent / "sql" / "figure_changes.sql"
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


def record_figure_changes(con: duckdb.DuckDBPyConnection, refresh_id: str, published: Path) -> ChangeCounts:
    """Append to meta.figure_changes what the next version's marts.figures adds, changes or removes
    against the warehouse published at `published` (everything is added when there is none), for the
    refresh `refresh_id`; return the counts. Call with the next version attached (the publish step)."""
    forget_unpublished_changes(con)
    _attach_previous(con, published)
    try:
        con.execute(CHANGES_SQL.read_text(encoding="utf-8"), {"previous_refresh_id": _previous_refresh_id(con)})
    finally:
        con.execute(f"DETACH {PREVIOUS}")
    return change_counts(con, refresh_id)


def forget_unpublished_changes(con: duckdb.DuckDBPyConnection) -> None:
    """Delete the changes of every refresh the refresh log does not list as published (it failed, or its
    process died between logging its changes and renaming its file into place)."""
    con.execute("DELETE FROM meta.figure_changes WHERE refresh_id NOT IN "
                "(SELECT refresh_id FROM meta.refresh_log WHERE outcome = 'published')")


def change_counts(con: duckdb.DuckDBPyConnection, refresh_id: str) -> ChangeCounts:
    """How many figures the refresh `refresh_id` added, changed and removed."""
    counts = dict(con.execute("SELECT change, count(*) FROM meta.figure_changes WHERE refresh_id = ? GROUP BY ALL",
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


def _attach_previous(con: duckdb.DuckDBPyConnection, published: Path) -> None:
    """Attach the published warehouse read-only as `previous`; with none (or one without marts.figures),
    an empty in-memory stand-in, so that every figure counts as added."""
    if published.exists():
        con.execute(f"ATTACH {quote_literal(str(published))} AS {PREVIOUS} (READ_ONLY)")
        if _has_table(con, "marts", "figures"):
            return
        con.execute(f"DETACH {PREVIOUS}")
    con.execute(f"ATTACH ':memory:' AS {PREVIOUS}")
    con.execute(f"CREATE SCHEMA {PREVIOUS}.marts")
    con.execute(f"CREATE TABLE {PREVIOUS}.marts.figures AS FROM marts.figures LIMIT 0")


def _previous_refresh_id(con: duckdb.DuckDBPyConnection) -> str | None:
    """The refresh whose data the attached published warehouse holds (None: nothing was published)."""
    if not _has_table(con, "meta", "refresh_log"):
        return None
    row = con.execute(f"SELECT refresh_id FROM {PREVIOUS}.meta.refresh_log WHERE outcome = 'published' "
                      "ORDER BY finished_at DESC LIMIT 1").fetchone()
    return row[0] if row else None


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? "
                       "AND table_name = ?", [PREVIOUS, schema, table]).fetchone()[0] > 0
