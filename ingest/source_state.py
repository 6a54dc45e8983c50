"""What the sources folder holds now, cheaply: a fingerprint per settled file, hashed only when it changed.

A file counts once it has settled: not hidden, not an editor or download temp file, and not modified
for a few seconds (so a file still being written is not picked up half-written).
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from pathlib import Path

TEMP_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".swp", ".swx", "~")
SETTLE_SECONDS = 2.0  # a file written less than this ago may still be being written
DRAFTS_FOLDER = "drafts"  # `cloudmart draft` writes here: drafts wait for review, never loaded nor watched


def is_candidate(path: Path, root: Path) -> bool:
    """Whether `path` looks like a source file rather than a hidden, temporary or swap file, or a draft
    waiting for review in the drafts folder."""
    parts = path.relative_to(root).parts
    return (path.suffix == ".csv" and not any(p.startswith((".", "~", "#")) for p in parts)
            and not path.name.endswith(TEMP_SUFFIXES) and not (len(parts) > 1 and parts[0] == DRAFTS_FOLDER))


def unreadable(path: Path) -> str | None:
    """What `path` is when it is not a regular file (links followed) that can be read without waiting:
    'a directory', 'a named pipe (FIFO)', 'a link to nothing'... None for a regular file. Reading a FIFO
    would wait forever for a writer, so nothing but a regular file is ever opened."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "a link to nothing"
    except OSError as error:
        return f"a path that cannot be followed ({error.strerror})"
    for test, kind in ((stat.S_ISREG, None), (stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return kind if kind or os.access(path, os.R_OK) else "a file this user may not read"
    return "not a regular file"


def folder_state(root: Path, known: dict[str, list], settle_seconds: float = SETTLE_SECONDS,
                 now: float | None = None) -> tuple[dict[str, list], float]:
    """{name: [size, mtime_ns, sha256]} of the settled source files, and how many seconds until the last
    file still settling has settled (0.0 when none is; more than `settle_seconds` when a file's time is in
    the future).

    `known` is the previous state: a file whose size and mtime did not change keeps its hash unread.
    """
    now = time.time() if now is None else now
    state, settling = {}, 0.0
    for path in sorted(root.rglob("*.csv")) if root.is_dir() else []:
        if not is_candidate(path, root):
            continue
        name = path.relative_to(root).as_posix()
        if kind := unreadable(path):  # kept as a change, so that a refresh runs and says what is wrong
            state[name] = [0, 0, f"unreadable: {kind}"]
            continue
        found = path.stat()
        if now - found.st_mtime < settle_seconds:
            settling = max(settling, settle_seconds - (now - found.st_mtime))
            continue
        before = known.get(name)
        if before and before[:2] == [found.st_size, found.st_mtime_ns]:
            state[name] = before
        else:
            state[name] = [found.st_size, found.st_mtime_ns, _file_hash(path)]
    return state, settling


def _file_hash(path: Path) -> str:
    """sha256 of the file's bytes, read in blocks (a source may be larger than memory allows twice)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def content_key(state: dict[str, list]) -> str:
    """One key for the contents of the folder: the same files with the same bytes give the same key."""
    digest = hashlib.sha256()
    for name in sorted(state):
        digest.update(f"{name}\0{state[name][2]}\n".encode())
    return digest.hexdigest()[:16]
