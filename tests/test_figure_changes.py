"""What each publish changed: meta.figure_changes records every figure a publish added, changed or removed
against the warehouse published before it (by the figure's identity, NULL entity or market included),
`cloudmart refresh` ends with the counts and the first changes, `cloudmart changes` lists them, and the
webhook gets an opt-in `refresh_published` event. Real refreshes of private copies of the sources."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import duckdb
import pytest

from foundation.settings import Settings
from tests.conftest import fresh_settings
from tests.remote_server import RemoteEnd
from tests.support import cloudmart, edit_source, stop_process_group, wait_for
from tests.test_remote_sources import published
from tests.test_unattended import settled_write, start_serve
from warehouse.figure_changes import forget_unpublished_changes
from warehouse.meta import create_meta_schema

ALIBABA, MOBILE = "alibaba-cloud-global-race.csv", "mobile-cloud-counterattack-2025.csv"
SPEND_LINE = (",market_spend,Global cloud infrastructure services,2025-Q2,99,billion,USD,exact,[1],"
              "Stated three times in the article; recorded once\n")
BOOT_TIME = "Mobile Cloud,bare_metal_boot_time,,unspecified,30,,seconds,"
# What the second refresh's edits change, by figure identity: (change, source, entity, metric, market, period,
# old value, new value, old qualifier, new qualifier)
EXPECTED = [
    ("added", "mobile-cloud-counterattack-2025", "Huawei Cloud", "bare_metal_boot_time", None, "unspecified",
     None, 40.0, None, "exact"),
    ("changed", "alibaba-cloud-global-race", "Amazon Web Services", "market_share",
     "Global cloud infrastructure services", "2025-Q2", 30.0, 31.0, "exact", "exact"),
    ("changed", "mobile-cloud-counterattack-2025", "Mobile Cloud", "bare_metal_boot_time", None, "unspecified",
     30.0, 30.0, "exact", "approx"),
    ("removed", "alibaba-cloud-global-race", None, "market_spend", "Global cloud infrastructure services",
     "2025-Q2", 99e9, None, "exact", None),
]

# What the same edits change among the reconciled answers (marts.reconciled_figures; figures of an
# unspecified period are no answers): (change, entity, metric, unit, market, period, old value, new value,
# old source, new source)
EXPECTED_ANSWERS = [
    ("changed", "Amazon Web Services", "market_share", "pct", "Global cloud infrastructure services", "2025-Q2",
     30.0, 31.0, "alibaba-cloud-global-race", "alibaba-cloud-global-race"),
    ("removed", None, "market_spend", "USD", "Global cloud infrastructure services", "2025-Q2",
     99e9, None, "alibaba-cloud-global-race", None),
]


@dataclass
class Publishes:
    """Three refreshes of one installation: the first, one after edits, one forced with nothing changed."""

    settings: Settings
    ids: list[str]
    outputs: list[str]
    notifications: list[list[dict]]
    first_figures: int


def last_refresh_id(settings: Settings) -> str:
    return published(settings, "SELECT refresh_id FROM meta.refresh_log WHERE outcome = 'published' "
                               "ORDER BY finished_at DESC LIMIT 1")[0][0]


def edit_every_kind_of_change(settings: Settings) -> None:
    """One figure added and one changed with no market, one changed in value, one removed with no entity."""
    edit_source(settings, ALIBABA, "Global cloud infrastructure services,2025-Q2,30,",
                "Global cloud infrastructure services,2025-Q2,31,")
    edit_source(settings, ALIBABA, SPEND_LINE, "")
    edit_source(settings, MOBILE, BOOT_TIME + "exact", BOOT_TIME + "approx")
    edit_source(settings, MOBILE, "Huawei Cloud,ai_compute", "Huawei Cloud,bare_metal_boot_time,,unspecified,40,,"
                                                            "seconds,exact,,\nHuawei Cloud,ai_compute")


@pytest.fixture(scope="module")
def publishes(tmp_path_factory: pytest.TempPathFactory) -> Publishes:
    settings = fresh_settings(tmp_path_factory.mktemp("changes"))
    hook = RemoteEnd()
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    ids, outputs, notifications = [], [], []
    try:
        for step, (args, events) in enumerate([(["refresh"], ""), (["refresh"], "refresh_published"),
                                               (["refresh", "--force"], "refresh_published")]):
            if step == 1:
                edit_every_kind_of_change(settings)
            done = cloudmart(settings, *args, env={"CLOUDMART_WEBHOOK_URL": hook.hook_url, "CLOUDMART_WEBHOOK_EVENTS": events})
            assert done.returncode == 0, done.stdout + done.stderr
            ids.append(last_refresh_id(settings))
            outputs.append(done.stdout)
            notifications.append(list(hook.notifications))
            hook.notifications.clear()
            if step == 0:
                first_figures = published(settings, "SELECT count(*) FROM marts.figures")[0][0]
    finally:
        hook.shutdown()
        hook.server_close()
    return Publishes(settings, ids, outputs, notifications, first_figures)


def changes_of(settings: Settings, refresh_id: str) -> list[tuple]:
    return published(settings, "SELECT change, source_id, entity_name, metric, market_name, period_label, old_value, "
                               "new_value, old_qualifier, new_qualifier FROM meta.figure_changes "
                               "WHERE refresh_id = ? ORDER BY ALL", [refresh_id])


def test_the_first_publish_records_every_figure_as_added(publishes: Publishes):
    first = publishes.ids[0]
    rows = published(publishes.settings, "SELECT change, count(*), count(previous_refresh_id) FROM meta.figure_changes "
                                         "WHERE refresh_id = ? GROUP BY ALL", [first])
    assert rows == [("added", publishes.first_figures, 0)]
    assert f"changed: {publishes.first_figures} added, 0 changed, 0 removed" in publishes.outputs[0]


def test_a_publish_records_each_figure_added_changed_or_removed_by_its_identity(publishes: Publishes):
    first, second, _ = publishes.ids
    assert changes_of(publishes.settings, second) == sorted(EXPECTED, key=lambda row: tuple(map(str, row)))
    assert published(publishes.settings, "SELECT DISTINCT previous_refresh_id, unit FROM (SELECT previous_refresh_id, "
                                         "coalesce(new_unit, old_unit) AS unit FROM meta.figure_changes "
                                         "WHERE refresh_id = ? AND metric = 'market_spend')", [second]) == [
        (first, "USD")]


def answer_changes_of(settings: Settings, refresh_id: str) -> list[tuple]:
    return published(settings, "SELECT change, entity_name, metric, unit, market_name, period_label, old_value, "
                               "new_value, old_source_id, new_source_id FROM meta.answer_changes "
                               "WHERE refresh_id = ? ORDER BY ALL", [refresh_id])


def test_a_publish_records_each_reconciled_answer_it_changed(publishes: Publishes):
    first, second, third = publishes.ids
    answers = published(publishes.settings, "SELECT count(*) FROM marts.reconciled_figures")[0][0]
    assert [row[0] for row in answer_changes_of(publishes.settings, first)] == ["added"] * (answers + 1)  # + removed
    assert answer_changes_of(publishes.settings, second) == sorted(EXPECTED_ANSWERS, key=lambda r: tuple(map(str, r)))
    assert answer_changes_of(publishes.settings, third) == []
    assert "answers: 0 added, 1 changed, 1 removed" in publishes.outputs[1]


def test_a_publish_that_changes_nothing_records_nothing_and_history_is_kept(publishes: Publishes):
    first, second, third = publishes.ids
    assert changes_of(publishes.settings, third) == []
    assert "changed: 0 added, 0 changed, 0 removed" in publishes.outputs[2]
    assert len(changes_of(publishes.settings, first)) == publishes.first_figures
    assert len(changes_of(publishes.settings, second)) == len(EXPECTED)
    # Only refreshes that published have changes (the published file's own log says which did).
    assert published(publishes.settings, "SELECT DISTINCT refresh_id FROM meta.figure_changes WHERE refresh_id NOT IN "
                                         "(SELECT refresh_id FROM meta.refresh_log WHERE outcome = 'published')") == []


def test_refresh_ends_with_the_counts_and_the_first_changes(publishes: Publishes):
    output = publishes.outputs[1]
    tail = output[output.index("\nchanged: "):]
    assert tail.startswith("\nchanged: 1 added, 2 changed, 1 removed\n"), tail
    lines = tail.splitlines()[2:6]
    assert lines[0].startswith("  changed  alibaba-cloud-global-race / Amazon Web Services / market_share / "), lines
    assert lines[0].endswith("2025-Q2: 30 pct (exact) -> 31 pct (exact)"), lines
    assert lines[1].endswith("Mobile Cloud / bare_metal_boot_time / - / unspecified: "
                             "30 seconds (exact) -> 30 seconds (approx)"), lines
    assert lines[2].startswith("  added    mobile-cloud-counterattack-2025 / Huawei Cloud"), lines
    assert lines[3].startswith("  removed  alibaba-cloud-global-race / - / market_spend"), lines
    assert lines[3].endswith("was 99,000,000,000 USD (exact)"), lines


def test_the_webhook_gets_refresh_published_only_when_opted_in(publishes: Publishes):
    first, second, third = publishes.ids
    assert publishes.notifications[0] == []
    assert publishes.notifications[1] == [{"event": "refresh_published", "refresh_id": second,
                                           "added": 1, "changed": 2, "removed": 1}]
    assert publishes.notifications[2] == [{"event": "refresh_published", "refresh_id": third,
                                           "added": 0, "changed": 0, "removed": 0}]


def test_cloudmart_changes_lists_the_last_publish_or_those_since_a_refresh_or_a_date(publishes: Publishes):
    settings = publishes.settings
    first, second, third = publishes.ids
    last = cloudmart(settings, "changes")
    assert last.returncode == 0 and last.stdout.startswith(
        f"changed by the last publish (refresh {third}): 0 added, 0 changed, 0 removed"), last.stdout + last.stderr
    since_first = cloudmart(settings, "changes", "--since", first[:8], "--format", "csv")
    assert since_first.returncode == 0, since_first.stderr
    lines = since_first.stdout.splitlines()
    assert lines[0].startswith("published_at,refresh_id,change,source_id,entity_name,metric,")
    assert [line.split(",")[2] for line in lines[1:]] == ["changed", "changed", "added", "removed"]
    assert {line.split(",")[1] for line in lines[1:]} == {second}
    yesterday = f"{datetime.now(timezone.utc) - timedelta(days=1):%Y-%m-%d}"
    everything = cloudmart(settings, "changes", "--since", yesterday, "--format", "json")
    assert everything.returncode == 0 and everything.stdout.count('"refresh_id"') == publishes.first_figures + 4
    table = cloudmart(settings, "changes", "--since", yesterday, "--max-rows", "3")
    assert table.stdout.startswith(f"changed since {yesterday} 00:00:00 UTC: {publishes.first_figures + 1} added, "
                                   "2 changed, 1 removed"), table.stdout
    future = cloudmart(settings, "changes", "--since", "2999-01-01T00:00+02:00")
    assert future.returncode == 0 and future.stdout.startswith("changed since 2998-12-31 22:00:00 UTC: 0 added")


@pytest.mark.parametrize("since, expected", [
    ("yesterday", "is neither a refresh of the published warehouse nor a date"),
    ("2026-13-01", "is neither a refresh of the published warehouse nor a date"),
    ("0123456789abcdef", "is neither a refresh of the published warehouse nor a date"),
    ("", "is neither a refresh of the published warehouse nor a date"),
])
def test_a_bad_since_is_one_line_and_exit_2(publishes: Publishes, since: str, expected: str):
    done = cloudmart(publishes.settings, "changes", "--since", since)
    assert done.returncode == 2 and done.stdout == "", done.stdout + done.stderr
    assert done.stderr.count("\n") == 1 and expected in done.stderr and "Traceback" not in done.stderr


def test_changes_without_a_published_warehouse_is_one_line_and_exit_2(settings: Settings):
    done = cloudmart(settings, "changes")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "run `cloudmart refresh` first" in done.stderr


def test_changes_of_refreshes_that_did_not_publish_are_forgotten(tmp_path):
    """What a refresh's teardown (its publish failed after it logged its changes) and the next publish
    (its process died in between) do to the working warehouse's log."""
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    create_meta_schema(con)
    outcomes = {"published-1": "published", "failed-2": "failed", "abandoned-3": "abandoned", "running-4": "running"}
    for refresh_id, outcome in outcomes.items():
        con.execute("INSERT INTO meta.refresh_log (refresh_id, trigger, started_at, outcome) VALUES (?, 'manual', "
                    "now(), ?)", [refresh_id, outcome])
        con.execute("INSERT INTO meta.figure_changes (refresh_id, published_at, change, source_id, metric, "
                    "period_label) VALUES (?, now(), 'added', 's', 'market_share', '2025')", [refresh_id])
    forget_unpublished_changes(con)
    assert con.execute("SELECT refresh_id FROM meta.figure_changes").fetchall() == [("published-1",)]
    con.close()


def test_under_serve_a_publish_posts_refresh_published_when_opted_in(published: Settings):
    hook = RemoteEnd()
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    log = published.data_dir.parent / "daemon.log"
    daemon = start_serve(published, log, CLOUDMART_WEBHOOK_URL=hook.hook_url,
                         CLOUDMART_WEBHOOK_EVENTS="refresh_published")
    try:
        path = published.sources_dir / MOBILE
        settled_write(path, path.read_text(encoding="utf-8").replace(BOOT_TIME + "exact", BOOT_TIME + "approx"))
        [event] = wait_for(lambda: list(hook.notifications), 300, "the refresh_published event")
    finally:
        stop_process_group(daemon)
        hook.shutdown()
        hook.server_close()
    assert event == {"event": "refresh_published", "refresh_id": last_refresh_id(published),
                     "added": 0, "changed": 1, "removed": 0}
