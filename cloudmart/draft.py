"""`cloudmart draft ARTICLE`: draft a source file from an article, for review.

Writes sources/drafts/<slug>.csv (moved to sources/ once reviewed, it is loaded like any source), the reference
rows its unknown names need (sources/drafts/<slug>.reference.txt, also printed) and the review page
<data dir>/drafts/<slug>.html."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from extraction.document import read_document
from extraction.draft_file import reference_block_text, reference_rows, slug, source_file_text
from extraction.names import load_reference
from extraction.review_page import review_page
from extraction.rows import extract_figures
from foundation.settings import Settings
from ingest.source_state import DRAFTS_FOLDER


class DraftError(Exception):
    """An article that cannot be read, or a draft that cannot be written: one line for the user."""


def draft_article(settings: Settings, article: str) -> list[str]:
    """Draft `article` (a path, or '-' for stdin); return the summary lines to print."""
    path = None if article == "-" else Path(article)
    try:
        document = read_document(path, sys.stdin.read() if path is None else None)
    except (OSError, UnicodeError) as error:
        raise DraftError(f"{article}: cannot be read ({getattr(error, 'strerror', None) or error})") from None
    try:
        reference = load_reference(settings.sources_dir / "reference")
    except (OSError, KeyError) as error:
        raise DraftError(f"{settings.sources_dir / 'reference'}: reference data cannot be read ({error})") from None
    extraction = extract_figures(document, reference)
    name = slug(document, path.stem if path else "draft")
    drafts = settings.sources_dir / DRAFTS_FOLDER
    draft_path = drafts / f"{name}.csv"
    page_path = settings.data_dir / "drafts" / f"{name}.html"
    block = reference_block_text(reference_rows(extraction))
    try:
        _write(draft_path, source_file_text(document, extraction))
        _write(page_path, review_page(document, extraction, draft_path.name))
        block_path = drafts / f"{name}.reference.txt"
        if block:
            _write(block_path, block)
        elif block_path.exists():
            block_path.unlink()
    except OSError as error:
        raise DraftError(f"cannot write the draft: {error}") from None
    review = sum(f.needs_review() for f in extraction.figures)
    lines = [f"Drafted {len(extraction.figures)} figures, {review} to review (unknown names, no period or a note).",
             f"  draft:        {draft_path}", f"  review page:  {page_path}"]
    if block:
        lines += [f"  reference rows to add (also in {block_path}):", *("    " + line for line in block.splitlines())]
    lines.append(f"Once reviewed, move the draft to {settings.sources_dir}/ and run `cloudmart refresh`.")
    return lines


def _write(path: Path, text: str) -> None:
    """Write `text` to `path` by a rename, so a half-written draft is never seen."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
