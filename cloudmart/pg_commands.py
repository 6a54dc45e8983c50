"""`cloudmart pg init|start|stop`: a private PostgreSQL server under the data directory, for BI tools.

`init` creates the cluster in `<data_dir>/postgres` (listening on 127.0.0.1 only), starts it,
creates the database `cloudmart` owned by the writer role `cloudmart_writer` (the role refreshes
publish as), the database `dagster` it also owns (for Dagster's instance: CLOUDMART_DAGSTER_PG_DSN)
and the read-only role `cloudmart_reader` (the one BI tools use), then prints both credentials.
Passwords are printed once and stored nowhere; the superuser's is discarded (the cluster's Unix
socket, inside the folder, still lets its OS owner in to administer it).
"""

from __future__ import annotations

import os
import secrets
import shlex
import shutil
import socket
import sys
from pathlib import Path

import psycopg
from psycopg.conninfo import make_conninfo

from foundation.settings import Settings
from warehouse import pg_cluster
from warehouse.postgres import READER_ROLE

HOST = "127.0.0.1"
DEFAULT_PORT = 5433
DATABASE = "cloudmart"
DAGSTER_DATABASE = "dagster"  # Dagster's instance storage, when shared by several machines
WRITER_ROLE = "cloudmart_writer"
READER_PASSWORD_ENV = "CLOUDMART_PG_READER_PASSWORD"


class PgCommandError(RuntimeError):
    """Something the user has to fix; its message is one line."""


def run_pg_command(settings: Settings, action: str, port: int = DEFAULT_PORT) -> int:
    """Run `cloudmart pg <action>`; exit status 2, with one line on stderr, when it cannot."""
    folder = settings.data_dir / "postgres"
    try:
        if action == "init":
            return init(folder, port)
        if action == "start":
            return start(folder)
        return stop(folder)
    except (PgCommandError, pg_cluster.ClusterError, psycopg.Error) as error:
        print(f"cloudmart: pg {action}: {one_line(error)}", file=sys.stderr)
        return 2


def init(folder: Path, port: int) -> int:
    """Create, start and set up the cluster; print the writer's DSN and the readers' settings."""
    for binary in ("initdb", "pg_ctl"):
        pg_cluster.find_binary(binary)
    if (folder / "data").exists():
        raise PgCommandError(f"a cluster already exists in {folder}: start it with `cloudmart pg start` "
                             "(or delete the folder to begin again)")
    check_port_free(port, "choose another with `cloudmart pg init --port N`")
    reader_password = os.environ.get(READER_PASSWORD_ENV) or secrets.token_urlsafe(24)
    writer_password = secrets.token_urlsafe(24)
    try:
        superuser_dsn = pg_cluster.init_cluster(folder, port)
        pg_cluster.start_cluster(folder)
        try:
            pg_cluster.create_writer_role(superuser_dsn, WRITER_ROLE, writer_password, DATABASE)
            pg_cluster.create_owned_database(superuser_dsn, DAGSTER_DATABASE, WRITER_ROLE)
            pg_cluster.create_reader_role(make_conninfo(superuser_dsn, dbname=DATABASE), READER_ROLE, reader_password)
        except BaseException:
            pg_cluster.stop_cluster(folder)
            raise
    except BaseException:
        shutil.rmtree(folder / "data", ignore_errors=True)  # so that `pg init` can simply be run again
        raise
    writer_dsn = f"postgresql://{WRITER_ROLE}:{writer_password}@{HOST}:{port}/{DATABASE}"
    dagster_dsn = f"postgresql://{WRITER_ROLE}:{writer_password}@{HOST}:{port}/{DAGSTER_DATABASE}"
    shown = "(from " + READER_PASSWORD_ENV + ")" if os.environ.get(READER_PASSWORD_ENV) else \
        f"{reader_password}   (shown only now)"
    print(f"""cloudmart: PostgreSQL is running on {HOST}:{port} with database {DATABASE} (cluster in {folder}).

Make every refresh publish to it (the writer's password is shown only now; keep it safe):
  export CLOUDMART_PG_DSN={shlex.quote(writer_dsn)}
then run `cloudmart refresh`.

Keep Dagster's runs, event logs and schedules in it too (its database {DAGSTER_DATABASE}), for the services
of `cloudmart service` on several machines:
  export CLOUDMART_DAGSTER_PG_DSN={shlex.quote(dagster_dsn)}

BI tools connect read-only with:
  host      {HOST}
  port      {port}
  database  {DATABASE}
  user      {READER_ROLE}
  password  {shown}

`cloudmart pg stop` and `cloudmart pg start` stop and start the server.""")
    return 0


def start(folder: Path) -> int:
    """Start the cluster unless it is running."""
    require_cluster(folder)
    port = pg_cluster.configured_port(folder)
    if pg_cluster.cluster_running(folder):
        print(f"cloudmart: PostgreSQL is already running on {HOST}:{port} (cluster in {folder})")
        return 0
    if port is not None:
        check_port_free(port, f"stop what listens there, or change `port` in {folder / 'data' / 'postgresql.conf'}")
    pg_cluster.start_cluster(folder)
    print(f"cloudmart: PostgreSQL is running on {HOST}:{port} (cluster in {folder})")
    return 0


def stop(folder: Path) -> int:
    """Stop the cluster if it is running."""
    require_cluster(folder)
    if not pg_cluster.cluster_running(folder):
        print(f"cloudmart: PostgreSQL is not running (cluster in {folder})")
        return 0
    pg_cluster.stop_cluster(folder)
    print(f"cloudmart: PostgreSQL stopped (cluster in {folder})")
    return 0


def require_cluster(folder: Path) -> None:
    pg_cluster.find_binary("pg_ctl")
    if not (folder / "data" / "PG_VERSION").exists():
        raise PgCommandError(f"no cluster in {folder}: create one with `cloudmart pg init`")


def check_port_free(port: int, advice: str) -> None:
    """Raise PgCommandError when something listens on HOST:`port` (or it is no valid port)."""
    if not 1 <= port <= 65535:
        raise PgCommandError(f"{port} is not a TCP port (1-65535)")
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as PostgreSQL binds it
        try:
            probe.bind((HOST, port))
        except OSError as error:
            raise PgCommandError(f"port {port} on {HOST} is not free ({error.strerror}): {advice}") from None


def one_line(error: Exception) -> str:
    """The gist of an error on one line: a ClusterError's first line (without the command it ran)
    and the last line of what the command said; otherwise the message's first line."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    if not isinstance(error, pg_cluster.ClusterError):
        return lines[0]
    head = lines[0].split("): ", 1)[0] + ")" if "): " in lines[0] else lines[0]
    said = [line for line in lines[1:] if not line.startswith("---")]
    return f"{head}: {said[-1]}" if said else head
