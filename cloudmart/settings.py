"""Where cloudmart keeps its files, read from the environment.

CLOUDMART_DATA_DIR     data directory (default: ./data in the project)
CLOUDMART_SOURCES_DIR  source figure files (default: ./sources in the project)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Paths of one cloudmart installation."""

    data_dir: Path
    sources_dir: Path

    @classmethod
    def from_env(cls) -> "Settings":
        """Read the paths from the environment, falling back to the project's folders."""
        data = os.environ.get("CLOUDMART_DATA_DIR") or PROJECT_ROOT / "data"
        sources = os.environ.get("CLOUDMART_SOURCES_DIR") or PROJECT_ROOT / "sources"
        return cls(data_dir=Path(data).resolve(), sources_dir=Path(sources).resolve())

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
    def dagster_home(self) -> Path:
        """Dagster's instance storage (runs, event logs, schedules)."""
        return self.data_dir / "dagster"
