"""Core and marts are built straight into the next warehouse file (warehouse.next_version): a refresh
starts it as a copy of the published file (empty with `--force`), and a run that does not publish leaves
neither a changed warehouse nor a file behind."""

from __future__ import annotations

import dagster as dg
import duckdb

from cloudmart.refresh import PROGRESS_ONLY
from foundation.settings import Settings
from orchestration.definitions import build_definitions
from orchestration.instance import prepare_dagster_home
from tests.support import file_digest

FACTS = ("fct_market_share", "fct_market_size", "fct_operating_metrics", "fct_provider_financials")


def materialize(settings: Settings, *keys: str) -> dg.ExecuteInProcessResult:
    """Materialise only the assets `keys` (as `layer/name`), as a user picking them in the Dagster UI."""
    prepare_dagster_home(settings)
    job = build_definitions(settings).resolve_implicit_global_asset_job_def()
    return job.execute_in_process(instance=dg.DagsterInstance.get(), run_config=PROGRESS_ONLY,
                                  asset_selection=[dg.AssetKey(key.split("/")) for key in keys])


def published_state(settings: Settings) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Row count of every published table, and the refresh ids each fact table's rows carry."""
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() ORDER BY ALL").fetchall()
        rows = {f"{s}.{t}": con.execute(f"SELECT count(*) FROM {s}.{t}").fetchone()[0] for s, t in tables}
        ids = {fact: [i for (i,) in con.execute(f"SELECT DISTINCT refresh_id FROM core.{fact}").fetchall()]
               for fact in FACTS}
    return rows, ids


def leftovers(settings: Settings) -> list[str]:
    return sorted(p.name for p in settings.data_dir.glob(".warehouse.duckdb.*"))


def test_a_run_rebuilding_one_model_publishes_it_beside_the_published_rest(published: Settings):
    rows_before, ids_before = published_state(published)
    result = materialize(published, "core/fct_market_size", "published_warehouse")
    assert result.success
    rows, ids = published_state(published)
    assert ids["fct_market_size"] == [result.run_id] != ids_before["fct_market_size"]
    assert {fact: ids[fact] for fact in FACTS if fact != "fct_market_size"} == {
        fact: ids_before[fact] for fact in FACTS if fact != "fct_market_size"}
    assert {t: n for t, n in rows.items() if not t.startswith("meta.")} == {
        t: n for t, n in rows_before.items() if not t.startswith("meta.")}
    assert rows["meta.refresh_log"] == rows_before["meta.refresh_log"] + 1
    assert leftovers(published) == []


def test_a_run_that_does_not_publish_changes_nothing_published_and_leaves_no_file(published: Settings):
    before = file_digest(published.warehouse_path)
    result = materialize(published, "core/dim_market")
    assert result.success
    assert file_digest(published.warehouse_path) == before
    assert leftovers(published) == []
    with duckdb.connect(str(published.build_path), read_only=True) as con:  # core lives in the next versions
        assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name IN ('core', 'marts')"
                           ).fetchone()[0] == 0


def test_a_dimension_rebuilt_without_the_tables_holding_its_keys_is_not_published(published: Settings):
    """The citations hold the old sources' keys (and DuckDB's foreign keys refuse to replace a referenced table):
    they are dropped from the next version, and publishing it without them is refused."""
    before = file_digest(published.warehouse_path)
    prepare_dagster_home(published)
    job = build_definitions(published).resolve_implicit_global_asset_job_def()
    result = job.execute_in_process(instance=dg.DagsterInstance.get(), run_config=PROGRESS_ONLY, raise_on_error=False,
                                    asset_selection=[dg.AssetKey(["core", "dim_source"]),
                                                     dg.AssetKey(["published_warehouse"])])
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure).step_failure_data.error.message
    assert "core.dim_citation" in failure
    assert file_digest(published.warehouse_path) == before
    assert leftovers(published) == []
