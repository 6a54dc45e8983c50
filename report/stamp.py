"""Which refresh the report on disk was drawn from: a `<meta>` tag in the page's head, read back
without drawing anything (no matplotlib), so `cloudmart refresh` and `status` can tell whether the
report is behind the published warehouse."""

from __future__ import annotations

import re
from pathlib import Path

_STAMP = re.compile(r'<meta name="cloudmart-refresh" content="([^"]*)">')  # see templates/report.html.j2
_HEAD_BYTES = 4096


def drawn_from(report: Path) -> str | None:
    """The refresh id the report at `report` shows, or None (no report, or one without a stamp)."""
    try:
        with report.open("rb") as page:
            head = page.read(_HEAD_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None
    found = _STAMP.search(head)
    return found[1] if found else None
