"""A full refresh from the seed sources builds every table, and the marts answer analysts' questions."""

from __future__ import annotations

import csv
from datetime import date

import duckdb
import pytest

from foundation.settings import Settings
from transforms.models import load_models
from warehouse.connection import connect

SEED_DOCUMENTS = ("alibaba-cloud-global-race.csv", "mobile-cloud-counterattack-2025.csv")


def query(settings: Settings, sql: str, params=None) -> list[tuple]:
    with connect(settings.warehouse_path, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_every_model_is_built_and_core_and_marts_are_published(refreshed: Settings):
    """Staging and intermediate stay in the working warehouse; core and marts are built straight into
    the file that is published, and the run leaves no other file beside it."""
    with connect(refreshed.build_path, read_only=True) as con:
        built = {f"{s}.{t}" for s, t in con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()}
    assert {m.table for m in load_models().values() if m.layer in ("staging", "intermediate")} <= built
    assert not {t for t in built if t.split(".")[0] in ("core", "marts")}
    published = {f"{s}.{t}" for s, t in query(refreshed, "SELECT schema_name, table_name FROM duckdb_tables()")}
    assert published == {m.table for m in load_models().values() if m.layer in ("core", "marts")} | {
        "meta.check_results", "meta.publish_log", "meta.refresh_log", "meta.source_status"}
    assert sorted(p.name for p in refreshed.warehouse_path.parent.iterdir() if p.is_file()) == ["warehouse.duckdb"]


def test_q2_2025_global_shares_of_the_four_providers(refreshed: Settings):
    rows = query(refreshed, """
        SELECT provider_name, share_pct, qualifier, period_start, period_end FROM marts.market_share
        WHERE market_name = 'Global cloud infrastructure services' AND period_label = '2025-Q2' AND NOT is_group
        ORDER BY share_pct DESC""")
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("Amazon Web Services", 30.0, "exact"), ("Microsoft Azure", 20.0, "exact"),
        ("Google Cloud", 13.0, "exact"), ("Alibaba Cloud", 4.0, "exact")]
    assert {(r[3], r[4]) for r in rows} == {(date(2025, 4, 1), date(2025, 6, 30))}


def test_telecom_cloud_2024_revenue_and_growth(refreshed: Settings):
    rows = query(refreshed, """
        SELECT metric, value, currency, unit, qualifier, source_title, citation FROM marts.provider_financials
        WHERE provider_name = 'Mobile Cloud' AND period_label = '2024' ORDER BY metric""")
    assert [r[:5] for r in rows] == [("revenue", 100_400_000_000.0, "CNY", "CNY", "exact"),
                                     ("revenue_growth_yoy", 20.4, None, "pct", "exact")]
    assert all(r[5].startswith("Alibaba Cloud Under Pressure") and r[6] == "cmcc-report" for r in rows)


def test_every_source_figure_appears_once_in_marts_figures(refreshed: Settings):
    expected = set()
    for name in SEED_DOCUMENTS:
        lines = (refreshed.sources_dir / name).read_text(encoding="utf-8").splitlines()
        header = next(i for i, line in enumerate(lines) if not line.startswith("#"))
        for offset, row in enumerate(csv.reader(lines[header + 1:])):
            if row:
                expected.add((name, header + 2 + offset))
    rows = query(refreshed, "SELECT source_file, source_line FROM marts.figures")
    assert len(rows) == len(expected) == 39
    assert set(rows) == expected


def test_every_figure_traces_to_its_document_and_file_version(refreshed: Settings):
    rows = query(refreshed, """
        SELECT count(*), count(source_title), count(source_published), count(source_version),
               count(*) FILTER (WHERE citation IS NOT NULL AND citation_text IS NULL)
        FROM marts.figures""")
    assert rows == [(39, 39, 39, 39, 0)]
    documents = query(refreshed, "SELECT source_id, outlet, published_label, published_date FROM core.dim_source "
                                 "ORDER BY source_id")
    assert documents == [("alibaba-cloud-global-race", "unknown", "unknown", None),
                         ("mobile-cloud-counterattack-2025", "unknown", "2025-04-20", date(2025, 4, 20))]


@pytest.mark.parametrize("label, grain, start, end", [
    ("2025-Q2", "quarter", date(2025, 4, 1), date(2025, 6, 30)),
    ("2024-H1", "half", date(2024, 1, 1), date(2024, 6, 30)),
    ("2024", "year", date(2024, 1, 1), date(2024, 12, 31)),
    ("2019..2024", "span", date(2019, 1, 1), date(2024, 12, 31)),
    ("2023-11-11", "day", date(2023, 11, 11), date(2023, 11, 11)),
    ("as of 2023-12-31", "point", date(2023, 12, 31), date(2023, 12, 31)),
    ("unspecified", "unspecified", None, None),
])
def test_periods_have_calendar_bounds(refreshed: Settings, label, grain, start, end):
    assert query(refreshed, "SELECT period_grain, start_date, end_date FROM core.dim_period WHERE period_label = ?",
                 [label]) == [(grain, start, end)]


def test_group_figures_stay_at_group_level_with_their_members(refreshed: Settings):
    rows = query(refreshed, """
        SELECT g.provider_group_name, list(p.provider_name ORDER BY p.provider_name)
        FROM core.bridge_provider_group_member JOIN core.dim_provider_group AS g USING (provider_group_key)
        JOIN core.dim_provider AS p USING (provider_key) GROUP BY 1 ORDER BY 1""")
    assert rows == [("China Big Three", ["Alibaba Cloud", "Huawei Cloud", "Tencent Cloud"]),
                    ("US Big Three", ["Amazon Web Services", "Google Cloud", "Microsoft Azure"])]
    assert query(refreshed, """SELECT share_pct, qualifier FROM marts.market_share
                               WHERE provider_name = 'US Big Three' AND is_group ORDER BY period_label""") == [
        (63.0, "exact"), (66.0, "approx")]


def test_derived_figures_are_labelled_and_computed(refreshed: Settings):
    rows = dict(((r[0], r[1]), r[2:]) for r in query(refreshed, """
        SELECT entity_name, metric, period_label, value, currency, qualifier, derivation FROM marts.derived_figures"""))
    assert rows[("Amazon Web Services", "implied_revenue")][:4] == ("2025-Q2", 29_700_000_000.0, "USD", "exact")
    prior = rows[("Mobile Cloud", "implied_prior_period_revenue")]
    assert prior[0] == "2023" and prior[2] == "CNY"
    assert prior[1] == pytest.approx(100.4e9 / 1.204, rel=1e-9)


def test_published_tables_and_columns_carry_descriptions(refreshed: Settings):
    missing = query(refreshed, """
        SELECT schema_name || '.' || table_name || '.' || column_name FROM duckdb_columns()
        WHERE NOT internal AND (comment IS NULL OR comment = '')""")
    assert missing == []
    assert query(refreshed, "SELECT count(*) FROM duckdb_tables() WHERE comment IS NULL OR comment = ''") == [(0,)]
    assert query(refreshed, "SELECT count(*) FROM duckdb_columns() WHERE NOT internal") [0][0] > 100


def test_published_warehouse_is_read_only_for_analysts(refreshed: Settings):
    with connect(refreshed.warehouse_path, read_only=True) as con:
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("DELETE FROM marts.figures")
