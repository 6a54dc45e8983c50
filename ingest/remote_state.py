"""The cache of remote sources in the data directory: the last good version of each, and what we know of it.

    data/remote/<source_id>.csv    the last version that passed the parse checks (read like a local file)
    data/remote/<source_id>.json   etag, last-modified, hash, when fetched and changed, status, and the
                                   fetch attempts not yet written to the raw layer

Both are written to a temp file first and renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.remote_registry import RemoteSource
from ingest.source_files import FIGURES, SourceFile, read_source_file

OK, STALE = "ok", "stale"


@dataclass
class RemoteState:
    """What the last fetches of one remote source found."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None      # of the cached last good version
    byte_size: int | None = None
    fetched_at: str | None = None        # last attempt, ISO 8601 UTC
    changed_at: str | None = None        # when the cached version was first fetched
    http_status: int | None = None       # of the last attempt (None: no answer)
    status: str = STALE                  # ok, or stale: the last attempt failed or nothing was ever fetched
    problem: str | None = None
    unrecorded: list[dict] = field(default_factory=list)  # attempts waiting to be appended to raw


def remote_dir(data_dir: Path) -> Path:
    """Where the cache lives."""
    return data_dir / "remote"


def cache_path(data_dir: Path, source_id: str) -> Path:
    """The cached last good version of a source."""
    return remote_dir(data_dir) / f"{source_id}.csv"


def load_state(data_dir: Path, source_id: str, url: str) -> RemoteState:
    """The source's state; a fresh one when it was never fetched or its URL changed in the registry."""
    path = remote_dir(data_dir) / f"{source_id}.json"
    if not path.exists():
        return RemoteState(url)
    state = RemoteState(**json.loads(path.read_text(encoding="utf-8")))
    if state.url != url:  # another document now: forget the old validators, keep the last good version
        return RemoteState(url, content_hash=state.content_hash, byte_size=state.byte_size,
                           changed_at=state.changed_at, unrecorded=state.unrecorded)
    return state


def save_state(data_dir: Path, source_id: str, state: RemoteState) -> None:
    """Write the state atomically."""
    write_atomically(remote_dir(data_dir) / f"{source_id}.json", json.dumps(asdict(state), indent=1).encode())


def write_atomically(target: Path, body: bytes) -> None:
    """Write `body` to a temp file beside `target`, then rename it over `target`."""
    temp = temp_path(target)
    temp.write_bytes(body)
    os.replace(temp, target)


def temp_path(target: Path) -> Path:
    """A temp file name beside `target` that no reader takes for a source."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")


def cached_versions(data_dir: Path, registry: list[RemoteSource]) -> list[SourceFile]:
    """The last good version of every remote source that has one, read like a file of the sources folder."""
    found = []
    for source in registry:
        path = cache_path(data_dir, source.source_id)
        if path.exists():
            found.append(read_source_file(path, source.file_name, FIGURES))
    return found
