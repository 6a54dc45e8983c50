"""Reading what the report shows from the published warehouse: one query per file in report/sql/."""

from __future__ import annotations

import re
from pathlib import Path

from cloudmart.analyst import open_published
from cloudmart.settings import Settings

SQL_DIR = Path(__file__).parent / "sql"
# How much the report draws, so that it stays readable (and quick to build) on a large warehouse:
# the markets (or group-and-market pairs) and providers with the most figures, their latest periods.
LIMITS = {"markets": 6, "providers": 8, "periods": 4}


def read_report_data(settings: Settings) -> dict[str, list[dict]]:
    """The rows of every query in report/sql/, by file stem, read in one read-only snapshot.

    Raises cloudmart.analyst.NoWarehouse when nothing has been published yet.
    """
    with open_published(settings) as con:
        return {path.stem: _rows(con, path.read_text(encoding="utf-8")) for path in sorted(SQL_DIR.glob("*.sql"))}


def _rows(con, sql: str) -> list[dict]:
    result = con.execute(sql, {name: LIMITS[name] for name in set(re.findall(r"\$(\w+)", sql))})
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row)) for row in result.fetchall()]
