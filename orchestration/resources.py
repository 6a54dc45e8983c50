"""The warehouse resource: one read-write connection to the working warehouse for a whole refresh.

Holding the connection from the first step to the last keeps DuckDB's file lock for the whole run,
so no other process can write the warehouse in between; a refresh that finds the file locked waits
with backoff. The resource also opens and closes the refresh's row in meta.refresh_log.
"""

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import dagster as dg
import duckdb
from pydantic import PrivateAttr

from cloudmart.settings import Settings
from warehouse.connection import open_when_free
from warehouse.refresh_log import finish_refresh, start_refresh

TRIGGER_TAGS = {"dagster/schedule_name": "schedule", "dagster/sensor_name": "sensor"}


class WarehouseResource(dg.ConfigurableResource):
    """Paths of one cloudmart installation (see cloudmart.settings for the defaults)."""

    data_dir: str
    sources_dir: str
    lock_wait_seconds: float = 900.0
    _con: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)
    _published: bool = PrivateAttr(default=False)
    _validated: bool = PrivateAttr(default=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> "WarehouseResource":
        """The resource for the given settings."""
        return cls(data_dir=str(settings.data_dir), sources_dir=str(settings.sources_dir))

    @property
    def settings(self) -> Settings:
        """These paths as Settings."""
        return Settings(data_dir=Path(self.data_dir), sources_dir=Path(self.sources_dir))

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        """Take the working warehouse for this run and log the refresh as running."""
        self._con = open_when_free(self.settings.build_path, self.lock_wait_seconds, context.log.info)
        tags = context.run.tags if context.run else {}
        trigger = next((name for tag, name in TRIGGER_TAGS.items() if tag in tags), "manual")
        start_refresh(self._con, context.run.run_id, trigger)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        """Log a refresh that did not publish as failed, release the warehouse, render the Data Docs."""
        if self._con is None:
            return
        try:
            if not self._published:
                finish_refresh(self._con, context.run.run_id, "failed")
        finally:
            self._con.close()
            self._con = None
        if self._validated:
            from expectations.validation import build_data_docs  # GX is loaded already when it validated

            build_data_docs(self.settings.data_dir, self.settings.data_docs_dir)

    def mark_validated(self) -> None:
        """Record that GX validated in this run, so its Data Docs are rendered at the end."""
        self._validated = True

    def mark_published(self) -> None:
        """Record that this run published the warehouse (called by the publishing asset)."""
        self._published = True

    @contextmanager
    def build(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The run's read-write connection to the working warehouse."""
        if self._con is None:
            raise RuntimeError("the warehouse connection is opened by Dagster when a run starts")
        yield self._con
