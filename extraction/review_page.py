"""The review page of a draft: the article's text with each figure highlighted and linked to the row it
became, and the rows linked back to their places in the text. Written to the data directory only."""

from __future__ import annotations

import html

from extraction.document import Document
from extraction.rows import Extraction

STYLE = """body{font:15px/1.55 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
mark{background:#ffe58a;padding:0 2px}mark.review{background:#ffc2b3}p{white-space:pre-wrap}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}
tr:target{background:#fff4c2}mark:target{outline:2px solid #d33}"""


def review_page(document: Document, extraction: Extraction, draft_name: str) -> str:
    """The page as HTML text. Row n of the draft (its line in the file) is `row-n`; its places in the text
    are `fig-n-1`, `fig-n-2`..."""
    first_line = _first_row_line(extraction)
    places = sorted(((start, end, index) for index, figure in enumerate(extraction.figures)
                     for start, end in figure.spans), key=lambda p: p[0])
    seen: dict[int, int] = {}
    parts, cursor = [], 0
    for start, end, index in places:
        if start < cursor:
            continue
        seen[index] = seen.get(index, 0) + 1
        line = first_line + index
        css = ' class="review"' if extraction.figures[index].needs_review() else ""
        parts.append(html.escape(document.body[cursor:start]))
        parts.append(f'<mark id="fig-{line}-{seen[index]}"{css}><a href="#row-{line}">'
                     f"{html.escape(document.body[start:end])}</a></mark>")
        cursor = end
    parts.append(html.escape(document.body[cursor:]))
    text = "".join(parts).replace("\n\n", "</p><p>")
    rows = []
    for index, figure in enumerate(extraction.figures):
        line = first_line + index
        links = " ".join(f'<a href="#fig-{line}-{n}">{n}</a>' for n in range(1, len(figure.spans) + 1))
        cells = "".join(f"<td>{html.escape(str(v))}</td>" for v in (
            figure.entity, figure.metric, figure.market, figure.period, f"{figure.value} {figure.magnitude}".strip(),
            figure.unit, figure.qualifier, figure.citation, figure.note))
        rows.append(f'<tr id="row-{line}"><td>{line}</td>{cells}<td>{links}</td></tr>')
    head = "".join(f"<th>{h}</th>" for h in ("line", "entity", "metric", "market", "period", "value", "unit",
                                              "qualifier", "citation", "note", "in the text"))
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Draft review: {html.escape(document.title)}"
            f"</title><style>{STYLE}</style></head><body><h1>{html.escape(document.title)}</h1>"
            f"<p>Draft <code>{html.escape(draft_name)}</code>: {len(extraction.figures)} figures; the ones to check "
            f"are in red.</p><table><tr>{head}</tr>{''.join(rows)}</table><h2>Text</h2><p>{text}</p></body></html>")


def _first_row_line(extraction: Extraction) -> int:
    """Line of the first data row in the draft file: five front matter lines, the citations, the header."""
    return 5 + (1 + len(extraction.citations) if extraction.citations else 0) + 2
