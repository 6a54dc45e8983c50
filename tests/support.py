"""Helpers shared by the tests."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from cloudmart.refresh import RefreshOutcome, run_refresh
from foundation.settings import Settings

VENV_BIN = Path(sys.executable).parent  # the virtual environment's programs: `cloudmart`, `dagster`


def installation_env(settings: Settings, **extra: str) -> dict[str, str]:
    """This process's environment pointed at `settings`' data and sources folders, plus `extra` variables."""
    return dict(os.environ, CLOUDMART_DATA_DIR=str(settings.data_dir), CLOUDMART_SOURCES_DIR=str(settings.sources_dir),
                **extra)


def cloudmart(settings: Settings, *args: str, env: dict[str, str] | None = None, timeout: float = 600,
              **run) -> subprocess.CompletedProcess:
    """Run the real `cloudmart ARGS` on `settings`' installation and capture its output as text; `env` adds
    variables to its environment, `run` goes to subprocess.run (input, cwd, preexec_fn)."""
    return subprocess.run([str(VENV_BIN / "cloudmart"), *args], env=installation_env(settings, **(env or {})),
                          capture_output=True, text=True, timeout=timeout, **run)


def refresh_ok(settings: Settings) -> RefreshOutcome:
    """Run a refresh that must succeed."""
    outcome = run_refresh(settings)
    assert outcome.success, outcome.errors
    return outcome


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def edit_source(settings: Settings, name: str, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in a source file."""
    path = settings.sources_dir / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def published_content(path: Path) -> dict[str, str]:
    """SHA-256 of the rows of every core and marts table of a warehouse file, refresh ids left out
    (they differ between two refreshes of the same sources); opened read-only."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute("SELECT schema_name, table_name, list(column_name) FROM duckdb_columns() "
                             "WHERE schema_name IN ('core', 'marts') GROUP BY ALL ORDER BY ALL").fetchall()
        content = {}
        for schema, table, columns in tables:
            dropped = " EXCLUDE (refresh_id)" if "refresh_id" in columns else ""
            rows = con.execute(f"SELECT *{dropped} FROM {schema}.{table} ORDER BY ALL").fetchall()
            content[f"{schema}.{table}"] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return content
    finally:
        con.close()


def stop_process_group(process: subprocess.Popen, grace_seconds: float = 60) -> None:
    """SIGTERM a process started with start_new_session=True and its children; SIGKILL what outlives
    the grace period (a run the daemon launched may still be finishing when a test is done with it)."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace_seconds)


def wait_for(condition, seconds: float, what: str, every: float = 2.0):
    """Poll `condition` every `every` seconds until it returns something true (returned); AssertionError
    after `seconds`. (benchmarks/file_drop.py polls with it too.)"""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")
