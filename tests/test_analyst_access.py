"""Analysts and BI tools read the published snapshot: any time, read-only, never half a refresh."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from cloudmart.refresh import run_refresh
from foundation.settings import PROJECT_ROOT, Settings
from tests.doc_pages import python_examples
from tests.support import edit_source, installation_env
from transforms.models import load_models

VENV_BIN = Path(sys.executable).parent


def cloudmart(settings: Settings, *args: str) -> subprocess.CompletedProcess:
    env = {"CLOUDMART_DATA_DIR": str(settings.data_dir), "CLOUDMART_SOURCES_DIR": str(settings.sources_dir),
           "PATH": str(VENV_BIN)}
    return subprocess.run([str(VENV_BIN / "cloudmart"), *args], env=env, capture_output=True, text=True, timeout=300)


def test_sql_binds_parameters_and_prints_csv_and_json(refreshed: Settings):
    csv_out = cloudmart(refreshed, "sql", "SELECT provider_name, share_pct FROM marts.market_share "
                        "WHERE period_label = ? AND NOT is_group ORDER BY share_pct DESC", "--param", "2025-Q2",
                        "--format", "csv")
    assert csv_out.stdout.splitlines()[:3] == ["provider_name,share_pct", "Amazon Web Services,30.0",
                                               "Microsoft Azure,20.0"]
    injected = cloudmart(refreshed, "sql", "SELECT count(*) AS n FROM marts.figures WHERE entity_name = ?",
                         "--param", "x' OR '1'='1", "--format", "json")
    assert json.loads(injected.stdout) == [{"n": 0}]


def test_sql_reads_a_query_file_and_lists_the_marts_for_a_typo(refreshed: Settings, tmp_path: Path):
    query = tmp_path / "q.sql"
    query.write_text("SELECT count(*) AS figures FROM marts.figures", encoding="utf-8")
    assert "39" in cloudmart(refreshed, "sql", "--file", str(query)).stdout
    typo = cloudmart(refreshed, "sql", "SELECT * FROM marts.figure")
    assert typo.returncode == 1 and "Tables analysts query:" in typo.stderr and "marts.figures" in typo.stderr


@pytest.mark.parametrize("output_format", ["parquet", "csv"])
def test_export_writes_every_mart_and_on_request_the_star_schema(refreshed: Settings, tmp_path: Path,
                                                                 output_format: str):
    done = cloudmart(refreshed, "export", str(tmp_path / "out"), "--format", output_format, "--star-schema")
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert done.returncode == 0 and f"marts.figures.{output_format}" in files
    published = {m.table for m in load_models().values() if m.layer in ("core", "marts")}
    assert files == sorted(f"{table}.{output_format}" for table in published)
    with duckdb.connect() as con:  # `cloudmart sql` reads the warehouse only, not files
        assert con.execute(f"SELECT count(*) FROM '{tmp_path / 'out' / f'marts.figures.{output_format}'}'"
                           ).fetchone()[0] == 39


READER = textwrap.dedent("""
    import json, os, sys, time
    kind, path, stop_file = sys.argv[1:]
    if kind == "analyst":  # the read-only connection `cloudmart sql` opens, a new one per query
        from foundation.settings import PROJECT_ROOT, Settings
        from warehouse.published import open_published
        settings = Settings.from_env()
        def query(sql):
            with open_published(settings) as con:
                return con.execute(sql).fetchone()
    else:  # a BI tool: SQLAlchemy with duckdb-engine, read-only, a fresh connection from its pool per query
        import sqlalchemy
        from sqlalchemy.pool import NullPool
        engine = sqlalchemy.create_engine(f"duckdb:///{path}", connect_args={"read_only": True}, poolclass=NullPool)
        def query(sql):
            with engine.connect() as con:
                return tuple(con.execute(sqlalchemy.text(sql)).fetchone())
    seen, errors, mixed, queries = set(), [], 0, 0
    facts = " UNION ALL ".join(f"SELECT refresh_id FROM core.{t}" for t in
                               ("fct_market_share", "fct_market_size", "fct_operating_metrics", "fct_provider_financials"))
    # One version: the facts were written by refreshes this file's log says were published, the newest of
    # them among the writers (each refresh edits a figure, so it rewrites that source's rows; rows of
    # sources it did not change keep the refresh that wrote them), and every figure is there.
    sql = (f"SELECT (SELECT list(DISTINCT refresh_id) FROM ({facts})), "
           "(SELECT max_by(refresh_id, finished_at) FROM meta.refresh_log WHERE outcome = 'published'), "
           "(SELECT list(refresh_id) FROM meta.refresh_log WHERE outcome = 'published'), "
           "(SELECT count(*) FROM marts.figures)")
    print("ready", flush=True)
    while not os.path.exists(stop_file):
        try:
            ids, latest, published, figures = query(sql)
            queries += 1
            if latest not in ids or not set(ids) <= set(published) or figures != 39:
                mixed += 1
            seen.add(latest)
        except Exception as error:
            errors.append(repr(error))
        time.sleep(0.02)
    print(json.dumps({"kind": kind, "queries": queries, "versions": len(seen), "mixed": mixed, "errors": errors[:5]}))
""")
REFRESHES = {"quick": 6, "full": 20}  # publishes under the readers; `pytest --full-soak` runs the full count


def test_readers_never_fail_nor_see_a_mix_while_refreshes_publish(published: Settings, tmp_path: Path,
                                                                   full_soak: bool):
    """An analyst (cloudmart's read-only connection) and a BI tool (SQLAlchemy, duckdb-engine) query
    the published warehouse non-stop in their own processes while refreshes publish new versions (6;
    20 with `--full-soak`)."""
    refreshes = REFRESHES["full" if full_soak else "quick"]
    stop = tmp_path / "stop"
    env = installation_env(published)
    readers = [subprocess.Popen([sys.executable, "-c", READER, kind, str(published.warehouse_path), str(stop)],
                                stdout=subprocess.PIPE, text=True, env=env) for kind in ("analyst", "bi")]
    try:
        for reader in readers:
            assert reader.stdout.readline().strip() == "ready"
        for number in range(refreshes):
            edit_source(published, "mobile-cloud-counterattack-2025.csv", f"edge_nodes,,unspecified,{6 + number},",
                        f"edge_nodes,,unspecified,{7 + number},")
            assert run_refresh(published).success
    finally:
        stop.touch()
    reports = [json.loads(reader.communicate(timeout=60)[0]) for reader in readers]
    print(f"\n{refreshes} refreshes published while readers queried: {reports}")
    for report in reports:
        assert report["errors"] == [] and report["mixed"] == 0, report
        assert report["queries"] > 100 and report["versions"] >= refreshes, report


OLDEST_DUCKDB = "1.4.0"  # the oldest version docs/warehouse.md promises: "DuckDB 1.4 and later"


@pytest.fixture(scope="module")
def oldest_duckdb_python(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Python of a virtual environment with DuckDB 1.4.0 and pandas (the docs' example calls
    `.df()`), installed from the package index with pip and kept in pytest's cache between runs; the
    test is skipped when the index cannot be reached."""
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    venv = Path(cache.mkdir(f"duckdb-{OLDEST_DUCKDB}-venv")) if cache else tmp_path_factory.mktemp("venv")
    python = venv / "bin" / "python"
    ready = [str(python), "-c", f"import duckdb, pandas; assert duckdb.__version__ == {OLDEST_DUCKDB!r}"]
    if python.exists() and subprocess.run(ready, capture_output=True).returncode == 0:
        return python
    shutil.rmtree(venv)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=120)
    installed = subprocess.run([str(python), "-m", "pip", "install", "-q", f"duckdb=={OLDEST_DUCKDB}", "pandas"],
                               capture_output=True, text=True, timeout=600)
    if installed.returncode != 0:
        pytest.skip(f"duckdb {OLDEST_DUCKDB} could not be installed (no package index?): {installed.stderr[-300:]}")
    return python


def test_the_published_file_opens_in_duckdb_1_4(refreshed: Settings, oldest_duckdb_python: Path):
    read = subprocess.run([str(oldest_duckdb_python), "-c",
                           "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
                           "print(duckdb.__version__, con.execute('SELECT count(*) FROM marts.figures').fetchone()[0])",
                           str(refreshed.warehouse_path)], capture_output=True, text=True, timeout=120)
    assert read.returncode == 0, read.stderr
    assert read.stdout.split() == [OLDEST_DUCKDB, "39"]


def python_example() -> str:
    """docs/warehouse.md's Python example of opening the warehouse."""
    examples = python_examples(PROJECT_ROOT / "docs" / "warehouse.md")
    assert len(examples) == 1, examples
    return examples[0]


@pytest.mark.parametrize("duckdb_version", ["oldest", "installed"])
def test_the_docs_python_example_works_on_every_promised_duckdb(refreshed: Settings, duckdb_version: str,
                                                                 request: pytest.FixtureRequest):
    """The example exactly as docs/warehouse.md prints it, run in the data folder's parent (its path is
    relative), on DuckDB 1.4.0 and on the version cloudmart installs."""
    python = request.getfixturevalue("oldest_duckdb_python") if duckdb_version == "oldest" else Path(sys.executable)
    example = python_example()
    run = subprocess.run([str(python), "-c", f"import duckdb\n{example}\nprint(duckdb.__version__, len(figures))"],
                         cwd=refreshed.data_dir.parent, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    version, rows = run.stdout.split()
    assert rows == "39" and (version == OLDEST_DUCKDB if duckdb_version == "oldest" else version == duckdb.__version__)
