"""Reading what the report shows from the published warehouse: one query per file in report/sql/."""

from __future__ import annotations

import re
from pathlib import Path

from foundation.settings import Settings
from warehouse.published import open_published

SQL_DIR = Path(__file__).parent / "sql"
# How much the report draws, so that it stays readable (and quick to build) on a large warehouse:
# the markets (or group-and-market pairs) and providers with the most figures, their latest periods.
LIMITS = {"markets": 6, "providers": 8, "periods": 4}
# Run last: the sources of every figure the other queries returned.
CITED_FIGURES = "cited_figures"


def read_report_data(settings: Settings) -> dict[str, list[dict]]:
    """The rows of every query in report/sql/, by file stem, read in one read-only snapshot (after the
    statements in report/sql/setup/, which create the temporary tables they read).

    Raises warehouse.published.NoWarehouse when nothing has been published yet.
    """
    with open_published(settings) as con:
        for path in sorted((SQL_DIR / "setup").glob("*.sql")):
            con.execute(path.read_text(encoding="utf-8"))
        data = {path.stem: _rows(con, path, LIMITS) for path in sorted(SQL_DIR.glob("*.sql"))
                if path.stem != CITED_FIGURES}
        shown = sorted({row["figure_key"] for rows in data.values() for row in rows
                        if row.get("figure_key") is not None})
        data[CITED_FIGURES] = _rows(con, SQL_DIR / f"{CITED_FIGURES}.sql", {"figure_keys": shown})
        return data


def _rows(con, path: Path, values: dict) -> list[dict]:
    """The rows of the query in `path`, its $name parameters taken from `values`."""
    sql = path.read_text(encoding="utf-8")
    result = con.execute(sql, {name: values[name] for name in set(re.findall(r"\$(\w+)", sql))})
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row)) for row in result.fetchall()]
