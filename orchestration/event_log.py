"""Dagster's SQLite event log, with one engine per database kept open instead of one per event.

Dagster's SqliteEventLogStorage creates a SQLAlchemy engine, opens a connection, writes, and disposes of
the engine for every event it stores (two or three times for an asset event, which is mirrored into the
index database). A seed refresh stores about 360 events: that bookkeeping was the largest single cost
of its run (29 % of its CPU). This storage keeps each database's engine, and so its pooled
connection, for the next event. Everything else (schema, sharding per run, the lock that serializes
access within a process) is Dagster's own; SQLite's own locking still serializes writers across
processes (the daemon, the webserver and run workers share these files).

Only a few engines are kept (the index and the latest runs' databases): a webserver reading many runs'
logs does not keep a file open for each. A forked child never reuses its parent's connections.
"""

from __future__ import annotations

import os
import weakref
from collections import OrderedDict
from contextlib import contextmanager
from typing import Iterator

from dagster._config import StringSource
from dagster._core.storage.event_log import SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy.engine import Connection, Engine

ENGINES_KEPT = 4  # the index database and the databases of the last few runs this process wrote or read
_STORAGES: weakref.WeakSet = weakref.WeakSet()


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """SqliteEventLogStorage keeping the engines of its most recently used databases."""

    def __init__(self, base_dir: str, inst_data=None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        super().__init__(base_dir, inst_data)
        _STORAGES.add(self)

    @classmethod
    def config_type(cls):
        return {"base_dir": StringSource}

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> "PooledSqliteEventLogStorage":
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def _engine(self, shard: str) -> Engine:
        """The kept engine of `shard`'s database (created, and the database initialised, on first use)."""
        engine = self._engines.pop(shard, None)
        if engine is None:
            engine = create_engine(self.conn_string_for_shard(shard), pool_size=1,
                                   connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
        self._engines[shard] = engine  # most recently used last
        while len(self._engines) > ENGINES_KEPT:
            self._engines.popitem(last=False)[1].dispose()
        return engine

    def dispose(self) -> None:
        """Close every kept connection (Dagster calls this when the instance is disposed)."""
        while self._engines:
            self._engines.popitem()[1].dispose()
        super().dispose()

    def _forget_after_fork(self) -> None:
        for engine in self._engines.values():
            engine.dispose(close=False)  # the parent's connections stay the parent's
        self._engines.clear()


def _forget_engines_in_child() -> None:
    for storage in list(_STORAGES):
        storage._forget_after_fork()


os.register_at_fork(after_in_child=_forget_engines_in_child)
