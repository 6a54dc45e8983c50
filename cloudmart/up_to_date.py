"""Whether a refresh would publish what is already published: same source versions, same code."""

from __future__ import annotations

import duckdb

from cloudmart.fingerprint import inputs_key
from cloudmart.settings import Settings
from cloudmart.source_state import folder_state
from warehouse.refresh_log import last_published_key


def unchanged_since(settings: Settings) -> tuple[str, object] | None:
    """(refresh id, finished at) of the published refresh the sources and code still match, or None."""
    # The published file's own log, not the working warehouse's: a refresh killed after logging its
    # publish but before renaming the new file into place has not published anything.
    if not settings.warehouse_path.exists():
        return None
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        last = last_published_key(con)
    finally:
        con.close()
    if last is None or last[0] is None:
        return None
    state, _ = folder_state(settings.sources_dir, {}, settle_seconds=0)
    current = inputs_key({name: version[2] for name, version in state.items()})
    return (last[1], last[2]) if current == last[0] else None
