"""A refresh after sources changed rebuilds the per-source tables (transforms/incremental.yml) only for the
changed sources, and publishes exactly what a full rebuild (`--force`) of the same sources publishes: every
core and mart table equal row for row (EXCEPT ALL both ways; refresh_id and loaded_at aside: they name the
refresh that wrote a row and when this installation first read a file version), and the same figure and
answer changes. Sources from benchmarks/generate.py: 33 documents whose
figures agree across sources, so every check passes."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import duckdb
import pytest

from cloudmart.refresh import RefreshOutcome, run_refresh
from foundation.settings import PROJECT_ROOT, Settings
from tests.support import refresh_ok

ROWS = 3000
OWN_COLUMNS = ("refresh_id", "loaded_at")  # which refresh wrote a row, when this installation first read a file
HEADER = "entity,metric,market,period,value,magnitude,unit,qualifier,citation,note"


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Generated sources, refreshed once."""
    root = tmp_path_factory.mktemp("incremental")
    sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(PROJECT_ROOT / "benchmarks"))
    generate(root / "sources", ROWS)
    settings = Settings(data_dir=root / "data", sources_dir=root / "sources")
    refresh_ok(settings)
    return settings


def documents(settings: Settings) -> list[Path]:
    return sorted(settings.sources_dir.glob("*.csv"))


def split(path: Path) -> tuple[str, list[str]]:
    """A document's front matter and header, and its figure rows."""
    head, rows = path.read_text(encoding="utf-8").split(HEADER + "\n")
    return head + HEADER + "\n", rows.splitlines()


def edit_rows(settings: Settings) -> None:
    """In one document: a row's qualifier and note edited, a row removed (moving the lines after it), and a
    row another document states appended."""
    paths = documents(settings)
    path, other = paths[len(paths) // 2], paths[0]
    head, rows = split(path)
    grain = {tuple(r.split(",")[:4]) for r in rows}
    first = rows[0].split(",")
    rows[0] = ",".join(first[:7] + ["approx", first[8], "edited by the test"])
    del rows[1]
    rows.append(next(r for r in split(other)[1] if tuple(r.split(",")[:4]) not in grain and r.split(",")[8] == ""))
    path.write_text(head + "\n".join(rows) + "\n", encoding="utf-8")


def remove_file(settings: Settings) -> None:
    documents(settings)[-1].unlink()


def add_file(settings: Settings) -> None:
    source = documents(settings)[1]
    text = source.read_text(encoding="utf-8").replace('# title: "', '# title: "Another look at ', 1)
    (settings.sources_dir / "src-99999-added.csv").write_text(text, encoding="utf-8")


def forced_copy(settings: Settings, folder: Path) -> Settings:
    """The same installation (sources, data directory) in `folder`, for a full rebuild beside it."""
    shutil.copytree(settings.sources_dir, folder / "sources")
    shutil.copytree(settings.data_dir, folder / "data")
    return Settings(data_dir=folder / "data", sources_dir=folder / "sources")


def differences(left: Path, right: Path) -> dict[str, int]:
    """Rows of every core and mart table found on one side only (OWN_COLUMNS aside), by table; and the tables
    one side lacks."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{left}' AS a (READ_ONLY)")
        con.execute(f"ATTACH '{right}' AS b (READ_ONLY)")
        tables = {db: set(con.execute("SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE "
                                      "database_name = ? AND schema_name IN ('core', 'marts')", [db]).fetchall())
                  for db in ("a", "b")}
        found = {f"missing {t}": 1 for t in tables["a"] ^ tables["b"]}
        for (table,) in sorted(tables["a"] & tables["b"]):
            columns = con.execute("SELECT list(column_name ORDER BY column_index) FROM duckdb_columns() "
                                  "WHERE database_name = 'a' AND schema_name || '.' || table_name = ?", [table]).fetchone()[0]
            own = [c for c in OWN_COLUMNS if c in columns]
            dropped = f" EXCLUDE ({', '.join(own)})" if own else ""
            one_side = con.execute(f"SELECT (SELECT count(*) FROM (SELECT *{dropped} FROM a.{table} EXCEPT ALL "
                                   f"SELECT *{dropped} FROM b.{table})) + (SELECT count(*) FROM (SELECT *{dropped} "
                                   f"FROM b.{table} EXCEPT ALL SELECT *{dropped} FROM a.{table}))").fetchone()[0]
            if one_side:
                found[table] = one_side
        return found
    finally:
        con.close()


def refresh_both(settings: Settings, folder: Path) -> tuple[RefreshOutcome, RefreshOutcome, Settings]:
    forced = forced_copy(settings, folder)
    incremental = refresh_ok(settings)
    full = run_refresh(forced, full=True)
    assert full.success, full.errors
    return incremental, full, forced


@pytest.mark.parametrize("change", [edit_rows, remove_file, add_file])
def test_a_refresh_after_a_change_publishes_what_a_full_rebuild_does(installation: Settings, tmp_path: Path,
                                                                      change) -> None:
    change(installation)
    incremental, full, forced = refresh_both(installation, tmp_path)
    assert differences(installation.warehouse_path, forced.warehouse_path) == {}
    assert incremental.changes == full.changes and incremental.changes.total > 0
    assert incremental.answer_changes == full.answer_changes
    assert incremental.tables == full.tables


def test_only_the_changed_source_is_rebuilt(installation: Settings) -> None:
    """After one document changed, the fact rows of every other document are the ones an earlier refresh wrote."""
    edit_rows(installation)
    outcome = refresh_ok(installation)
    con = duckdb.connect(str(installation.warehouse_path), read_only=True)
    try:
        written = dict(con.execute("SELECT refresh_id = ?, count(DISTINCT source_id) FROM marts.figures "
                                   "JOIN core.fct_market_share USING (figure_key) GROUP BY ALL", [outcome.run_id]).fetchall())
    finally:
        con.close()
    assert written[True] == 1 and written[False] >= 20
