"""The warehouse resource: one read-write connection to the working warehouse for a whole refresh.

Holding the connection from the first step to the last keeps DuckDB's file lock for the whole run,
so no other process can write the warehouse in between; a refresh that finds the file locked waits
with backoff. The resource also opens and closes the refresh's row in meta.refresh_log, and, once it
holds the lock, closes earlier refreshes whose process died (kill -9; orchestration.recovery).
It attaches the run's next warehouse version, where core and marts are built, and deletes it when
the run ends without publishing (warehouse.next_version). A run that only publishes the published
file to the targets behind it (CATCH_UP_ASSETS) does neither: it builds nothing.
"""

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import dagster as dg
import duckdb
from pydantic import PrivateAttr

from foundation.run_tags import FULL_REBUILD_TAG
from foundation.settings import Settings
from orchestration.recovery import close_dead_refreshes
from transforms.models import PUBLISHED_LAYERS, load_models
from warehouse.connection import open_when_free
from warehouse.figure_changes import forget_unpublished_changes
from warehouse.meta import create_meta_schema
from warehouse.next_version import discard_next_version, open_next_version
from warehouse.publish import writing_next_version
from warehouse.publish_log import POSTGRES, REPORT
from warehouse.refresh_log import finish_refresh, published_refresh_ids, start_refresh

TRIGGER_TAGS = {"dagster/schedule_name": "schedule", "dagster/sensor_name": "sensor"}
POSTGRES_SERVING = dg.AssetKey(["postgres_serving"])
MARKET_REPORT = dg.AssetKey(["market_report"])
# The targets published from the published warehouse file. A run of these alone catches up the
# targets behind it (e.g. PostgreSQL after a failed publish): it builds nothing, logs no refresh in
# meta.refresh_log (only its publishes, in meta.publish_log) and opens no next warehouse version.
CATCH_UP_ASSETS = {POSTGRES: POSTGRES_SERVING, REPORT: MARKET_REPORT}


class WarehouseResource(dg.ConfigurableResource):
    """Paths of one cloudmart installation (see foundation.settings for the defaults)."""

    data_dir: str
    sources_dir: str
    lock_wait_seconds: float = 900.0
    _con: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)
    _next_version: Path | None = PrivateAttr(default=None)
    _catch_up: bool = PrivateAttr(default=False)
    _full_rebuild: bool = PrivateAttr(default=False)
    _validation: Any = PrivateAttr(default=None)  # an expectations.validation.ValidationSession

    @classmethod
    def from_settings(cls, settings: Settings) -> "WarehouseResource":
        """The resource for the given settings."""
        return cls(data_dir=str(settings.data_dir), sources_dir=str(settings.sources_dir))

    @property
    def settings(self) -> Settings:
        """These paths as Settings."""
        return Settings(data_dir=Path(self.data_dir), sources_dir=Path(self.sources_dir))

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        """Take the working warehouse for this run and log the refresh as running (a run that only catches
        up targets behind the published file logs no refresh and opens no next version)."""
        self._con = open_when_free(self.settings.build_path, self.lock_wait_seconds, context.log.info)
        tags = context.run.tags if context.run else {}
        trigger = next((name for tag, name in TRIGGER_TAGS.items() if tag in tags), "manual")
        self._catch_up = _only_catches_up(context.run)
        if self._catch_up:
            create_meta_schema(self._con)
        else:
            start_refresh(self._con, context.run.run_id, trigger)
        for run_id in close_dead_refreshes(self._con, context.instance, self.settings, context.run.run_id):
            context.log.info(f"refresh {run_id} ended without finishing (its process was killed?): logged as abandoned")
        if self._catch_up:
            return
        every_model = _rebuilds_every_published_model(context.run)
        self._full_rebuild = FULL_REBUILD_TAG in tags or not every_model  # models picked in the UI: rebuilt whole
        with writing_next_version(self.settings.warehouse_path):  # per-source rebuilds start from the published file
            self._next_version = open_next_version(
                self._con, self.settings.warehouse_path, PUBLISHED_LAYERS,
                from_published=not (every_model and self._full_rebuild),
                only_tables=_published_tables() if every_model else None)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        """Log a refresh that did not publish as failed, release the warehouse, render the Data Docs."""
        if self._con is None:
            return
        try:
            # The published file says whether this run published (a failure after its rename still did).
            if not self._catch_up and context.run.run_id not in published_refresh_ids(self.settings.warehouse_path):
                if self._next_version is not None:
                    discard_next_version(self._con, self._next_version)
                finish_refresh(self._con, context.run.run_id, "failed")
                forget_unpublished_changes(self._con)
        finally:
            self._con.close()
            self._con = None
            if self._validation is not None:
                self._validation.close(build_docs=True)
                self._validation = None

    def validation(self):
        """The run's GX validation session on the working warehouse (opened on first use)."""
        if self._validation is None:
            from expectations.validation import ValidationSession  # GX takes seconds to import

            settings = self.settings
            search_path = self._con.execute("SELECT current_setting('search_path')").fetchone()[0]
            self._validation = ValidationSession(settings.build_path, settings.data_dir, settings.data_docs_dir,
                                                 search_path=search_path)
        return self._validation

    @property
    def full_rebuild(self) -> bool:
        """Whether this run rebuilds its tables whole (FULL_REBUILD_TAG, or models picked alone), not per source."""
        return self._full_rebuild

    @property
    def next_version(self) -> Path:
        """The file this run builds core and marts into (see warehouse.next_version)."""
        if self._next_version is None:
            raise RuntimeError("the next warehouse version is opened by Dagster when a run starts")
        return self._next_version

    @contextmanager
    def build(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The run's read-write connection to the working warehouse."""
        if self._con is None:
            raise RuntimeError("the warehouse connection is opened by Dagster when a run starts")
        yield self._con


def _only_catches_up(run: dg.DagsterRun | None) -> bool:
    """Whether the run only publishes the published file to targets behind it (see CATCH_UP_ASSETS)."""
    selection = run.asset_selection if run is not None else None
    return bool(selection) and selection <= set(CATCH_UP_ASSETS.values())


def _rebuilds_every_published_model(run: dg.DagsterRun | None) -> bool:
    """Whether the run builds every core and mart table (so its next version holds no others)."""
    selection = run.asset_selection if run is not None else None  # None or empty: the whole job
    return not selection or {dg.AssetKey(table.split(".")) for table in _published_tables()} <= selection


def _published_tables() -> set[str]:
    """The core and mart tables of the models, as `layer.name`."""
    return {m.table for m in load_models().values() if m.layer in PUBLISHED_LAYERS}
