"""Disk and permission faults: a read-only data directory and a disk that fills up while the new
warehouse file is written (a file size limit: a small tmpfs cannot aim at the publish, because what a
refresh adds to the disk before it varies from -7 MB to +3 MB as DuckDB grows or truncates its
working file). Each gives a clear error and a failed exit; nothing is published, nothing
already there is lost, and the next refresh without the fault succeeds."""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import subprocess
from pathlib import Path

import duckdb

from foundation.settings import Settings
from tests.support import cloudmart, edit_source, file_digest, published_content, refresh_ok

PR_CAPBSET_DROP = 24
# The capabilities that let root ignore file permissions: CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER.
PERMISSION_OVERRIDES = (1, 2, 3)
MB = 1 << 20


def respecting_permissions() -> None:
    """Run in the child before exec: when root (as in CI), give up the capabilities that let it write
    a read-only folder, so the refresh meets the permissions any other user would."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in PERMISSION_OVERRIDES:
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def set_writable(folder: Path, writable: bool) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod((0o755 if path.is_dir() else 0o644) if writable else (0o555 if path.is_dir() else 0o444))


def raw_versions(settings: Settings) -> list[tuple]:
    with duckdb.connect(str(settings.build_path), read_only=True) as con:
        return con.execute("SELECT file_name, content_hash FROM raw.source_files ORDER BY ALL").fetchall()


def test_a_read_only_data_directory_fails_clearly_and_changes_nothing(published: Settings):
    edit_source(published, "mobile-cloud-counterattack-2025.csv", "edge_nodes,,unspecified,6,",
                "edge_nodes,,unspecified,7,")
    before, versions = file_digest(published.warehouse_path), raw_versions(published)
    set_writable(published.data_dir, False)
    try:
        done = cloudmart(published, "refresh", "--force", preexec_fn=respecting_permissions)
    finally:
        set_writable(published.data_dir, True)
    assert done.returncode == 1, done.stdout + done.stderr
    assert (f"cloudmart: refresh FAILED: cannot write to {published.data_dir} (Permission denied): a refresh "
            f"writes its files in the data directory {published.data_dir}; nothing was changed") in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert file_digest(published.warehouse_path) == before and raw_versions(published) == versions
    refresh_ok(published)  # writable again: the next refresh publishes the edit
    assert file_digest(published.warehouse_path) != before


def assert_publish_failed_and_nothing_was_lost(settings: Settings, done: subprocess.CompletedProcess, before: str,
                                               versions: list[tuple], says: str) -> None:
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert f"PublishError: could not write the new warehouse file in {settings.data_dir}: " in output, output
    assert says in output and "nothing was published; warehouse.duckdb is as it was" in output, output
    assert "Traceback" not in output
    assert file_digest(settings.warehouse_path) == before
    assert not list(settings.data_dir.glob(".warehouse.duckdb.*"))
    assert set(versions) <= set(raw_versions(settings))  # the raw layer kept every version (and the new one)


def edit_and_remember(settings: Settings) -> tuple[str, dict, list[tuple]]:
    edit_source(settings, "mobile-cloud-counterattack-2025.csv", "edge_nodes,,unspecified,6,",
                "edge_nodes,,unspecified,7,")
    return file_digest(settings.warehouse_path), published_content(settings.warehouse_path), raw_versions(settings)


def test_a_file_size_limit_hit_while_publishing_fails_clearly_and_loses_nothing(published: Settings):
    """Where no tmpfs can be mounted: a limit on the size of any file the refresh writes
    (RLIMIT_FSIZE) that the files it grows stay under, but a second copy of the warehouse does not."""
    largest = max(p.stat().st_size for p in published.data_dir.rglob("*")
                  if p.is_file() and p.suffix != ".duckdb")
    limit = largest + MB
    assert limit < published.warehouse_path.stat().st_size
    before, content, versions = edit_and_remember(published)

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = cloudmart(published, "refresh", preexec_fn=limited)

    assert_publish_failed_and_nothing_was_lost(published, done, before, versions, "File too large")
    refresh_ok(published)
    assert published_content(published.warehouse_path) != content
