"""Remote sources: a refresh fetches the registry's URLs from a real HTTP server on 127.0.0.1, keeps every
version in raw, keeps the last good version when the upstream fails, and says so in meta, the run's
checks and the failure hook."""

from __future__ import annotations

import hashlib
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from cloudmart.cli import main
from cloudmart.refresh import run_refresh
from cloudmart.up_to_date import unchanged_since
from foundation.errors import SourceError
from foundation.settings import Settings
from ingest.remote_fetch import fetch_all
from ingest.remote_registry import load_registry
from ingest.remote_state import cache_path
from orchestration.sensors import sources_sensor
from tests.conftest import fresh_settings
from tests.remote_server import RemoteEnd
from tests.support import refresh_ok
from transforms.probe import sheet_validator

SECRET = "Bearer s3cret-t0ken-that-must-not-leak"
TOKEN_VARIABLE = "CLOUDMART_TEST_PARTNER_TOKEN"
SOURCE_ID = "partner-figures"
HEADER = "entity,metric,market,period,value,magnitude,unit,qualifier,citation,note\n"
FRONT = '# title: "Partner market figures"\n# published: 2025-09-01\n'


def sheet(share_2024: str) -> bytes:
    """A small figure sheet on existing reference entities."""
    return (FRONT + HEADER + f"Huawei Cloud,market_share,China public cloud IaaS,2024-H1,{share_2024},,pct,exact,,\n"
            "Huawei Cloud,market_share,China public cloud IaaS,2023-H1,12.5,,pct,exact,,\n").encode()


GOOD, NEWER = sheet("13.1"), sheet("13.4")


def write_registry(settings: Settings, url: str, extra: str = "") -> None:
    (settings.sources_dir / "registry.yaml").write_text(
        f"sources:\n  - id: {SOURCE_ID}\n    url: {url}\n    headers:\n      Authorization: {TOKEN_VARIABLE}\n"
        "    timeout_seconds: 5\n    retries: 1\n" + extra, encoding="utf-8")  # a loaded machine may take seconds to answer


def published(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def raw(settings: Settings, sql: str) -> list[tuple]:
    con = duckdb.connect(str(settings.build_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def partner_shares(settings: Settings) -> list[tuple]:
    return published(settings, "SELECT period_label, value FROM marts.figures WHERE source_id = ? ORDER BY 1",
                     [SOURCE_ID])


def partner_status(settings: Settings) -> tuple:
    return published(settings, "SELECT kind, status, http_status, content_hash, records, problem "
                               "FROM meta.source_status WHERE source_id = ?", [SOURCE_ID])[0]


def last_fetch(settings: Settings) -> tuple:
    return raw(settings, "SELECT url, outcome, http_status, content_hash, attempts, problem, received_hash "
                         "FROM raw.remote_fetches ORDER BY fetched_at DESC LIMIT 1")[0]


@pytest.fixture(scope="module")
def remote() -> RemoteEnd:
    server = RemoteEnd()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.released.set()
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def environment(remote: RemoteEnd, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN_VARIABLE, SECRET)
    monkeypatch.setenv("CLOUDMART_WEBHOOK_URL", remote.hook_url)


@pytest.fixture(scope="module")
def remote_refreshed(remote: RemoteEnd, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """An installation with a registry naming the server's sheet, refreshed once while it served GOOD."""
    settings = fresh_settings(tmp_path_factory.mktemp("remote"))
    write_registry(settings, remote.url)
    remote.reset(GOOD)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(TOKEN_VARIABLE, SECRET)
        refresh_ok(settings)
    remote.first_requests = list(remote.requests)
    return settings


@pytest.fixture
def remote_published(remote_refreshed: Settings, remote: RemoteEnd, tmp_path: Path) -> Settings:
    """A private copy of `remote_refreshed`; the server serves GOOD again with nothing seen."""
    settings = fresh_settings(tmp_path)
    shutil.copy(remote_refreshed.sources_dir / "registry.yaml", settings.sources_dir)
    shutil.copytree(remote_refreshed.data_dir, settings.data_dir)
    remote.reset(GOOD)
    return settings


def test_a_remote_source_is_fetched_with_its_token_and_loaded_like_a_file(remote_published: Settings,
                                                                          remote: RemoteEnd):
    assert [r["headers"].get("Authorization") for r in remote.first_requests] == [SECRET]
    assert partner_shares(remote_published) == [("2023-H1", 12.5), ("2024-H1", 13.1)]
    digest = hashlib.sha256(GOOD).hexdigest()
    assert partner_status(remote_published) == ("url", "ok", 200, digest, 2, None)
    assert last_fetch(remote_published) == (remote.url, "changed", 200, digest, 1, None, digest)
    assert raw(remote_published, "SELECT file_kind, record_count FROM raw.source_files WHERE content_hash = '"
               + digest + "'") == [("figures", 2)]
    assert cache_path(remote_published.data_dir, SOURCE_ID).read_bytes() == GOOD
    files = published(remote_published, "SELECT kind, status, count(*) FROM meta.source_status GROUP BY ALL ORDER BY 1")
    local = [p for p in remote_published.sources_dir.rglob("*.csv") if "drafts" not in p.parts]
    assert files == [("file", "ok", len(local)), ("url", "ok", 1)]


def test_a_changed_remote_adds_a_version_and_an_unchanged_one_costs_one_request(
        remote_published: Settings, remote: RemoteEnd, monkeypatch: pytest.MonkeyPatch, capsys):
    remote.reset(NEWER)
    refresh_ok(remote_published)
    assert partner_shares(remote_published) == [("2023-H1", 12.5), ("2024-H1", 13.4)]
    assert raw(remote_published, "SELECT count(*) FROM raw.source_files WHERE file_name = 'partner-figures.csv'"
               ) == [(2,)]   # the first version is kept
    assert raw(remote_published, "SELECT value FROM raw.figures WHERE file_name = 'partner-figures.csv' "
               "AND period = '2024-H1' ORDER BY 1") == [
        ("13.1",), ("13.4",)]
    remote.reset(NEWER)
    monkeypatch.setenv("CLOUDMART_DATA_DIR", str(remote_published.data_dir))
    monkeypatch.setenv("CLOUDMART_SOURCES_DIR", str(remote_published.sources_dir))
    assert main(["refresh"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert len(remote.gets()) == 1 and remote.gets()[0]["headers"]["If-None-Match"]
    assert unchanged_since(remote_published) is not None   # once more: again one request, answered 304
    assert len(remote.gets()) == 2
    refresh_ok(remote_published)   # the fetches answered 304 reach the raw layer with the next refresh
    outcomes = raw(remote_published, "SELECT outcome, http_status FROM raw.remote_fetches ORDER BY fetched_at")
    assert outcomes[-3:] == [("unchanged", 304)] * 3 and outcomes[:2] == [("changed", 200)] * 2


def test_a_server_error_is_retried(remote_published: Settings, remote: RemoteEnd):
    remote.reset(NEWER)
    remote.plan = ["500"]
    outcome = refresh_ok(remote_published)
    assert partner_shares(remote_published) == [("2023-H1", 12.5), ("2024-H1", 13.4)]
    newer = hashlib.sha256(NEWER).hexdigest()
    assert last_fetch(remote_published)[1:] == ("changed", 200, newer, 2, None, newer)
    assert [c.passed for c in outcome.checks if c.name == "remote_sources_are_fresh"] == [True]
    assert remote.notifications == []


BAD_SHEET = (FRONT + HEADER.replace("qualifier,", "") + "Huawei Cloud,market_share,x,2024-H1,1,,pct,,\n").encode()


@pytest.mark.parametrize("behaviour, body, problem, status", [
    ("500", NEWER, "HTTP 500 Internal Server Error (after 2 attempts)", 500),
    ("hang", NEWER, "no answer: ", None),
    ("html", NEWER, "HTTP 502", 502),
    ("html200", NEWER, "served text/html instead of a CSV file", 200),
    ("drop", NEWER, "body cut short: ", 200),
    (None, BAD_SHEET, "fetched file refused: partner-figures.csv, line 3, field 'qualifier': missing column", 200),
    (None, GOOD.replace(b"12.5,,pct,exact,,\n", b"12"), "row has 5 fields", 200),   # truncated at the end
    (None, NEWER.replace(b"Huawei Cloud,market_share,China public cloud IaaS,2023", b"Nimbus Cloud,market_share,"
                         b"China public cloud IaaS,2023"),
     "partner-figures.csv, line 5, field 'entity': 1 figure rule problem(s), the first: value 'Nimbus Cloud'", 200),
])
def test_a_failing_upstream_leaves_the_last_good_version_and_the_rest_refreshes(
        remote_published: Settings, remote: RemoteEnd, behaviour, body, problem, status):
    remote.reset(body)
    remote.failing = behaviour
    before = cache_path(remote_published.data_dir, SOURCE_ID).read_bytes()
    outcome = run_refresh(remote_published)
    assert outcome.success, outcome.errors          # published: the other sources refreshed
    assert partner_shares(remote_published) == [("2023-H1", 12.5), ("2024-H1", 13.1)]   # the last good version
    assert cache_path(remote_published.data_dir, SOURCE_ID).read_bytes() == before
    kind, state, http_status, digest, records, why = partner_status(remote_published)
    assert (kind, state, http_status, digest) == ("url", "stale", status, hashlib.sha256(GOOD).hexdigest())
    assert problem in why
    received = hashlib.sha256(body).hexdigest() if behaviour is None else None   # a refused file is on record
    assert last_fetch(remote_published)[1:3] + last_fetch(remote_published)[6:] == ("failed", status, received)
    fresh = [c for c in outcome.checks if c.name == "remote_sources_are_fresh"]
    assert [(c.passed, c.blocking, c.problems) for c in fresh] == [(False, False, 1)] and problem in fresh[0].sample
    assert [(n["event"], SOURCE_ID in n["message"]) for n in remote.notifications] == [("source_stale", True)]
    assert published(remote_published, "SELECT check_name, severity, success FROM meta.check_results "
                                       "WHERE rule = 'remote_sources_are_fresh' AND refresh_id = ?",
                     [outcome.run_id]) == [
        ("remote_sources_are_fresh", "warning", False)]
    assert published(remote_published, "SELECT count(*) FROM marts.figures WHERE source_id <> ?", [SOURCE_ID]) == [
        (39,)]


def test_a_source_never_fetched_is_listed_stale_and_the_others_publish(settings: Settings, remote: RemoteEnd,
                                                                      monkeypatch: pytest.MonkeyPatch, capsys):
    write_registry(settings, remote.url)
    remote.reset(GOOD)
    remote.failing = "html"
    outcome = refresh_ok(settings)
    assert partner_shares(settings) == []
    assert partner_status(settings)[:4] == ("url", "stale", 502, None)
    assert not cache_path(settings.data_dir, SOURCE_ID).exists()
    assert [c.passed for c in outcome.checks if c.name == "remote_sources_are_fresh"] == [False]
    monkeypatch.setenv("CLOUDMART_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("CLOUDMART_SOURCES_DIR", str(settings.sources_dir))
    capsys.readouterr()
    assert main(["sources"]) == 1
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].split() == ["source", "kind", "last", "fetched", "last", "changed", "hash", "figures", "status"]
    partner = next(i for i, line in enumerate(listing) if line.startswith(SOURCE_ID))
    assert listing[partner].split()[1] == "url" and listing[partner].endswith("stale")
    assert "HTTP 502 Bad Gateway" in listing[partner + 1]
    alibaba = next(line for line in listing if line.startswith("alibaba-cloud-global-race"))
    assert alibaba.split()[1] == "file" and alibaba.split()[-2:] == ["15", "ok"]
    remote.failing = None
    refresh_ok(settings)
    capsys.readouterr()
    assert main(["sources"]) == 0
    partner_line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith(SOURCE_ID))
    assert partner_line.split()[-3:] == [hashlib.sha256(GOOD).hexdigest()[:12], "2", "ok"]


def test_the_token_appears_in_no_file_log_or_output(remote_published: Settings, remote: RemoteEnd, capfd):
    remote.reset(NEWER)
    remote.failing = "500"
    run_refresh(remote_published)
    remote.failing = None
    refresh_ok(remote_published)
    assert all(r["headers"].get("Authorization") == SECRET for r in remote.gets())
    out, err = capfd.readouterr()
    assert SECRET not in out + err and "s3cret" not in out + err
    leaks = [p for p in remote_published.data_dir.rglob("*") if p.is_file() and b"s3cret" in p.read_bytes()]
    assert leaks == []
    assert b"s3cret" not in repr(remote.notifications).encode()


@pytest.mark.parametrize("value, problem", [
    (None, "is not set"),
    ("Bearer s3cret\r\nX-Injected: yes", "holds a line break or a character that is not printable ASCII"),
])
def test_a_missing_or_unusable_token_makes_the_source_stale_without_a_request(
        remote_published: Settings, remote: RemoteEnd, monkeypatch: pytest.MonkeyPatch, value, problem):
    if value is None:
        monkeypatch.delenv(TOKEN_VARIABLE)
    else:
        monkeypatch.setenv(TOKEN_VARIABLE, value)
    refresh_ok(remote_published)
    assert remote.gets() == []
    kind, state, _, digest, _, why = partner_status(remote_published)
    assert (kind, state, digest) == ("url", "stale", hashlib.sha256(GOOD).hexdigest())
    assert why == f"environment variable {TOKEN_VARIABLE} (header Authorization) {problem}"


@pytest.mark.parametrize("entry, message", [
    ("  - id: x\n    url: file:///etc/passwd\n",
     "registry.yaml, field 'url': entry sources[0] (x): not an http(s) URL"),
    ("  - id: x\n    url: https://user:pw@h/x.csv\n", "the URL carries credentials"),
    ("  - id: x\n    url: https://h/x.csv\n    headers:\n      Authorization: Bearer abc\n",
     "field 'headers.Authorization': entry sources[0] (x): not an environment variable name"),
    ("  - id: x\n    url: https://h/x.csv\n    token: abc\n", "field 'token': entry sources[0] (x): unknown field"),
    ("  - id: Bad Id\n    url: https://h/x.csv\n", "field 'id'"),
    ("  - id: x\n    url: https://h/x.csv\n    timeout_seconds: -1\n", "field 'timeout_seconds'"),
    ("  - id: x\n    url: https://h/x.csv\n  - id: x\n    url: https://h/y.csv\n", "id 'x' is registered twice"),
    ("  - id: alibaba-cloud-global-race\n    url: https://h/x.csv\n", "is also a file in the sources folder"),
])
def test_a_bad_registry_entry_is_named_with_its_field(settings: Settings, entry: str, message: str):
    (settings.sources_dir / "registry.yaml").write_text("sources:\n" + entry, encoding="utf-8")
    with pytest.raises(SourceError) as error:
        load_registry(settings.sources_dir)
    assert message in str(error.value)


def test_a_bad_registry_fails_the_refresh_and_publishes_nothing(settings: Settings):
    (settings.sources_dir / "registry.yaml").write_text("sources:\n  - id: x\n    url: ftp://h/x.csv\n")
    outcome = run_refresh(settings)
    assert not outcome.success and not settings.warehouse_path.exists()
    assert any("registry.yaml, field 'url'" in error for error in outcome.errors)


def sensor_tick(settings: Settings, cursor: str | None):
    """One evaluation of the sources sensor: (run requests, skip message, new cursor)."""
    with dg.instance_for_test() as instance:
        result = sources_sensor(settings).evaluate_tick(dg.build_sensor_context(instance=instance, cursor=cursor))
    return result.run_requests, result.skip_message, result.cursor


def test_the_sensor_requests_a_refresh_when_a_remote_source_changes(remote_published: Settings, remote: RemoteEnd):
    polling = replace(remote_published, remote_poll_seconds=0)
    requests, skipped, cursor = sensor_tick(polling, None)
    assert requests == [] and skipped == "watching 8 source files"
    assert [r["headers"].get("If-None-Match") is not None for r in remote.gets()] == [True]  # one request: 304
    remote.reset(NEWER)
    requests, _, cursor = sensor_tick(polling, cursor)
    assert len(requests) == 1 and requests[0].run_key.startswith(f"remote-{SOURCE_ID}:")
    assert cache_path(polling.data_dir, SOURCE_ID).read_bytes() == NEWER   # ready for the run it asked for
    assert sensor_tick(polling, cursor)[:2] == ([], "no source file changed")
    assert len(remote.gets()) == 2
    assert sensor_tick(remote_published, cursor)[:2] == ([], "no source file changed")  # not due: no request
    assert len(remote.gets()) == 2
    refresh_ok(remote_published)
    assert partner_shares(remote_published) == [("2023-H1", 12.5), ("2024-H1", 13.4)]


def test_the_same_bytes_without_a_304_are_unchanged(settings: Settings, remote: RemoteEnd):
    write_registry(settings, remote.url)
    remote.reset(GOOD)
    assert [o.outcome for o in fetch_all(settings.sources_dir, settings.data_dir, sheet_validator)] == ["changed"]
    remote.plan = ["plain"]
    [again] = fetch_all(settings.sources_dir, settings.data_dir, sheet_validator)
    assert (again.outcome, again.http_status, again.attempts) == ("unchanged", 200, 1) and len(remote.gets()) == 2


def test_a_file_over_the_size_limit_is_refused(settings: Settings, remote: RemoteEnd):
    write_registry(settings, remote.url, "    max_bytes: 100\n")
    remote.reset(GOOD)
    [outcome] = fetch_all(settings.sources_dir, settings.data_dir, sheet_validator)
    assert outcome.outcome == "failed" and outcome.problem == f"file of {len(GOOD)} bytes is over the limit of 100"
    assert not cache_path(settings.data_dir, SOURCE_ID).exists()


def test_a_redirect_to_another_origin_does_not_carry_the_token(settings: Settings, remote: RemoteEnd):
    other = RemoteEnd()
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        other.reset(GOOD)
        write_registry(settings, remote.url)
        remote.reset(GOOD)
        remote.plan, remote.redirect_to = ["redirect"], other.url
        [outcome] = fetch_all(settings.sources_dir, settings.data_dir, sheet_validator)
        assert outcome.outcome == "changed"
        assert remote.gets()[0]["headers"]["Authorization"] == SECRET
        assert "Authorization" not in other.gets()[0]["headers"]
    finally:
        other.shutdown()
        other.server_close()


def outcome_lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.strip().startswith(f"remote source {SOURCE_ID}:")]


def test_every_outcome_line_of_a_refresh_is_true_whoever_fetched_first(
        remote_published: Settings, remote: RemoteEnd, monkeypatch: pytest.MonkeyPatch, capsys):
    """`cloudmart refresh` (and the sensor) fetch before the refresh does: a version they cached is still
    new to the warehouse, so the refresh that loads it says "changed", not "unchanged (HTTP 304)"."""
    monkeypatch.setenv("CLOUDMART_DATA_DIR", str(remote_published.data_dir))
    monkeypatch.setenv("CLOUDMART_SOURCES_DIR", str(remote_published.sources_dir))
    remote.reset(NEWER)
    assert main(["refresh"]) == 0     # its up-to-date check fetched NEWER; the run's own fetch gets a 304
    assert outcome_lines(capsys.readouterr().out) == [f"remote source {SOURCE_ID}: changed (HTTP 304)"]
    assert partner_shares(remote_published) == [("2023-H1", 12.5), ("2024-H1", 13.4)]
    remote.reset(GOOD)
    tick = sources_sensor(replace(remote_published, remote_poll_seconds=0))
    with dg.instance_for_test() as instance:
        assert tick.evaluate_tick(dg.build_sensor_context(instance=instance, cursor="{}")).run_requests
    assert main(["refresh", "--force"]) == 0
    assert outcome_lines(capsys.readouterr().out) == [f"remote source {SOURCE_ID}: changed (HTTP 304)"]
    assert main(["refresh", "--force"]) == 0
    assert outcome_lines(capsys.readouterr().out) == [f"remote source {SOURCE_ID}: unchanged (HTTP 304)"]
    remote.reset(NEWER)
    remote.failing = "500"
    assert main(["refresh", "--force"]) == 0
    [stale] = outcome_lines(capsys.readouterr().out)
    assert stale.startswith(f"remote source {SOURCE_ID}: stale (HTTP 500): ") and "last good version" in stale


def test_a_remote_source_seen_for_the_first_time_is_new(settings: Settings, remote: RemoteEnd, capsys):
    write_registry(settings, remote.url)
    remote.reset(GOOD)
    refresh_ok(settings)
    assert outcome_lines(capsys.readouterr().out) == [f"remote source {SOURCE_ID}: new (HTTP 200)"]
