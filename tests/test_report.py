"""The market report: built after every publish from the published warehouse, self-contained, shown
in a real headless Chromium without console errors, and left alone by a refresh that fails."""

from __future__ import annotations

import base64
import html
import io
import re
import subprocess
import sys

import dagster as dg
from PIL import Image

from cloudmart.refresh import run_refresh
from foundation.settings import Settings
from report.formatting import money, percent
from report.sections import OTHERS, share_charts, share_trend_charts, spend_trend_charts
from tests.browser import ink, load_page
from tests.support import cloudmart, edit_source, file_digest
from warehouse.connection import connect

ALIBABA = "alibaba-cloud-global-race.csv"
Q2_AWS = "Amazon Web Services,market_share,Global cloud infrastructure services,2025-Q2,30,"
MARTS_PROVIDERS = """
    SELECT provider_name FROM marts.market_share UNION SELECT provider_name FROM marts.provider_financials
    UNION SELECT provider_group_name FROM marts.group_shares"""
MARTS_MARKETS = """
    SELECT market_name FROM marts.market_share UNION SELECT market_name FROM marts.group_shares
    UNION SELECT market_name FROM marts.market_size"""


def names(settings: Settings, sql: str) -> list[str]:
    with connect(settings.warehouse_path, read_only=True) as con:
        return [row[0] for row in con.execute(sql).fetchall()]


def test_numbers_are_formatted_for_people():
    assert [percent(30), percent(60, "at_least"), percent(66, "approx"), percent(9.1)] == [
        "30 %", "≥ 60 %", "≈ 66 %", "9.1 %"]
    assert [money(99e9, "USD"), money(100.4e9, "CNY"), money(52.7e9, "USD", "at_least")] == [
        "US$ 99 bn", "RMB 100.4 bn", "≥ US$ 52.7 bn"]


def test_the_rest_of_a_market_is_bounded_the_other_way_from_its_shares():
    def share(provider, pct, qualifier):
        return {"market_name": "M", "period_label": "2025", "provider_name": provider, "share_pct": pct,
                "qualifier": qualifier, "rank": None, "figure_key": 1}

    colours = {"A": "#1f77b4", "B": "#ff7f0e"}
    exact, bound, mixed = (share_charts([share("A", 30, "exact"), share("B", second, qualifier)], colours)[0].svg
                           for second, qualifier in ((10, "exact"), (10, "at_least"), (10, "approx")))
    assert ">60 %<" in exact and ">≤ 60 %<" in bound and ">≈ 60 %<" in mixed
    assert all(OTHERS in svg for svg in (exact, bound, mixed))


def test_a_publish_builds_the_report_with_every_provider_and_market(refreshed: Settings):
    page = refreshed.report_path.read_text(encoding="utf-8")
    providers, markets = names(refreshed, MARTS_PROVIDERS), names(refreshed, MARTS_MARKETS)
    assert len(providers) >= 6 and len(markets) == 3
    assert [name for name in providers + markets if html.escape(name) not in page] == []
    # Qualifiers, the unattributed rest of the market, money as people write it.
    for shown in ["≥ 60 %", "≈ 66 %", "≤ 40 %", "Others (not attributed)", "33 %", "US$ 99 bn", "RMB 100.4 bn",
                  "32 %", "20.4 %"]:
        assert shown in page, shown
    # Self-contained: no script, stylesheet, image or font fetched; links and patterns point inside the page.
    assert not re.search(r"<script|<link|<img|<iframe|\bsrc=|url\((?!#)|href=\"(?!#)", page)


def test_every_number_links_to_its_source(refreshed: Settings):
    page = refreshed.report_path.read_text(encoding="utf-8")
    linked = set(re.findall(r'href="#figure-(\d+)"', page))
    footnotes = set(re.findall(r'<tr id="figure-(\d+)"', page))
    assert len(linked) >= 15 and linked == footnotes
    row = re.search(r'<tr id="figure-(\d+)">.*?</tr>', page[page.index('id="figure-'):], re.S).group(0)
    assert ".csv:" in row and "Reference [" in row  # the file and line, the citation


def test_a_provider_has_one_colour_in_every_chart(refreshed: Settings):
    page = refreshed.report_path.read_text(encoding="utf-8")
    charts = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(charts) >= 8
    for provider in ("Alibaba Cloud", "Mobile Cloud"):
        with_it = [chart for chart in charts if f">{provider}" in chart]
        fills = [set(re.findall(r"fill: (#[0-9a-f]{6})", chart)) for chart in with_it]
        shared = set.intersection(*fills) - {"#ffffff", "#000000", "#c7c7c7"}
        assert len(with_it) >= 2 and len(shared) == 1, (provider, shared)


def test_the_page_loads_in_headless_chromium_without_console_errors(refreshed: Settings, tmp_path):
    screenshot = tmp_path / "report.png"
    assert load_page(refreshed.report_path, screenshot) == []
    colours, non_white = ink(screenshot)
    assert colours > 100 and non_white > 0.05, (colours, non_white)


def test_the_browser_check_catches_console_errors_and_blank_pages(tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><p>charts</p><script>throw new Error('chart failed')</script>",
                      encoding="utf-8")
    assert any("chart failed" in line for line in load_page(broken, tmp_path / "broken.png"))
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><title>nothing</title>", encoding="utf-8")
    assert load_page(blank, tmp_path / "blank.png") == []
    assert ink(tmp_path / "blank.png") == (1, 0.0)


def test_the_charts_are_in_the_dagster_ui_next_to_the_run(refreshed: Settings):
    instance = dg.DagsterInstance.from_config(str(refreshed.dagster_home))
    event = instance.get_latest_materialization_event(dg.AssetKey(["market_report"]))
    metadata = event.asset_materialization.metadata
    assert metadata["path"].path == str(refreshed.report_path)
    images = re.findall(r"\(data:image/png;base64,([A-Za-z0-9+/=]+)\)", metadata["charts"].value)
    page = refreshed.report_path.read_text(encoding="utf-8")
    assert len(images) == page.count("<svg") >= 8
    with Image.open(io.BytesIO(base64.b64decode(images[0]))) as chart:
        assert chart.format == "PNG" and chart.width > 300


def test_a_refresh_failing_validation_leaves_the_report_as_it_was(published: Settings):
    before = file_digest(published.report_path)
    edit_source(published, ALIBABA, Q2_AWS, Q2_AWS.replace(",30,", ",120,"))
    outcome = run_refresh(published)
    assert not outcome.success and outcome.report is None
    assert file_digest(published.report_path) == before


def test_cloudmart_report_rebuilds_from_the_published_snapshot_and_opens_it(published: Settings, tmp_path,
                                                                            monkeypatch):
    published.report_path.unlink()
    opened = tmp_path / "opened"
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n', encoding="utf-8")
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER", f"{browser} %s")  # what webbrowser runs instead of a real browser
    done = cloudmart(published, "report", "--open")
    assert done.returncode == 0, done.stderr
    assert f"Report: {published.report_path}" in done.stdout
    assert opened.read_text(encoding="utf-8").strip() == published.report_path.as_uri()
    assert "Amazon Web Services" in published.report_path.read_text(encoding="utf-8")
    unpublished = Settings(data_dir=tmp_path / "unpublished", sources_dir=published.sources_dir)
    nothing = cloudmart(unpublished, "report")
    assert nothing.returncode == 2 and "run `cloudmart refresh` first" in nothing.stderr
    assert not unpublished.report_path.exists()


def refresh_log(settings: Settings) -> list[tuple]:
    with connect(settings.build_path, read_only=True) as con:
        return con.execute("SELECT refresh_id, outcome FROM meta.refresh_log ORDER BY started_at").fetchall()


def run_status(settings: Settings, run_id: str) -> dg.DagsterRunStatus:
    return dg.DagsterInstance.from_config(str(settings.dagster_home)).get_run_by_id(run_id).status


def test_a_report_that_cannot_be_written_fails_the_report_not_the_published_refresh(published: Settings):
    """Once the warehouse file is in place the refresh has published: a report that cannot be written
    is reported as a report failure (exit 0), in the log, the Dagster run and `status`, and the next
    refresh draws it again without rebuilding the warehouse."""
    folder = published.report_path.parent
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    folder.write_text("a file where the report folder should be", encoding="utf-8")  # root ignores chmod
    edit_source(published, ALIBABA, "Model Studio", "Model Studio platform")
    done = cloudmart(published, "refresh")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert f"Published {published.warehouse_path}" in done.stdout and "Refresh FAILED" not in done.stdout
    assert "Traceback" not in output
    [line] = [line for line in done.stdout.splitlines() if line.startswith("Report FAILED")]
    assert str(published.report_path) in line and "File exists" in line, line
    run_id = re.search(r"^Run (\S+) took", done.stdout, re.M)[1]
    assert refresh_log(published)[-1] == (run_id, "published")
    assert run_status(published, run_id) == dg.DagsterRunStatus.SUCCESS

    status = cloudmart(published, "status")
    assert status.returncode == 1, status.stdout
    [report_line] = [line for line in status.stdout.splitlines() if line.strip().startswith("report")]
    assert "FAILED" in report_line and "File exists" in report_line and run_id in report_line, report_line

    folder.unlink()
    warehouse = file_digest(published.warehouse_path)
    logged = refresh_log(published)
    again = cloudmart(published, "refresh")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "up to date" not in again.stdout and f"Report: {published.report_path}" in again.stdout
    assert file_digest(published.warehouse_path) == warehouse and refresh_log(published) == logged  # no rebuild
    assert f"refresh {run_id}" in published.report_path.read_text(encoding="utf-8")
    done = cloudmart(published, "refresh")
    assert done.returncode == 0 and "up to date" in done.stdout, done.stdout
    assert cloudmart(published, "status").returncode == 0


def test_cloudmart_report_explains_a_chart_it_cannot_draw(published: Settings):
    with connect(published.warehouse_path) as con:  # content no chart can draw (the row rules keep it out)
        assert con.execute("UPDATE marts.figures SET value = 'inf'::DOUBLE WHERE metric = 'market_spend'"
                           ).fetchall() == [(1,)]
    before = file_digest(published.report_path)
    done = cloudmart(published, "report")
    assert done.returncode == 1 and done.stdout == "", done.stdout + done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith("cloudmart: report FAILED: ") and "Market spend" in line and "Inf" in line, line
    assert file_digest(published.report_path) == before


def test_a_report_still_to_be_drawn_by_the_running_refresh_is_not_behind(published: Settings):
    """While a refresh runs (it holds the working warehouse's lock) the report is drawn after the file's
    rename: status shows the report as next for that refresh and does not fail; once no refresh runs, the
    same report is BEHIND and status exits 1."""
    published.report_path.unlink()  # a report that holds no refresh, as between the rename and its drawing
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True);"
         " time.sleep(120)", str(published.build_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        running = cloudmart(published, "status")
    finally:
        holder.kill()
        holder.wait()
    assert running.returncode == 0, running.stdout + running.stderr
    assert "A refresh is running now." in running.stdout
    [line] = [line for line in running.stdout.splitlines() if line.strip().startswith("report")]
    assert "the running refresh publishes" in line and "BEHIND" not in line, line
    idle = cloudmart(published, "status")
    assert idle.returncode == 1, idle.stdout
    [line] = [line for line in idle.stdout.splitlines() if line.strip().startswith("report")]
    assert "BEHIND" in line, line


MOBILE = "mobile-cloud-counterattack-2025.csv"
# Alibaba's 2025-Q2 share as a second source states it, differently: the warning sources_agree_with_each_other
DISAGREEING = "Alibaba Cloud,market_share,Global cloud infrastructure services,2025-Q2,5,,pct,exact,,\n"
PASSED_GREEN = (0x2E, 0x7D, 0x32)  # .tile.good b


def tiles(page: str, section: str) -> dict[str, tuple[str, str]]:
    """The tiles of a section's panel: {label: (class, number)}."""
    start = page.index(f'<h2 id="{section}">')
    panel = page[start:page.index("</div>\n</div>", start) + len("</div>")]
    return {label.split(" (")[0]: (kind.strip(), number)
            for kind, number, label in re.findall(r'<div class="tile ?([^"]*)"><b>([^<]+)</b>([^<]+)</div>', panel)}


def test_what_changed_shows_the_last_publish_and_passed_checks_are_green_beside_a_warning(published: Settings,
                                                                                           tmp_path):
    edit_source(published, MOBILE, "Huawei Cloud,ai_compute", DISAGREEING + "Huawei Cloud,ai_compute")
    outcome = run_refresh(published)
    assert outcome.success, outcome.errors
    page = published.report_path.read_text(encoding="utf-8")

    assert tiles(page, "what-changed") == {"figures added": ("", "1"), "changed": ("", "0"), "removed": ("", "0")}
    start = page.index('<h2 id="what-changed">')
    rows = re.findall(r"<tr><td>(\w+)</td><td>([^<]+)</td><td>([^<]+)</td>\s*<td class=\"num\">([^<]*)</td>"
                      r"<td class=\"num\">([^<]*)</td></tr>", page[start:page.index("<h2", start + 10)])
    assert rows == [("added", "Alibaba Cloud: market share, Global cloud infrastructure services, 2025-Q2",
                     "mobile-cloud-counterattack-2025", "", "5 %")]
    assert f"refresh {outcome.run_id}" in page[start:start + 400]

    quality = tiles(page, "data-quality")
    assert quality["with warnings"] == ("warn", "1"), quality
    run = int(quality["checks run"][1])
    assert quality["checks passed"] == ("good", str(run - 1)) and quality["failed"] == ("", "0"), quality
    screenshot = tmp_path / "top.png"
    assert load_page(published.report_path, screenshot, height=900) == []
    with Image.open(screenshot) as image:
        green = sum(count for count, colour in image.convert("RGB").getcolors(1 << 24) if colour == PASSED_GREEN)
    assert green > 30, green  # the passed count is drawn in green (it was red beside a warning)


def test_shares_over_time_draw_each_provider_across_its_periods_in_order(refreshed: Settings):
    page = refreshed.report_path.read_text(encoding="utf-8")
    start = page.index('<h2 id="share-trends">')
    [chart] = re.findall(r"<svg.*?</svg>", page[start:page.index("<h2", start + 10)], re.S)
    assert "<title>Shares over time: Global cloud infrastructure services</title>" in chart
    ticks = [tick for tick in re.findall(r">(20\d\d-Q\d)<", chart)]
    assert ticks == ["2022-Q4", "2023-Q4", "2025-Q2"], ticks  # by period start; undated periods left out
    with connect(refreshed.warehouse_path, read_only=True) as con:
        alibaba = con.execute("SELECT figure_key FROM marts.figures WHERE entity_name = 'Alibaba Cloud' AND "
                              "metric = 'market_share' AND period_start IS NOT NULL ORDER BY period_start").fetchall()
    linked = [int(key) for key in re.findall(r'xlink:href="#figure-(\d+)"', chart)]
    assert len(alibaba) == 3 and {key for (key,) in alibaba} <= set(linked)
    assert "Alibaba Cloud" in chart and "US Big Three" in chart


def test_trend_points_show_the_qualifier_and_disagreeing_sources():
    def share(period, value, qualifier, disagree):
        return {"market_name": "M", "entity_name": "A", "period_label": period, "period_start": period,
                "share_pct": value, "qualifier": qualifier, "sources_disagree": disagree, "figure_key": 1}

    colour = {"A": "#1f77b4"}
    [agreeing] = share_trend_charts([share("2024", 30, "exact", False), share("2025", 31, "approx", False)], colour)
    [disagreeing] = share_trend_charts([share("2024", 30, "exact", False), share("2025", 31, "at_least", True)],
                                       colour)
    hollow = re.compile(r'<use xlink:href="#m\w+" x="[\d.]+" y="[\d.]+" style="fill: #ffffff; stroke: #1f77b4')
    assert not hollow.search(agreeing.svg) and len(hollow.findall(disagreeing.svg)) == 1  # a hollow point
    assert ">30 %" in agreeing.svg and ">≈ 31 %" in agreeing.svg and ">≥ 31 %" in disagreeing.svg
    spend = [{"market_name": "M", "currency": "USD", "period_label": p, "period_start": p, "value": v,
              "qualifier": "exact", "figure_key": k} for k, (p, v) in enumerate([("2025", 99e9), ("2024", 80e9)])]
    [chart] = spend_trend_charts(sorted(spend, key=lambda r: r["period_start"]))
    assert "Market spend over time in US$" in chart.svg
    assert chart.svg.index(">2024<") < chart.svg.index(">2025<") and "US$ 99 bn" in chart.svg
