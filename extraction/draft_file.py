"""Writing a draft: the source file (front matter + one row per figure, the format of README "Sources") and
the reference rows its unknown names need, ready to append to `sources/reference/`."""

from __future__ import annotations

import csv
import io
import json
import re

from extraction.document import Document
from extraction.rows import Extraction

COLUMNS = ("entity", "metric", "market", "period", "value", "magnitude", "unit", "qualifier", "citation", "note")


def slug(document: Document, fallback: str) -> str:
    """A file name for the draft: from the title, else from `fallback` (the article's file name)."""
    text = document.title if document.title != "unknown" else fallback
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words[:8]) or "draft"


def source_file_text(document: Document, extraction: Extraction) -> str:
    """The draft source file: front matter, then a header and one row per figure."""
    lines = [f"# {key}: {_yaml_text(getattr(document, key))}" for key in ("title", "outlet", "author", "published",
                                                                          "url")]
    if extraction.citations:
        lines.append("# citations:")
        lines += [f"#   {json.dumps(key)}: {json.dumps(text)}" for key, text in extraction.citations.items()]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for figure in extraction.figures:
        writer.writerow([getattr(figure, column) for column in COLUMNS])
    return "\n".join(lines) + "\n" + out.getvalue()


def _yaml_text(value: str) -> str:
    return value if re.fullmatch(r"[\w-]+", value) else json.dumps(value)


def reference_rows(extraction: Extraction) -> dict[str, list[str]]:
    """{reference file: CSV lines to append} for the entities, markets and metrics the reference data lacks."""
    blocks: dict[str, list[str]] = {}
    for figure in extraction.figures:
        for kind, name in figure.unknown.items():
            file, row = {
                "entity": ("providers.csv", [name, "", "", "unclassified"]),
                "market": ("markets.csv", [name, "", "", "added from a draft: describe it"]),
                "metric": ("metrics.csv", [name, "currency", "provider_financials", "added from a draft: describe it"]),
            }[kind]
            line = _csv_line(row)
            if line not in blocks.setdefault(file, []):
                blocks[file].append(line)
    return blocks


def reference_block_text(blocks: dict[str, list[str]]) -> str:
    """The reference rows as one text to print or save: a heading line per file, then its rows."""
    return "".join(f"# append to sources/reference/{file}\n" + "".join(line + "\n" for line in lines)
                   for file, lines in blocks.items())


def _csv_line(row: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(row)
    return out.getvalue()
