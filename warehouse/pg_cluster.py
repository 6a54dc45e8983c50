"""A private PostgreSQL 15 cluster under one folder, for users who have no server to publish to.

Layout: `<folder>/data` (the cluster), `<folder>/socket` (its Unix socket), `<folder>/server.log`.
It listens on 127.0.0.1 only; TCP logins need the superuser's password (scram-sha-256), the socket
inside the folder trusts whoever can reach it. PostgreSQL refuses to run as root, so when root calls
these functions the folder is handed to the `postgres` OS user and the binaries run as that user.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import secrets
import shutil
import subprocess
from pathlib import Path

import psycopg
from psycopg import sql

from warehouse.postgres import PUBLISHED_SCHEMAS, grant_reader

SERVER_USER = "postgres"  # the OS user running the server when called as root
SUPERUSER = "postgres"  # the cluster's superuser role


class ClusterError(RuntimeError):
    """A PostgreSQL binary is missing or one of its commands failed."""


def find_binary(name: str) -> str:
    """The path of a PostgreSQL server binary (PATH, then Debian's /usr/lib/postgresql/<v>/bin)."""
    found = shutil.which(name) or shutil.which(name, path="/usr/local/bin")
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/[0-9]*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return candidates[-1]
    raise ClusterError(f"{name} not found on PATH, in /usr/local/bin or /usr/lib/postgresql/*/bin: "
                       "install PostgreSQL 15 (Debian: apt-get install postgresql)")


def init_cluster(folder: Path, port: int) -> str:
    """Create a cluster in `folder` (which must not hold one yet) listening on 127.0.0.1:`port`.

    Returns the superuser's DSN, password included; the password is stored nowhere else.
    The cluster is not started: call `start_cluster`.
    """
    folder = Path(folder).resolve()
    if (folder / "data").exists():
        raise ClusterError(f"{folder / 'data'} already exists")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "socket").mkdir(mode=0o700, exist_ok=True)
    password = secrets.token_urlsafe(24)
    pwfile = folder / "superuser.pw"
    with os.fdopen(os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as out:
        out.write(password)  # never readable by others, not even for a moment
    try:
        _hand_over(folder)
        _run([find_binary("initdb"), "-D", str(folder / "data"), "-U", SUPERUSER, f"--pwfile={pwfile}",
              "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C",
              "--no-instructions"], "initdb")
    finally:
        pwfile.unlink(missing_ok=True)
    settings = (f"\n# cloudmart private cluster\nlisten_addresses = '127.0.0.1'\nport = {int(port)}\n"
                f"unix_socket_directories = '{folder / 'socket'}'\n")
    with (folder / "data" / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.write(settings)
    return f"postgresql://{SUPERUSER}:{password}@127.0.0.1:{int(port)}/postgres"


def start_cluster(folder: Path) -> None:
    """Start the cluster in `folder` and wait until it accepts connections."""
    folder = Path(folder).resolve()
    _run([find_binary("pg_ctl"), "start", "-w", "-t", "60", "-D", str(folder / "data"),
          "-l", str(folder / "server.log")], "pg_ctl start", log=folder / "server.log")


def stop_cluster(folder: Path) -> None:
    """Stop the cluster in `folder` (fast shutdown: open sessions are ended)."""
    folder = Path(folder).resolve()
    _run([find_binary("pg_ctl"), "stop", "-w", "-m", "fast", "-D", str(folder / "data")], "pg_ctl stop")


def cluster_running(folder: Path) -> bool:
    """Whether the cluster in `folder` is running (`pg_ctl status`)."""
    folder = Path(folder).resolve()
    command = _as_server_user([find_binary("pg_ctl"), "status", "-D", str(folder / "data")])
    return subprocess.run(command, capture_output=True, text=True, cwd="/").returncode == 0


def configured_port(folder: Path) -> int | None:
    """The port the cluster in `folder` listens on (the last `port =` line of its postgresql.conf)."""
    conf = Path(folder).resolve() / "data" / "postgresql.conf"
    ports = re.findall(r"(?m)^\s*port\s*=\s*(\d+)", conf.read_text(encoding="utf-8")) if conf.exists() else []
    return int(ports[-1]) if ports else None


def create_writer_role(dsn: str, role: str, password: str, database: str) -> None:
    """Create (or reset) a LOGIN role owning `database` (created when missing), nothing more.

    Owning the database lets it create, rename and drop the published schemas and grant reads on
    them; it is no superuser and cannot create roles or databases. Other roles lose the default
    CONNECT and TEMPORARY on `database`: each reader is granted CONNECT by `create_reader_role`.
    """
    with psycopg.connect(dsn, autocommit=True) as con:
        exists = con.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
        verb = sql.SQL("ALTER") if exists else sql.SQL("CREATE")
        verifier = con.pgconn.encrypt_password(password.encode(), role.encode()).decode()  # never sent in clear
        con.execute(sql.SQL("{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
                            "NOBYPASSRLS PASSWORD {}").format(verb, sql.Identifier(role), sql.Literal(verifier)))
    create_owned_database(dsn, database, role)


def create_owned_database(dsn: str, database: str, owner: str) -> None:
    """Create `database` owned by the role `owner` (or hand it to `owner` when it exists); other roles lose
    the default CONNECT and TEMPORARY on it."""
    with psycopg.connect(dsn, autocommit=True) as con:
        if not con.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            con.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(database),
                                                                     sql.Identifier(owner)))
        else:
            con.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(database),
                                                                       sql.Identifier(owner)))
        con.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(database)))


def create_reader_role(dsn: str, role: str, password: str) -> None:
    """Create (or reset) a LOGIN role that may connect and read the published schemas, nothing more.

    Privileges on the published schemas are granted by every publish (its schemas are new each
    time); this grants them now on those that exist already.
    """
    with psycopg.connect(dsn) as con:
        exists = con.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
        verb = sql.SQL("ALTER") if exists else sql.SQL("CREATE")
        verifier = con.pgconn.encrypt_password(password.encode(), role.encode()).decode()  # never sent in clear
        con.execute(sql.SQL("{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
                            "NOBYPASSRLS PASSWORD {}").format(verb, sql.Identifier(role), sql.Literal(verifier)))
        database = con.execute("SELECT current_database()").fetchone()[0]
        con.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database),
                                                                         sql.Identifier(role)))
        live = [name for (name,) in con.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", [list(PUBLISHED_SCHEMAS)])]
        grant_reader(con, live, role)


def _hand_over(folder: Path) -> None:
    """When running as root, give `folder` to the server's OS user and check it can reach it."""
    if os.geteuid() != 0:
        return
    try:
        user = pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise ClusterError(f"running as root, but there is no OS user {SERVER_USER!r} to run PostgreSQL as")
    for path in [folder, *folder.rglob("*")]:
        os.chown(path, user.pw_uid, user.pw_gid)
    _run(["test", "-w", str(folder)], f"access check: OS user {SERVER_USER} cannot write {folder} "
         "(every parent folder must be searchable by it)")


def _run(command: list[str], what: str, log: Path | None = None) -> None:
    """Run a PostgreSQL command (as the server's OS user when root); raise ClusterError on failure."""
    command = _as_server_user(command)
    result = subprocess.run(command, capture_output=True, text=True, cwd="/")
    if result.returncode != 0:
        detail = result.stderr.strip() or result.stdout.strip()
        if log is not None and log.exists():
            detail += "\n--- " + str(log) + " (last lines) ---\n" + "\n".join(
                log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:])
        raise ClusterError(f"{what} failed (exit {result.returncode}): {' '.join(command)}\n{detail}")


def _as_server_user(command: list[str]) -> list[str]:
    """`command`, run through runuser as the server's OS user when we are root."""
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    if not runuser:
        raise ClusterError("running as root, but runuser (util-linux) is not installed")
    return [runuser, "-u", SERVER_USER, "--", *command]
