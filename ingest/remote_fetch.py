"""Fetching remote sources into the cache: one conditional GET each, with a timeout, bounded retries with
backoff, a size limit, a content-type check and the parse checks a local file gets.

A body replaces the cached version only when it passed every check; otherwise the last good version
stays and the source is marked stale. Header values (tokens) come from the environment and are never
put in a message, a log line or the state file.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from foundation.errors import SourceError
from ingest.remote_registry import RemoteSource, load_registry
from ingest.remote_state import OK, STALE, cache_path, load_state, save_state, temp_path

QUICK_TIMEOUT_SECONDS = 10.0
BACKOFF_SECONDS = 0.5          # waits 0.5 s, 1 s, 2 s, ... between attempts
RETRY_STATUSES = {408, 425, 429}  # and every 5xx
REFUSED_TYPES = {"text/html", "application/xhtml+xml"}
CHUNK = 1 << 16
CHANGED, UNCHANGED, FAILED = "changed", "unchanged", "failed"
# Checks a fetched file (path, file name); raises SourceError when it must not replace the cached version.
Validator = Callable[[Path, str], object]


@dataclass(frozen=True)
class FetchOutcome:
    """What one refresh's fetch of one remote source did."""

    source_id: str
    url: str
    fetched_at: str
    outcome: str                 # changed, unchanged or failed
    http_status: int | None
    content_hash: str | None     # of the version now cached (the old one when the fetch failed)
    problem: str | None
    attempts: int


NEW, STALE_OUTCOME = "new", "stale"


def loaded_outcome(fetch: FetchOutcome, loaded_hash: str | None) -> str:
    """What a refresh loads of a source, next to the version the previous refresh loaded (`loaded_hash`):
    new, changed, unchanged or stale. A fetch's own outcome compares with the cache, which a sensor or
    `cloudmart refresh`'s up-to-date check may have filled already: a 304 can still bring a new version."""
    if fetch.outcome == FAILED:
        return STALE_OUTCOME
    if loaded_hash is None:
        return NEW
    return UNCHANGED if fetch.content_hash == loaded_hash else CHANGED


def outcome_line(fetch: FetchOutcome, loaded_hash: str | None) -> str:
    """One true line on what a refresh does with a source (see `loaded_outcome`)."""
    line = f"remote source {fetch.source_id}: {loaded_outcome(fetch, loaded_hash)}"
    line += f" (HTTP {fetch.http_status})" if fetch.http_status else ""
    if fetch.outcome != FAILED:
        return line
    if fetch.content_hash is None:
        return f"{line}: {fetch.problem}; it has no good version yet and is left out"
    kept = "" if fetch.content_hash == loaded_hash else ", a version this refresh loads for the first time"
    return f"{line}: {fetch.problem}; its last good version is used{kept}"


class FetchFailed(Exception):
    """A fetch that gave no usable body; the message never holds a header value."""

    def __init__(self, problem: str, http_status: int | None = None, retryable: bool = False):
        super().__init__(problem)
        self.problem, self.http_status, self.retryable = problem, http_status, retryable


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects, but sends the registry's headers (tokens) only to the registry's origin."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        old, target = urlsplit(req.full_url), urlsplit(newurl)
        if new is not None and (old.scheme, old.netloc) != (target.scheme, target.netloc):
            new.headers.clear()
        return new


OPENER = urllib.request.build_opener(_SameOriginRedirects)


def fetch_all(sources_dir: Path, data_dir: Path, validator_for: Callable[[Path], Validator],
              quick: bool = False) -> list[FetchOutcome]:
    """Fetch every source of the registry into the cache (see `fetch_source`), each body checked by
    `validator_for(sources_dir)` (made only when there is something to fetch; e.g.
    transforms.probe.sheet_validator). `quick`: one attempt each with a timeout of at most
    QUICK_TIMEOUT_SECONDS (for a sensor, which must answer fast)."""
    registry = load_registry(sources_dir)
    if not registry:
        return []
    validate = validator_for(sources_dir)
    if quick:
        registry = [replace(s, retries=0, timeout_seconds=min(s.timeout_seconds, QUICK_TIMEOUT_SECONDS))
                    for s in registry]
    return [fetch_source(source, data_dir, validate) for source in registry]


def poll_when_due(sources_dir: Path, data_dir: Path, every_seconds: float,
                  validator_for: Callable[[Path], Validator]) -> list[FetchOutcome]:
    """Fetch every remote source quickly when one was last fetched `every_seconds` ago or longer
    (by anyone: a refresh's fetch counts); no fetch and [] otherwise."""
    registry = load_registry(sources_dir)
    now = datetime.now(timezone.utc)
    last = [load_state(data_dir, s.source_id, s.url).fetched_at for s in registry]
    if all(at and (now - datetime.fromisoformat(at)).total_seconds() < every_seconds for at in last):
        return []
    return fetch_all(sources_dir, data_dir, validator_for, quick=True)


def fetch_source(source: RemoteSource, data_dir: Path, validate: Validator) -> FetchOutcome:
    """Fetch one source; update its cached version and state; return what happened."""
    state = load_state(data_dir, source.source_id, source.url)
    cached = cache_path(data_dir, source.source_id)
    have_cache = cached.exists() and state.content_hash is not None
    fetched_at = datetime.now(timezone.utc).isoformat()
    attempts, received = [0], None
    try:
        status, body, validators = _get_with_retries(source, state if have_cache else None, attempts)
        received = hashlib.sha256(body).hexdigest() if status != 304 else None
        outcome = _keep(source, cached, state, status, body, received, validate) if received else UNCHANGED
    except FetchFailed as failure:
        state.status, state.problem, state.http_status = STALE, failure.problem, failure.http_status
        outcome = FAILED
    else:
        state.status, state.problem, state.http_status = OK, None, status
        state.etag, state.last_modified = validators.get("ETag") or state.etag, \
            validators.get("Last-Modified") or state.last_modified
        if outcome == CHANGED:
            state.content_hash, state.byte_size, state.changed_at = received, len(body), fetched_at
    state.fetched_at = fetched_at
    result = FetchOutcome(source.source_id, source.url, fetched_at, outcome, state.http_status,
                          state.content_hash if cached.exists() else None, state.problem, attempts[0])
    state.unrecorded.append({"fetched_at": fetched_at, "outcome": outcome, "http_status": state.http_status,
                             "content_hash": result.content_hash, "received_hash": received, "problem": state.problem,
                             "attempts": attempts[0]})
    save_state(data_dir, source.source_id, state)
    return result


def _keep(source: RemoteSource, cached: Path, state, status: int, body: bytes, digest: str,
          validate: Validator) -> str:
    """Check a fetched body and, when it is new and good, make it the cached version; CHANGED or UNCHANGED."""
    if digest == state.content_hash and cached.exists():
        return UNCHANGED
    temp = temp_path(cached)
    temp.write_bytes(body)
    try:
        validate(temp, source.file_name)
        os.replace(temp, cached)
    except SourceError as error:
        raise FetchFailed(f"fetched file refused: {error}", status) from None
    finally:
        temp.unlink(missing_ok=True)
    return CHANGED


def _get_with_retries(source: RemoteSource, state, attempts: list[int]) -> tuple[int, bytes, dict]:
    headers = {}
    for header, variable in source.headers.items():
        value = os.environ.get(variable)
        if value is None:
            raise FetchFailed(f"environment variable {variable} (header {header}) is not set")
        if not (value.isascii() and value.isprintable()):  # http.client's own error would quote the value
            raise FetchFailed(f"environment variable {variable} (header {header}) holds a line break or "
                              "a character that is not printable ASCII")
        headers[header] = value
    if state is not None and state.etag:
        headers["If-None-Match"] = state.etag
    if state is not None and state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    for attempt in range(source.retries + 1):
        attempts[0] = attempt + 1
        try:
            return _get(source, headers)
        except FetchFailed as failure:
            if not failure.retryable or attempt == source.retries:
                if attempt:
                    failure.problem += f" (after {attempt + 1} attempts)"
                raise
        time.sleep(BACKOFF_SECONDS * 2 ** attempt)
    raise AssertionError("unreachable")


def _get(source: RemoteSource, headers: dict[str, str]) -> tuple[int, bytes, dict]:
    """One GET: (status, body, validators) or FetchFailed."""
    request = urllib.request.Request(source.url, headers=headers)
    try:
        response = OPENER.open(request, timeout=source.timeout_seconds)
    except urllib.error.HTTPError as error:
        error.close()
        if error.code == 304:
            return 304, b"", {k: error.headers.get(k) for k in ("ETag", "Last-Modified")}
        raise FetchFailed(f"HTTP {error.code} {error.reason}", error.code,
                          retryable=error.code in RETRY_STATUSES or error.code >= 500) from None
    except urllib.error.URLError as error:
        raise FetchFailed(f"no answer: {_reason(error.reason)}", retryable=True) from None
    except (OSError, http.client.HTTPException) as error:
        raise FetchFailed(f"no answer: {_reason(error)}", retryable=True) from None
    with response:
        status = response.status
        content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type in REFUSED_TYPES:
            raise FetchFailed(f"served {content_type} instead of a CSV file (an error page?)", status)
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > source.max_bytes:
            raise FetchFailed(f"file of {int(declared):,} bytes is over the limit of {source.max_bytes:,}", status)
        body = _read(response, source.max_bytes, status)
        if declared and declared.isdigit() and len(body) != int(declared):
            raise FetchFailed(f"body cut short: {len(body):,} of {int(declared):,} bytes", status, retryable=True)
        return status, body, {k: response.headers.get(k) for k in ("ETag", "Last-Modified")}


def _read(response, max_bytes: int, status: int) -> bytes:
    parts, size = [], 0
    try:
        while chunk := response.read(CHUNK):
            parts.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                raise FetchFailed(f"file is over the limit of {max_bytes:,} bytes", status)
    except (OSError, http.client.HTTPException) as error:
        raise FetchFailed(f"connection lost while reading: {_reason(error)}", status, retryable=True) from None
    return b"".join(parts)


def _reason(error: object) -> str:
    """A short cause: the exception's class and, for timeouts and refusals, its text (never headers)."""
    if isinstance(error, str):
        return error
    text = str(error) if isinstance(error, (TimeoutError, ConnectionError)) else ""
    return type(error).__name__ + (f" ({text})" if text else "")
