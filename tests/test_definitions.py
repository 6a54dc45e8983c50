"""The Dagster definitions load, and their asset keys do not change by accident."""

from __future__ import annotations

import os
import subprocess
import sys

import dagster as dg

from expectations.suites import all_suites
from orchestration.definitions import defs
from transforms.models import load_models

EXPECTED_ASSETS = sorted([
    "raw/remote_sources", "raw/source_files",
    "staging/stg_citations", "staging/stg_documents", "staging/stg_figures", "staging/stg_markets",
    "staging/stg_metrics", "staging/stg_periods", "staging/stg_provider_group_members",
    "staging/stg_provider_groups", "staging/stg_providers",
    "intermediate/int_figures",
    "core/bridge_provider_group_member", "core/dim_citation", "core/dim_market", "core/dim_metric",
    "core/dim_period", "core/dim_provider", "core/dim_provider_group", "core/dim_source",
    "core/fct_market_share", "core/fct_market_size", "core/fct_operating_metrics", "core/fct_provider_financials",
    "marts/derived_figures", "marts/figures", "marts/group_shares", "marts/market_share", "marts/market_size",
    "marts/operating_metrics", "marts/provider_financials", "marts/reconciled_figures", "marts/share_trends",
    "marts/market_trends",
    "published_warehouse", "market_report",
])


def test_asset_keys_are_stable():
    keys = sorted(key.to_user_string() for key in defs.resolve_all_asset_keys())
    assert keys == EXPECTED_ASSETS


def test_every_model_reads_only_what_it_depends_on_upstream():
    graph = defs.resolve_asset_graph()
    marts_figures = dg.AssetKey(["marts", "figures"])
    upstream = {k.to_user_string() for k in graph.get(marts_figures).parent_keys}
    assert upstream == {"core/dim_citation", "core/dim_market", "core/dim_metric", "core/dim_period",
                        "core/dim_provider", "core/dim_provider_group", "core/dim_source", "core/fct_market_share",
                        "core/fct_market_size", "core/fct_operating_metrics", "core/fct_provider_financials"}
    publish_parents = graph.get(dg.AssetKey(["published_warehouse"])).parent_keys
    assert {k.path[0] for k in publish_parents} == {"core", "marts"}


def test_every_asset_has_a_description():
    graph = defs.resolve_asset_graph()
    assert [k for k in graph.get_all_asset_keys() if not graph.get(k).description] == []


def test_every_table_with_rules_has_its_checks_and_severity():
    checks = {}
    for spec in defs.resolve_asset_graph().asset_check_keys:
        checks.setdefault(spec.asset_key.to_user_string(), []).append(spec.name)
    assert {asset: sorted(names) for asset, names in checks.items()} == {
        "staging/stg_figures": ["figure_rows_are_valid"],
        "staging/stg_provider_group_members": ["reference_rows_are_valid"],
        "core/dim_provider": ["dim_provider_keys_are_unique"],
        "core/dim_provider_group": ["dim_provider_group_keys_are_unique"],
        "core/dim_market": ["dim_market_keys_are_unique"],
        "core/dim_metric": ["dim_metric_keys_are_unique"],
        "core/dim_source": ["dim_source_keys_are_unique"],
        "core/dim_period": ["periods_have_valid_bounds"],
        "core/fct_market_share": ["market_shares_are_valid"],
        "marts/group_shares": ["group_shares_agree_with_members", "group_shares_match_members"],
        "core/fct_provider_financials": ["provider_financials_are_valid"],
        "core/fct_market_size": ["market_sizes_are_valid"],
        "core/fct_operating_metrics": ["operating_metrics_are_valid"],
        "marts/provider_financials": ["financials_are_consistent"],
        "marts/figures": ["every_figure_is_traceable", "sources_agree_with_each_other"],
        "raw/remote_sources": ["remote_sources_are_fresh"],
        "marts/reconciled_figures": ["reconciled_figures_are_coherent", "reconciled_figures_are_valid"],
        "marts/share_trends": ["share_trends_are_valid"],
        "marts/market_trends": ["market_trends_are_valid"],
    }
    warnings = {s.name for s in all_suites() if not s.blocking}
    assert warnings == {"group_shares_match_members", "sources_agree_with_each_other",
                        "reconciled_figures_are_coherent"}


def test_every_suite_reads_only_its_table_and_what_is_built_before_it():
    """A suite runs in its table's step (orchestration.checks): a table it reads that is not upstream of
    that step could be missing or stale when it runs."""
    graph = defs.resolve_asset_graph()
    misplaced = {}
    for suite in all_suites():
        asset = dg.AssetKey(suite.table.split("."))
        built_before = _upstream(graph, asset)
        reads = {dg.AssetKey(table.split(".")) for table in _tables_named(" ".join(r.query for r in suite.expectations))}
        if reads - built_before - {asset}:
            misplaced[suite.name] = sorted(k.to_user_string() for k in reads - built_before - {asset})
    assert misplaced == {}


def _upstream(graph, key: dg.AssetKey) -> set[dg.AssetKey]:
    found, todo = set(), [key]
    while todo:
        for parent in graph.get(todo.pop()).parent_keys - found:
            found.add(parent)
            todo.append(parent)
    return found


def _tables_named(sql: str) -> set[str]:
    return {f"{m.layer}.{m.name}" for m in load_models().values() if f"{m.layer}.{m.name}" in sql}


def test_schedule_and_sensors_are_on_by_default():
    assert [(s.name, s.cron_schedule, s.execution_timezone, s.default_status.value) for s in defs.schedules] == [
        ("daily_refresh", "0 6 * * *", "UTC", "RUNNING")]
    assert {s.name: s.default_status.value for s in defs.sensors} == {
        "sources_changed": "RUNNING", "notify_on_failure": "RUNNING"}
    policy = defs.resolve_assets_def("published_warehouse").specs_by_key[
        dg.AssetKey(["published_warehouse"])].freshness_policy
    assert policy.fail_window.to_timedelta().total_seconds() == 36 * 3600


def test_loading_the_definitions_leaves_the_heavy_libraries_to_the_steps_that_use_them():
    """Every run worker and code server imports the definitions: GX (seconds), matplotlib, jinja2 and
    psycopg are imported by the validation, report and PostgreSQL steps only."""
    heavy = ["great_expectations", "matplotlib", "jinja2", "psycopg", "scipy", "altair"]
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, orchestration.definitions; "
                               f"print([m for m in {heavy!r} if m in sys.modules])"],
        capture_output=True, text=True, check=True, env={**os.environ, "CLOUDMART_PG_DSN": ""})
    assert loaded.stdout.strip() == "[]"
