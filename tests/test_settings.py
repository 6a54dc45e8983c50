"""Settings from the environment: a value cloudmart cannot use is one line naming the variable and what
was expected (exit 2), for every command, never a traceback and never a command that runs on a guess."""

from __future__ import annotations

import pytest

from foundation.settings import Settings
from tests.support import cloudmart

UNUSABLE = [
    ("CLOUDMART_SENSOR_INTERVAL", "abc"),
    ("CLOUDMART_SENSOR_INTERVAL", "0"),
    ("CLOUDMART_SENSOR_INTERVAL", "2.5"),
    ("CLOUDMART_REMOTE_POLL_SECONDS", "-300"),
    ("CLOUDMART_FRESHNESS_HOURS", "nan"),
    ("CLOUDMART_FRESHNESS_HOURS", "inf"),
    ("CLOUDMART_FRESHNESS_HOURS", "36h"),
    ("CLOUDMART_REFRESH_TIMEZONE", "Mars/Olympus_Mons"),
    ("CLOUDMART_REFRESH_TIMEZONE", "../../etc/passwd"),
    ("CLOUDMART_DAGSTER_PG_DSN", "mysql://u:secret@db/dagster"),
    ("CLOUDMART_DAGSTER_PG_DSN", "postgres://u:secret@db/dagster"),
    ("CLOUDMART_DAGSTER_PG_DSN", "host=db password=secret dbname=dagster"),
]
COMMANDS = [["refresh"], ["status"], ["sql", "SELECT 1"], ["sources"]]


@pytest.mark.parametrize("variable,value", UNUSABLE)
def test_an_unusable_setting_is_one_line_naming_it(settings: Settings, variable: str, value: str):
    for command in COMMANDS:
        done = cloudmart(settings, *command, env={variable: value})
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        assert done.stderr.count("\n") == 1 and variable in done.stderr and "expected" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and "secret" not in done.stderr
    assert not settings.data_dir.exists()  # nothing ran


@pytest.mark.parametrize("cron", ["bad", "61 * * * *", "0 6 * *", "0 6 31 2 *"])
def test_an_unusable_schedule_is_one_line_for_the_commands_that_read_it(settings: Settings, cron: str):
    for command in (["refresh"], ["status"], ["serve", "--headless"]):
        done = cloudmart(settings, *command, env={"CLOUDMART_REFRESH_CRON": cron})
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        assert done.stderr.count("\n") == 1 and "CLOUDMART_REFRESH_CRON" in done.stderr, done.stderr
    assert not settings.warehouse_path.exists()


def test_usable_settings_are_read_as_given(settings: Settings, monkeypatch):
    for variable, value in [("CLOUDMART_SENSOR_INTERVAL", "30"), ("CLOUDMART_FRESHNESS_HOURS", "1.5"),
                            ("CLOUDMART_REFRESH_TIMEZONE", "Europe/Berlin"), ("CLOUDMART_REFRESH_CRON", "15 4 * * 1")]:
        monkeypatch.setenv(variable, value)
    read = Settings.from_env()
    read.check_schedule()
    assert (read.sensor_interval_seconds, read.freshness_hours, read.refresh_timezone, read.refresh_cron) == \
        (30, 1.5, "Europe/Berlin", "15 4 * * 1")
