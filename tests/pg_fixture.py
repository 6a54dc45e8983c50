"""A throwaway PostgreSQL cluster for the tests, a fresh database per test, a small DuckDB warehouse."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import duckdb
import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from sqlalchemy.engine import URL

from warehouse import pg_cluster

PSQL = shutil.which("psql") or "/usr/bin/psql"


@dataclass(frozen=True)
class Database:
    """One database of the test cluster, reached over TCP as the superuser."""

    host: str
    port: int
    user: str
    password: str
    name: str

    @property
    def dsn(self) -> str:
        return make_conninfo(host=self.host, port=self.port, user=self.user, password=self.password,
                             dbname=self.name)

    def as_user(self, user: str, password: str) -> str:
        """A DSN for another role of the same database."""
        return make_conninfo(self.dsn, user=user, password=password)

    def sqlalchemy_url(self) -> URL:
        return URL.create("postgresql+psycopg", self.user, self.password, self.host, self.port, self.name)

    def psql(self, command: str) -> subprocess.CompletedProcess:
        """Run psql's `-c command` (password passed by environment, not on the command line)."""
        return subprocess.run(
            [PSQL, "-X", "-v", "ON_ERROR_STOP=1", "-h", self.host, "-p", str(self.port), "-U", self.user,
             "-d", self.name, "-c", command],
            capture_output=True, text=True, timeout=60, env={**os.environ, "PGPASSWORD": self.password})


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Database]:
    """A private PostgreSQL cluster on a free 127.0.0.1 port, stopped and removed at the end."""
    try:
        pg_cluster.find_binary("pg_ctl")
    except pg_cluster.ClusterError as error:
        pytest.skip(f"PostgreSQL server binaries are not installed: {error}")
    folder = Path(tempfile.mkdtemp(prefix="cloudmart-pgtest-"))
    try:
        dsn = pg_cluster.init_cluster(folder, free_port())
        pg_cluster.start_cluster(folder)
        try:
            parts = conninfo_to_dict(dsn)
            yield Database(parts["host"], int(parts["port"]), parts["user"], parts["password"], parts["dbname"])
        finally:
            pg_cluster.stop_cluster(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def database(pg_server: Database) -> Iterator[Database]:
    """A new empty database in the test cluster, dropped after the test."""
    name = f"test_{secrets.token_hex(4)}"
    with psycopg.connect(pg_server.dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield Database(pg_server.host, pg_server.port, pg_server.user, pg_server.password, name)
    with psycopg.connect(pg_server.dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def build_warehouse(path: Path, version: int) -> Path:
    """A small DuckDB warehouse: schemas core, marts, meta with comments; `version` changes the data.

    Version 1 has 3 providers and a table `marts.retired`; version 2 has 4 providers and no `retired`.
    """
    providers = 2 + version
    con = duckdb.connect(str(path))
    try:
        con.execute(f"""
            CREATE SCHEMA core; CREATE SCHEMA marts; CREATE SCHEMA meta;
            CREATE TABLE core.dim_provider AS
                SELECT i::INTEGER AS provider_key, 'Provider ' || i AS provider_name FROM range(1, {providers + 1}) t(i);
            CREATE TABLE core.fct_market_share AS
                SELECT (i * 10 + q)::BIGINT AS figure_key, i::INTEGER AS provider_key, q::INTEGER AS period_key,
                       (i * {version})::DOUBLE AS share_pct
                FROM range(1, {providers + 1}) p(i), range(1, 5) r(q);
            CREATE TABLE marts.market_share (provider_name VARCHAR, is_group BOOLEAN, period_start DATE,
                share_pct DOUBLE, value DECIMAL(18,3), note VARCHAR, tags INTEGER[]);
            INSERT INTO marts.market_share
                SELECT 'Provider ' || i, i = 1, DATE '2025-04-01', i * {version} * 1.5, i * 1000.125,
                       CASE i WHEN 1 THEN 'says "about", roughly,' || chr(10) || 'second line' WHEN 2 THEN '' END,
                       [i, {version}]
                FROM range(1, {providers + 1}) t(i);
            CREATE TABLE meta.check_results (refresh_id VARCHAR, checked_at TIMESTAMP WITH TIME ZONE,
                success BOOLEAN, sample JSON);
            INSERT INTO meta.check_results VALUES
                ('r{version}', TIMESTAMPTZ '2025-05-01 12:00:00+00', true, '{{"rows": [1, 2], "version": {version}}}');
            COMMENT ON TABLE core.dim_provider IS 'Cloud providers';
            COMMENT ON COLUMN core.dim_provider.provider_key IS 'Surrogate key of the provider';
            COMMENT ON TABLE marts.market_share IS 'Shares by provider, market and period (v{version})';
            COMMENT ON COLUMN marts.market_share.share_pct IS 'Market share in percent (0-100)';
            COMMENT ON COLUMN marts.market_share.note IS 'Curator''s note';
            COMMENT ON TABLE meta.check_results IS 'Check results of every refresh';
        """)
        if version == 1:
            con.execute("CREATE TABLE marts.retired AS SELECT 1 AS id")
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two versions of the small warehouse, for a first and a second publish."""
    folder = tmp_path_factory.mktemp("duckdb")
    return build_warehouse(folder / "v1.duckdb", 1), build_warehouse(folder / "v2.duckdb", 2)
