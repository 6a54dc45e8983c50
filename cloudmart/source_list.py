"""`cloudmart sources`: every source, file or URL, as the last refresh found it."""

from __future__ import annotations

from cloudmart.status import open_latest
from foundation.settings import Settings
from ingest.remote_registry import load_registry
from warehouse.refresh_log import table_exists
from warehouse.source_status import STATUS_COLUMNS, read_source_status

HEADINGS = ("source", "kind", "last fetched", "last changed", "hash", "figures", "status")


def list_sources(settings: Settings) -> list[tuple]:
    """One row per source (STATUS_COLUMNS), registry entries no refresh has fetched yet included.
    Reference tables are listed too; their figures column stays empty."""
    con, _ = open_latest(settings)
    rows = []
    if con is not None:
        try:
            if table_exists(con, "meta", "source_status"):
                rows = read_source_status(con)
        finally:
            con.close()
    known = {row[0] for row in rows}
    rows += [(s.source_id, "url", "figures", None, None, None, None, "new", "not fetched by a refresh yet")
             for s in load_registry(settings.sources_dir) if s.source_id not in known]
    return rows


def print_sources(rows: list[tuple]) -> bool:
    """Print the sources as a table, each stale one's problem under it; return whether none is stale."""
    if not rows:
        print("No sources known yet: run `cloudmart refresh`.")
        return True
    table = [HEADINGS]
    for row in rows:
        item = dict(zip(STATUS_COLUMNS, row))
        table.append((item["source_id"], item["kind"], _when(item["last_fetched_at"]), _when(item["last_changed_at"]),
                      (item["content_hash"] or "-")[:12],
                      str(item["records"]) if item["file_kind"] == "figures" and item["records"] is not None else "-",
                      item["status"]))
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADINGS))]
    for index, line in enumerate(table):
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())
        problem = rows[index - 1][STATUS_COLUMNS.index("problem")] if index else None
        if problem:
            print(f"    {problem}")
    return all(dict(zip(STATUS_COLUMNS, row))["status"] == "ok" for row in rows)


def _when(value) -> str:
    return "-" if value is None else f"{value:%Y-%m-%d %H:%M:%S %Z}"
