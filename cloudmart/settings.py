"""Where cloudmart keeps its files, read from the environment.

CLOUDMART_DATA_DIR          data directory (default: ./data in the project)
CLOUDMART_SOURCES_DIR       source figure files (default: ./sources in the project)
CLOUDMART_REFRESH_CRON      when the scheduled refresh runs (default: 0 6 * * *, daily at 06:00)
CLOUDMART_REFRESH_TIMEZONE  the schedule's timezone (default: UTC)
CLOUDMART_SENSOR_INTERVAL   seconds between looks at the sources folder (default: 5, the daemon's shortest)
CLOUDMART_REMOTE_POLL_SECONDS  seconds between the sensor's fetches of remote sources (default: 300)
CLOUDMART_FRESHNESS_HOURS   age past which the published data is stale (default: 36)
CLOUDMART_PG_DSN            PostgreSQL database every refresh also publishes to (default: none)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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

    @classmethod
    def from_env(cls) -> "Settings":
        """Read the settings from the environment, falling back to the defaults."""
        env = os.environ.get
        data = env("CLOUDMART_DATA_DIR") or PROJECT_ROOT / "data"
        sources = env("CLOUDMART_SOURCES_DIR") or PROJECT_ROOT / "sources"
        return cls(data_dir=Path(data).resolve(), sources_dir=Path(sources).resolve(),
                   refresh_cron=env("CLOUDMART_REFRESH_CRON") or cls.refresh_cron,
                   refresh_timezone=env("CLOUDMART_REFRESH_TIMEZONE") or cls.refresh_timezone,
                   sensor_interval_seconds=int(env("CLOUDMART_SENSOR_INTERVAL") or cls.sensor_interval_seconds),
                   remote_poll_seconds=int(env("CLOUDMART_REMOTE_POLL_SECONDS") or cls.remote_poll_seconds),
                   freshness_hours=float(env("CLOUDMART_FRESHNESS_HOURS") or cls.freshness_hours),
                   pg_dsn=env("CLOUDMART_PG_DSN") or None)

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
        """Dagster's instance storage (runs, event logs, schedules)."""
        return self.data_dir / "dagster"
