"""The raw layer keeps every version of every source file; loading the same files again changes nothing."""

from __future__ import annotations

from cloudmart.refresh import run_refresh
from foundation.settings import Settings
from tests.support import edit_source, refresh_ok
from warehouse.connection import connect

MOBILE = "mobile-cloud-counterattack-2025.csv"


def snapshot(settings: Settings) -> dict[str, list[tuple]]:
    with connect(settings.build_path, read_only=True) as con:
        raw = con.execute("SELECT file_name, content_hash, record_count FROM raw.source_files ORDER BY ALL").fetchall()
        figures = con.execute("SELECT count(*) FROM raw.figures").fetchall()
    with connect(settings.warehouse_path, read_only=True) as con:
        marts = con.execute("SELECT * EXCLUDE (figure_key) FROM marts.figures ORDER BY source_file, source_line").fetchall()
    return {"raw": raw, "raw_figures": figures, "marts": marts}


def test_loading_the_same_sources_twice_changes_nothing(published: Settings):
    before = snapshot(published)
    refresh_ok(published)
    assert snapshot(published) == before
    assert len(before["raw"]) == 7 and before["raw_figures"] == [(39,)]


def test_a_corrected_figure_adds_a_raw_version_and_updates_the_facts(published: Settings):
    edit_source(published, MOBILE, "Mobile Cloud,edge_nodes,,unspecified,6,thousand,",
                "Mobile Cloud,edge_nodes,,unspecified,7,thousand,")
    refresh_ok(published)
    with connect(published.build_path, read_only=True) as con:
        versions = con.execute("SELECT count(*) FROM raw.source_files WHERE file_name = ?", [MOBILE]).fetchone()[0]
        kept = con.execute("SELECT list(value ORDER BY value) FROM raw.figures "
                           "WHERE file_name = ? AND metric = 'edge_nodes'", [MOBILE]).fetchone()[0]
    assert versions == 2 and kept == ["6", "7"]   # the old figure is not erased
    with connect(published.warehouse_path, read_only=True) as con:
        assert con.execute("SELECT value FROM marts.operating_metrics WHERE metric = 'edge_nodes'").fetchall() == [
            (7000.0,)]
        assert con.execute("SELECT count(*) FROM marts.figures").fetchone()[0] == 39


def test_a_removed_source_file_leaves_the_marts_but_stays_in_raw(published: Settings):
    (published.sources_dir / MOBILE).unlink()
    refresh_ok(published)
    with connect(published.warehouse_path, read_only=True) as con:
        assert con.execute("SELECT DISTINCT source_file FROM marts.figures").fetchall() == [
            ("alibaba-cloud-global-race.csv",)]
    with connect(published.build_path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM raw.figures WHERE file_name = ?", [MOBILE]).fetchone()[0] == 24


def test_line_numbers_stay_true_with_blank_lines_and_quoted_line_breaks(published: Settings):
    edit_source(published, MOBILE, "Mobile Cloud,revenue,,2019,1.9,billion,CNY,exact,,\n",
                "\nMobile Cloud,revenue,,2019,1.9,billion,CNY,exact,,\"two\nlines\"\n")
    edit_source(published, MOBILE, "Mobile Cloud,provinces_covered,,unspecified,31,",
                "Mobile Cloud,provinces_covered,,unspecified,thirty-one,")
    outcome = run_refresh(published)
    failed = [c.sample for c in outcome.checks if not c.passed]
    assert f"| {MOBILE} | 23 | value | thirty-one |" in failed[0]
