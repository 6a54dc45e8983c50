"""The PostgreSQL serving layer, against a real throwaway cluster (tests/pg_fixture.py)."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg
import pytest
from psycopg import errors
from sqlalchemy import create_engine, inspect

from tests.pg_fixture import Database, build_warehouse
from warehouse import pg_cluster
from warehouse.postgres import publish_to_postgres, redact_dsn

V1_COUNTS = {"core.dim_provider": 3, "core.fct_market_share": 12, "marts.market_share": 3, "marts.retired": 1,
             "meta.check_results": 1}
V2_COUNTS = {"core.dim_provider": 4, "core.fct_market_share": 16, "marts.market_share": 4,
             "meta.check_results": 1}


def shares(dsn: str) -> list[tuple]:
    with psycopg.connect(dsn) as con:
        return con.execute("SELECT provider_name, share_pct FROM marts.market_share ORDER BY 1").fetchall()


def schema_names(db: Database) -> set[str]:
    with psycopg.connect(db.dsn) as con:
        return {name for (name,) in con.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'")}


def test_publish_lands_every_table_with_its_types(database: Database, warehouses) -> None:
    assert publish_to_postgres(warehouses[0], database.dsn) == V1_COUNTS
    assert schema_names(database) == {"public", "core", "marts", "meta"}
    with psycopg.connect(database.dsn) as con:
        for table, count in V1_COUNTS.items():
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == count
        types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                 "WHERE table_schema = 'marts' AND table_name = 'market_share'").fetchall())
        assert types == {"provider_name": "text", "is_group": "boolean", "period_start": "date",
                         "share_pct": "double precision", "value": "numeric", "note": "text", "tags": "text"}
        assert con.execute("SELECT data_type FROM information_schema.columns WHERE table_schema = 'meta' "
                           "AND column_name IN ('checked_at', 'sample') ORDER BY column_name").fetchall() == [
            ("timestamp with time zone",), ("jsonb",)]
        assert con.execute("SELECT provider_name, is_group, period_start, share_pct, value, note, tags "
                           "FROM marts.market_share ORDER BY 1").fetchall() == [
            ("Provider 1", True, date(2025, 4, 1), 1.5, Decimal("1000.125"),
             'says "about", roughly,\nsecond line', "[1, 1]"),
            ("Provider 2", False, date(2025, 4, 1), 3.0, Decimal("2000.250"), "", "[2, 1]"),
            ("Provider 3", False, date(2025, 4, 1), 4.5, Decimal("3000.375"), None, "[3, 1]")]
        assert con.execute("SELECT checked_at, sample -> 'rows' FROM meta.check_results").fetchone() == (
            datetime(2025, 5, 1, 12, tzinfo=timezone.utc), [1, 2])
        assert dict(con.execute("SELECT tablename, count(*) FROM pg_indexes WHERE schemaname = 'core' "
                                "GROUP BY tablename").fetchall()) == {"dim_provider": 1, "fct_market_share": 3}
        assert {row[0] for row in con.execute(
            "SELECT attname FROM pg_index JOIN pg_attribute ON attrelid = indrelid AND attnum = ANY(indkey) "
            "WHERE indrelid::regclass::text LIKE 'core.%'")} == {"provider_key", "figure_key", "period_key"}
        assert con.execute("SELECT count(*) FROM pg_indexes WHERE schemaname IN ('marts', 'meta')").fetchone()[0] == 0


def test_psql_lists_the_tables_and_columns(database: Database, warehouses) -> None:
    publish_to_postgres(warehouses[0], database.dsn)
    listing = database.psql(r"\dt marts.*")
    assert listing.returncode == 0, listing.stderr
    assert " market_share " in listing.stdout and " retired " in listing.stdout
    described = database.psql(r"\d marts.market_share")
    assert described.returncode == 0, described.stderr
    for column, kind in [("provider_name", "text"), ("is_group", "boolean"), ("period_start", "date"),
                         ("share_pct", "double precision"), ("value", "numeric(18,3)")]:
        assert any(line.split("|")[0].strip() == column and line.split("|")[1].strip() == kind
                   for line in described.stdout.splitlines() if "|" in line), (column, described.stdout)


def test_sqlalchemy_inspector_shows_tables_and_comments(database: Database, warehouses) -> None:
    publish_to_postgres(warehouses[0], database.dsn)
    engine = create_engine(database.sqlalchemy_url())
    try:
        inspector = inspect(engine)
        assert sorted(inspector.get_table_names(schema="marts")) == ["market_share", "retired"]
        assert inspector.get_table_comment("market_share", schema="marts")["text"] == \
            "Shares by provider, market and period (v1)"
        comments = {c["name"]: c.get("comment") for c in inspector.get_columns("market_share", schema="marts")}
        assert comments["share_pct"] == "Market share in percent (0-100)"
        assert comments["note"] == "Curator's note"
        assert comments["provider_name"] is None
        assert inspector.get_table_comment("dim_provider", schema="core")["text"] == "Cloud providers"
    finally:
        engine.dispose()


def test_second_publish_replaces_the_first(database: Database, warehouses) -> None:
    publish_to_postgres(warehouses[0], database.dsn)
    assert publish_to_postgres(warehouses[1], database.dsn) == V2_COUNTS
    assert shares(database.dsn) == [(f"Provider {i}", i * 3.0) for i in range(1, 5)]
    assert schema_names(database) == {"public", "core", "marts", "meta"}
    with psycopg.connect(database.dsn) as con:
        assert con.execute("SELECT to_regclass('marts.retired')").fetchone()[0] is None
        assert con.execute("SELECT obj_description('marts.market_share'::regclass)").fetchone()[0] == \
            "Shares by provider, market and period (v2)"


def test_failed_load_leaves_the_live_schemas_untouched(database: Database, warehouses, tmp_path: Path) -> None:
    publish_to_postgres(warehouses[0], database.dsn)
    broken = build_warehouse(tmp_path / "broken.duckdb", 2)
    with duckdb.connect(str(broken)) as con:  # PostgreSQL text cannot hold a NUL character
        con.execute("UPDATE marts.market_share SET note = 'a' || chr(0) || 'b' WHERE provider_name = 'Provider 1'")
    with pytest.raises(psycopg.DataError):
        publish_to_postgres(broken, database.dsn)
    assert shares(database.dsn) == [(f"Provider {i}", i * 1.5) for i in range(1, 4)]
    assert schema_names(database) == {"public", "core", "marts", "meta"}


def publish_in_thread(path: Path, dsn: str, lock_timeout_ms: int) -> tuple[threading.Thread, dict]:
    """Start a publish; the dict receives its `counts` or `error`, and `seconds`."""
    outcome = {}

    def run() -> None:
        started = time.perf_counter()
        try:
            outcome["counts"] = publish_to_postgres(path, dsn, lock_timeout_ms=lock_timeout_ms)
        except Exception as error:  # handed to the test
            outcome["error"] = error
        outcome["seconds"] = time.perf_counter() - started

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def wait_until_swap_waits_for_a_lock(db: Database, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    with psycopg.connect(db.dsn, autocommit=True) as con:
        while time.monotonic() < deadline:
            if con.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'cloudmart-publish' "
                           "AND wait_event_type = 'Lock'").fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the publish never waited for a lock")


def open_reader(db: Database) -> psycopg.Connection:
    """A REPEATABLE READ transaction that has read marts.market_share (and so holds a lock on it)."""
    reader = psycopg.connect(db.dsn)
    reader.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    assert reader.execute("SELECT provider_name, share_pct FROM marts.market_share ORDER BY 1").fetchall() == \
        [(f"Provider {i}", i * 1.5) for i in range(1, 4)]
    return reader


def test_reader_holding_a_table_past_the_lock_timeout_makes_the_publish_fail_cleanly(
        database: Database, warehouses) -> None:
    """Dropping the old schema needs the reader's table: the swap waits `lock_timeout`, then rolls back."""
    publish_to_postgres(warehouses[0], database.dsn)
    v1 = [(f"Provider {i}", i * 1.5) for i in range(1, 4)]
    reader = open_reader(database)
    try:
        thread, outcome = publish_in_thread(warehouses[1], database.dsn, lock_timeout_ms=1500)
        wait_until_swap_waits_for_a_lock(database)
        started = time.perf_counter()
        assert reader.execute("SELECT provider_name, share_pct FROM marts.market_share ORDER BY 1").fetchall() == v1
        assert time.perf_counter() - started < 0.5  # the reader itself is not blocked
        thread.join(60)
        assert isinstance(outcome["error"], errors.LockNotAvailable)
        assert reader.execute("SELECT provider_name, share_pct FROM marts.market_share ORDER BY 1").fetchall() == v1
    finally:
        reader.close()
    assert shares(database.dsn) == v1
    assert schema_names(database) == {"public", "core", "marts", "meta"}
    assert publish_to_postgres(warehouses[1], database.dsn) == V2_COUNTS


def test_reader_finishing_within_the_lock_timeout_lets_the_swap_through(database: Database, warehouses) -> None:
    """While the swap waits for the reader, a new query on that table queues behind the swap; when the
    reader ends, the swap commits and the queued query reads the whole new version."""
    publish_to_postgres(warehouses[0], database.dsn)
    reader = open_reader(database)
    queued = {}
    newcomer = threading.Thread(target=lambda: queued.update(rows=shares(database.dsn)))
    try:
        thread, outcome = publish_in_thread(warehouses[1], database.dsn, lock_timeout_ms=20000)
        wait_until_swap_waits_for_a_lock(database)
        newcomer.start()
        newcomer.join(0.5)
        assert newcomer.is_alive()  # queued behind the swap's lock request
        assert reader.execute("SELECT count(*) FROM marts.market_share").fetchone()[0] == 3
        reader.commit()
    finally:
        reader.close()
    thread.join(60)
    newcomer.join(60)
    assert outcome.get("counts") == V2_COUNTS, outcome
    assert outcome["seconds"] < 20
    v2 = [(f"Provider {i}", i * 3.0) for i in range(1, 5)]
    assert queued["rows"] == v2
    assert shares(database.dsn) == v2


def test_reader_role_can_select_but_not_write(database: Database, warehouses) -> None:
    role = f"reader_{database.name}"
    publish_to_postgres(warehouses[0], database.dsn, reader_role=role)  # no such role yet: no grants
    pg_cluster.create_reader_role(database.dsn, role, "s3cret-reader")  # grants on the live schemas
    reader_dsn = database.as_user(role, "s3cret-reader")
    try:
        assert len(shares(reader_dsn)) == 3
        publish_to_postgres(warehouses[1], database.dsn, reader_role=role)  # new schemas, granted again
        with psycopg.connect(reader_dsn, autocommit=True) as con:
            assert len(con.execute("SELECT * FROM marts.market_share").fetchall()) == 4
            assert con.execute("SELECT count(*) FROM core.dim_provider").fetchone()[0] == 4
            assert con.execute("SELECT count(*) FROM meta.check_results").fetchone()[0] == 1
            for statement in ["INSERT INTO marts.market_share (provider_name) VALUES ('x')",
                              "DELETE FROM core.dim_provider", "CREATE TABLE marts.mine (x int)",
                              "CREATE TABLE public.mine (x int)", "CREATE SCHEMA mine", "DROP TABLE marts.market_share"]:
                with pytest.raises(errors.InsufficientPrivilege):
                    con.execute(statement)
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(database.as_user(role, "wrong-password")).close()
    finally:
        with psycopg.connect(database.dsn, autocommit=True) as con:
            con.execute(f'DROP OWNED BY "{role}"')
            con.execute(f'REVOKE CONNECT ON DATABASE "{database.name}" FROM "{role}"')
            con.execute(f'DROP ROLE "{role}"')


def test_cluster_errors_name_the_command_and_its_message(tmp_path: Path, pg_server: Database) -> None:
    with pytest.raises(pg_cluster.ClusterError, match="no_such_pg_tool not found"):
        pg_cluster.find_binary("no_such_pg_tool")
    with pytest.raises(pg_cluster.ClusterError, match=r"pg_ctl start failed .*pg_ctl.*start") as failure:
        pg_cluster.start_cluster(tmp_path / "no-cluster")
    assert "no-cluster/data" in str(failure.value)


@pytest.mark.parametrize("dsn, shown", [
    ("postgresql://app:s3cr%40t@db.example:5432/wh?sslmode=require",
     "postgresql://app:***@db.example:5432/wh?sslmode=require"),
    ("postgres://app@db/wh?password=s3cret&sslmode=require", "postgres://app@db/wh?password=***&sslmode=require"),
    ("host=db user=app password=s3cret dbname=wh", "host=db user=app password=*** dbname=wh"),
    ("host=db password = 'it s \\' secret' dbname=wh", "host=db password = *** dbname=wh"),
    ("postgresql://app@db/wh", "postgresql://app@db/wh"),
])
def test_redact_dsn_hides_the_password(dsn: str, shown: str) -> None:
    assert redact_dsn(dsn) == shown
