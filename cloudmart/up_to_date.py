"""Whether a refresh would publish what is already published: same source versions, same code; and
which publish targets (PostgreSQL, the report) are behind the published warehouse file.

Remote sources are fetched first (a conditional GET: an unchanged one costs one request), so their
cached versions count like local files. A remote source that is stale, or was stale in the last
refresh, always gets a refresh, which records its status and notifies.
"""

from __future__ import annotations

from foundation.errors import SourceError
from foundation.settings import Settings
from ingest.fingerprint import inputs_key
from ingest.remote_fetch import FAILED, fetch_all
from ingest.remote_registry import load_registry
from ingest.remote_state import OK, load_state
from ingest.source_state import folder_state
from transforms.probe import sheet_validator
from warehouse.publish_log import POSTGRES, REPORT
from warehouse.refresh_log import published_file_key


def unchanged_since(settings: Settings, fetch: bool = True) -> tuple[str, object] | None:
    """(refresh id, finished at) of the published refresh the sources and code still match, or None.
    Without `fetch`, remote sources count as their cached versions (no request is sent)."""
    last = published_file_key(settings.warehouse_path)
    if last is None or last[0] is None:
        return None
    remote = current_remote_versions(settings, fetch)
    if remote is None:
        return None
    state, _ = folder_state(settings.sources_dir, {}, settle_seconds=0)
    current = inputs_key({name: version[2] for name, version in state.items()} | remote)
    return (last[1], last[2]) if current == last[0] else None


def current_remote_versions(settings: Settings, fetch: bool = True) -> dict[str, str] | None:
    """Fetch every remote source (unless not `fetch`); {file name: cached version hash}, or None when one
    is or was stale (or the registry is broken: the refresh then reports it)."""
    try:
        registry = load_registry(settings.sources_dir)
    except SourceError:
        return None
    states = {s.source_id: load_state(settings.data_dir, s.source_id, s.url) for s in registry}
    if any(state.status != OK for state in states.values()):
        return None
    if not fetch:
        return {f"{source_id}.csv": state.content_hash for source_id, state in states.items() if state.content_hash}
    outcomes = fetch_all(settings.sources_dir, settings.data_dir, sheet_validator, quick=True)  # the refresh retries a failure
    if any(o.outcome == FAILED for o in outcomes):
        return None
    return {f"{o.source_id}.csv": o.content_hash for o in outcomes if o.content_hash}


def targets_behind(settings: Settings, refresh_id: str) -> list[str]:
    """The targets that do not hold the published refresh `refresh_id`: "postgres" (when configured:
    by the refresh log published with it; unreachable counts as behind) and "report" (by the refresh
    its page was drawn from). Each is asked itself: what it holds is the truth, not what was logged."""
    from report.stamp import drawn_from
    from warehouse.postgres import served_refresh_or_none

    behind = []
    if settings.pg_dsn and served_refresh_or_none(settings.pg_dsn) != refresh_id:
        behind.append(POSTGRES)
    if drawn_from(settings.report_path) != refresh_id:
        behind.append(REPORT)
    return behind

