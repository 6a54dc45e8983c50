"""The warehouse resource: where the sources, the working warehouse and the published file live."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import dagster as dg
import duckdb

from cloudmart.settings import Settings
from warehouse.connection import connect


class WarehouseResource(dg.ConfigurableResource):
    """Paths of one cloudmart installation (see cloudmart.settings for the defaults)."""

    data_dir: str
    sources_dir: str

    @classmethod
    def from_settings(cls, settings: Settings) -> "WarehouseResource":
        """The resource for the given settings."""
        return cls(data_dir=str(settings.data_dir), sources_dir=str(settings.sources_dir))

    @property
    def settings(self) -> Settings:
        """These paths as Settings."""
        return Settings(data_dir=Path(self.data_dir), sources_dir=Path(self.sources_dir))

    @contextmanager
    def build(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection to the working warehouse."""
        with connect(self.settings.build_path) as con:
            yield con
