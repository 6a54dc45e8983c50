"""The schedule and the sources sensor, evaluated against real files and a real Dagster instance."""

from __future__ import annotations

import json
import os
import time
from dataclasses import replace
from datetime import datetime, timezone

import dagster as dg

from cloudmart.status import next_scheduled_run
from foundation.settings import Settings
from orchestration.schedules import refresh_schedule
from orchestration.sensors import sources_sensor

SETTLED = time.time() - 60


def settle(settings: Settings) -> None:
    """Make every source file look finished (last written a minute ago)."""
    for path in settings.sources_dir.rglob("*"):
        os.utime(path, (SETTLED, SETTLED))


def tick(settings: Settings, cursor: str | None):
    """One evaluation of the sources sensor: (run requests, skip message, new cursor)."""
    with dg.instance_for_test() as instance:
        result = sources_sensor(settings).evaluate_tick(dg.build_sensor_context(instance=instance, cursor=cursor))
    return result.run_requests, result.skip_message, result.cursor


def test_schedule_requests_a_refresh_at_06_utc_by_default(settings: Settings):
    schedule = refresh_schedule(settings)
    result = schedule.evaluate_tick(dg.build_schedule_context(
        scheduled_execution_time=datetime(2026, 11, 24, 6, 0, tzinfo=timezone.utc)))
    assert len(result.run_requests) == 1 and schedule.job_name == "refresh"
    noon = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc).timestamp()
    assert next_scheduled_run(settings, noon) == datetime(2026, 11, 25, 6, 0, tzinfo=timezone.utc)


def test_schedule_cron_and_timezone_come_from_the_environment(settings: Settings, monkeypatch):
    monkeypatch.setenv("CLOUDMART_REFRESH_CRON", "30 2 * * 1")
    monkeypatch.setenv("CLOUDMART_REFRESH_TIMEZONE", "Asia/Shanghai")
    configured = replace(Settings.from_env(), data_dir=settings.data_dir, sources_dir=settings.sources_dir)
    schedule = refresh_schedule(configured)
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("30 2 * * 1", "Asia/Shanghai")
    monday_0230_shanghai = next_scheduled_run(configured, datetime(2026, 11, 24, tzinfo=timezone.utc).timestamp())
    assert monday_0230_shanghai.isoformat() == "2026-11-30T02:30:00+08:00"


def test_sensor_fires_on_a_new_file_and_not_on_an_unchanged_folder(settings: Settings):
    settle(settings)
    requests, skipped, cursor = tick(settings, None)
    assert requests == [] and skipped == "watching 8 source files"
    assert tick(settings, cursor)[:2] == ([], "no source file changed")
    new_file = settings.sources_dir / "new-source.csv"
    new_file.write_text((settings.sources_dir / "alibaba-cloud-global-race.csv").read_text(encoding="utf-8"))
    settle(settings)
    requests, _, after = tick(settings, cursor)
    assert len(requests) == 1 and requests[0].run_key.startswith("sources-")
    assert "new-source.csv" in json.loads(after)
    assert tick(settings, after)[:2] == ([], "no source file changed")  # a restart resumes from the cursor


def test_sensor_waits_for_a_file_still_being_written(settings: Settings):
    settle(settings)
    _, _, cursor = tick(settings, None)
    half = settings.sources_dir / "half-written.csv"
    half.write_text("# title: \"Half\"\nentity,metric\n", encoding="utf-8")
    just_now = time.time() + 10   # written "just before the tick", however long the tick takes to start
    os.utime(half, (just_now, just_now))
    requests, skipped, after = tick(settings, cursor)
    assert requests == [] and "still being written" in skipped
    assert after in (None, cursor)


def test_sensor_waits_within_its_tick_for_a_file_about_to_settle(settings: Settings):
    """A file written a moment before the tick is taken in that tick, once it has settled, rather than
    a whole sensor interval later."""
    settle(settings)
    _, _, cursor = tick(settings, None)
    dropped = settings.sources_dir / "just-dropped.csv"
    dropped.write_text((settings.sources_dir / "alibaba-cloud-global-race.csv").read_text(encoding="utf-8"))
    sensor = sources_sensor(settings)
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance, cursor=cursor)
        moment_ago = time.time() - 0.5
        os.utime(dropped, (moment_ago, moment_ago))
        began = time.monotonic()
        result = sensor.evaluate_tick(context)
    assert len(result.run_requests) == 1, result.skip_message
    assert "just-dropped.csv" in json.loads(result.cursor)
    assert time.monotonic() - began >= 1.4  # it waited until the file was 2 s old


def test_sensor_ignores_temporary_and_hidden_files(settings: Settings):
    settle(settings)
    _, _, cursor = tick(settings, None)
    for name in (".new.csv", "~lock.csv", "draft.csv.tmp", "draft.csv.part", "notes.txt"):
        (settings.sources_dir / name).write_text("x", encoding="utf-8")
    settle(settings)
    assert tick(settings, cursor)[:2] == ([], "no source file changed")


def test_a_change_back_to_earlier_contents_gets_a_run_key_of_its_own(settings: Settings):
    """A revert to bytes refreshed before is a change: its run must not be skipped as a repeat."""
    settle(settings)
    _, _, cursor = tick(settings, None)
    path = settings.sources_dir / "mobile-cloud-counterattack-2025.csv"
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\n", encoding="utf-8")
    settle(settings)
    first, _, changed = tick(settings, cursor)
    path.write_text(original, encoding="utf-8")
    settle(settings)
    back, _, reverted = tick(settings, changed)
    path.write_text(original + "\n", encoding="utf-8")
    settle(settings)
    again, _, _ = tick(settings, reverted)
    keys = [first[0].run_key, back[0].run_key, again[0].run_key]
    assert len(set(keys)) == 3, keys
