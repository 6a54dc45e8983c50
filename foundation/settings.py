"""Where cloudmart keeps its files, read from the environment.

CLOUDMART_DATA_DIR          data directory (default: ./data in the project)
CLOUDMART_SOURCES_DIR       source figure files (default: ./sources in the project)
CLOUDMART_REFRESH_CRON      when the scheduled refresh runs (default: 0 6 * * *, daily at 06:00)
CLOUDMART_REFRESH_TIMEZONE  the schedule's timezone (default: UTC)
CLOUDMART_SENSOR_INTERVAL   seconds between looks at the sources folder (default: 5, the daemon's shortest)
CLOUDMART_REMOTE_POLL_SECONDS  seconds between the sensor's fetches of remote sources (default: 300)
CLOUDMART_FRESHNESS_HOURS   age past which the published data is stale (default: 36)
CLOUDMART_PG_DSN            PostgreSQL database every refresh also publishes to (default: none)
CLOUDMART_DAGSTER_PG_DSN    postgresql:// URL of the database holding Dagster's runs, event logs and schedules,
                            shared by every machine (default: none, SQLite files in the data directory)
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """An environment variable holds a value cloudmart cannot use (the message names it and what is expected)."""


@dataclass(frozen=True)
class Settings:
    """Paths of one cloudmart installation."""

    data_dir: Path
    sources_dir: Path
    refresh_cron: str = "0 6 * * *"
    refresh_timezone: str = "UTC"
    sensor_interval_seconds: int = 5
    remote_poll_seconds: int = 300
    freshness_hours: float = 36.0
    pg_dsn: str | None = field(default=None, repr=False)  # may hold a password: kept out of repr()
    dagster_pg_dsn: str | None = field(default=None, repr=False)  # likewise

    @classmethod
    def from_env(cls) -> "Settings":
        """Read the settings from the environment, falling back to the defaults."""
        env = os.environ.get
        data = env("CLOUDMART_DATA_DIR") or PROJECT_ROOT / "data"
        sources = env("CLOUDMART_SOURCES_DIR") or PROJECT_ROOT / "sources"
        return cls(data_dir=Path(data).resolve(), sources_dir=Path(sources).resolve(),
                   refresh_cron=env("CLOUDMART_REFRESH_CRON") or cls.refresh_cron,
                   refresh_timezone=_timezone("CLOUDMART_REFRESH_TIMEZONE", cls.refresh_timezone),
                   sensor_interval_seconds=int(_number("CLOUDMART_SENSOR_INTERVAL", cls.sensor_interval_seconds,
                                                       whole=True)),
                   remote_poll_seconds=int(_number("CLOUDMART_REMOTE_POLL_SECONDS", cls.remote_poll_seconds,
                                                   whole=True)),
                   freshness_hours=_number("CLOUDMART_FRESHNESS_HOURS", cls.freshness_hours),
                   pg_dsn=env("CLOUDMART_PG_DSN") or None,
                   dagster_pg_dsn=_postgresql_url("CLOUDMART_DAGSTER_PG_DSN"))

    def check_schedule(self) -> None:
        """Raise SettingsError unless CLOUDMART_REFRESH_CRON is a cron string Dagster can schedule by.
        (Not done in from_env: it imports Dagster, which the read-only commands do without.)"""
        from dagster._utils.schedules import is_valid_cron_string

        if not is_valid_cron_string(self.refresh_cron):
            raise SettingsError(f"CLOUDMART_REFRESH_CRON={self.refresh_cron[:40]!r} is not a schedule: expected "
                                "five cron fields such as '0 6 * * *' (daily at 06:00)")

    @property
    def freshness_window(self) -> timedelta:
        """How old the published data may get before it is flagged stale."""
        return timedelta(hours=self.freshness_hours)

    @property
    def warehouse_path(self) -> Path:
        """The published warehouse analysts and BI tools read (replaced atomically)."""
        return self.data_dir / "warehouse.duckdb"

    @property
    def build_path(self) -> Path:
        """The writer's working warehouse: raw history plus the candidate being built."""
        return self.data_dir / "work" / "build.duckdb"

    @property
    def data_docs_dir(self) -> Path:
        """GX Data Docs: HTML pages of every validation."""
        return self.data_dir / "data_docs"

    @property
    def report_path(self) -> Path:
        """The market report: one self-contained HTML page, rebuilt after every publish."""
        return self.data_dir / "report" / "index.html"

    @property
    def dagster_home(self) -> Path:
        """Dagster's home: its dagster.yaml and workspace.yaml, and its instance storage (runs, event logs,
        schedules) unless that is in PostgreSQL (`dagster_pg_dsn`)."""
        return self.data_dir / "dagster"

    @property
    def shared_instance(self) -> bool:
        """Whether Dagster's instance lives in PostgreSQL, shared by processes on several machines."""
        return self.dagster_pg_dsn is not None


def _number(variable: str, default: float, whole: bool = False) -> float:
    """The positive number in environment variable `variable` (`default` when unset or empty)."""
    text = os.environ.get(variable)
    if not text:
        return default
    try:
        number = int(text) if whole else float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number <= 0:
        kind = "a whole number" if whole else "a number"
        raise SettingsError(f"{variable}={text[:40]!r} is not usable: expected {kind} greater than 0")
    return number


def _timezone(variable: str, default: str) -> str:
    """The IANA time zone name in environment variable `variable` (`default` when unset or empty)."""
    text = os.environ.get(variable)
    if not text:
        return default
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"{variable}={text[:40]!r} is not a time zone: expected an IANA name such as "
                            "UTC or Europe/Berlin") from None
    return text


def _postgresql_url(variable: str) -> str | None:
    """The postgresql:// URL in environment variable `variable` (None when unset or empty); the message of a
    bad one shows no part of it but its scheme (it may hold a password)."""
    text = os.environ.get(variable)
    if not text:
        return None
    scheme, separator, rest = text.partition("://")
    if scheme != "postgresql" or not separator or not rest.strip("/"):
        given = f"the scheme {scheme[:20]!r}" if separator else "no scheme"
        raise SettingsError(f"{variable} is not a PostgreSQL URL ({given}): expected "
                            "postgresql://USER:PASSWORD@HOST:PORT/DATABASE")
    return text
