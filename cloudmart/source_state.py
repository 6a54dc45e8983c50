"""What the sources folder holds now, cheaply: a fingerprint per settled file, hashed only when it changed.

A file counts once it has settled: not hidden, not an editor or download temp file, and not modified
for a few seconds (so a file still being written is not picked up half-written).
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

TEMP_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".swp", ".swx", "~")
SETTLE_SECONDS = 2.0  # a file written less than this ago may still be being written


def is_candidate(path: Path, root: Path) -> bool:
    """Whether `path` looks like a source file rather than a hidden, temporary or swap file."""
    parts = path.relative_to(root).parts
    return (path.suffix == ".csv" and not any(p.startswith((".", "~", "#")) for p in parts)
            and not path.name.endswith(TEMP_SUFFIXES))


def folder_state(root: Path, known: dict[str, list], settle_seconds: float = SETTLE_SECONDS,
                 now: float | None = None) -> tuple[dict[str, list], bool]:
    """{name: [size, mtime_ns, sha256]} of the settled source files, and whether any file is still settling.

    `known` is the previous state: a file whose size and mtime did not change keeps its hash unread.
    """
    now = time.time() if now is None else now
    state, settling = {}, False
    for path in sorted(root.rglob("*.csv")) if root.is_dir() else []:
        if not is_candidate(path, root):
            continue
        stat = path.stat()
        if now - stat.st_mtime < settle_seconds:
            settling = True
            continue
        name = path.relative_to(root).as_posix()
        before = known.get(name)
        if before and before[:2] == [stat.st_size, stat.st_mtime_ns]:
            state[name] = before
        else:
            state[name] = [stat.st_size, stat.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()]
    return state, settling


def content_key(state: dict[str, list]) -> str:
    """One key for the contents of the folder: the same files with the same bytes give the same key."""
    digest = hashlib.sha256()
    for name in sorted(state):
        digest.update(f"{name}\0{state[name][2]}\n".encode())
    return digest.hexdigest()[:16]
