"""Reading articles: body text and front matter from plain text, Markdown, HTML and stdin."""

from __future__ import annotations

from pathlib import Path

from extraction.document import UNKNOWN, parse_date, read_document
from extraction.markup import html_to_text, markdown_to_text


def test_plain_text_takes_field_lines_and_a_by_line_off_the_top(tmp_path: Path):
    article = tmp_path / "a.txt"
    article.write_text("Title: Clouds over the harbour\nBy Ann Lee\nPublished: 2025-10-28\nOutlet: Harbour News\n\n"
                       "First paragraph of the body.\n", encoding="utf-8")
    document = read_document(article)
    assert (document.title, document.author, document.published, document.outlet, document.url) == (
        "Clouds over the harbour", "Ann Lee", "2025-10-28", "Harbour News", UNKNOWN)
    assert document.body == "First paragraph of the body."


def test_a_short_first_line_is_the_title_and_a_dateline_the_date(tmp_path: Path):
    article = tmp_path / "b.txt"
    article.write_text("A headline without a full stop\n\n04/20 2025 917\n\nThe body starts here.", encoding="utf-8")
    document = read_document(article)
    assert (document.title, document.published, document.body) == (
        "A headline without a full stop", "2025-04-20", "The body starts here.")


def test_a_dateline_opening_the_body_gives_the_date_and_stays_in_the_body(tmp_path: Path):
    article = tmp_path / "c.txt"
    article.write_text("Headline\n\nOSLO, March 3, 2026 — Buyers moved early.", encoding="utf-8")
    document = read_document(article)
    assert document.published == "2026-03-03" and document.body.startswith("OSLO")


def test_nothing_given_is_unknown(tmp_path: Path):
    article = tmp_path / "d.txt"
    article.write_text("This opening sentence ends with a full stop.\nAnother one.", encoding="utf-8")
    document = read_document(article)
    assert (document.title, document.author, document.published) == (UNKNOWN, UNKNOWN, UNKNOWN)


def test_html_gives_title_meta_canonical_and_visible_text_only():
    text, meta = html_to_text(
        "<html><head><title>Page title</title><meta name='author' content='Kim Ro'>"
        "<meta property='article:published_time' content='2025-03-30T08:00:00Z'>"
        "<meta property='og:site_name' content='Wire'><link rel='canonical' href='https://example.com/x'>"
        "<style>p{}</style></head><body><nav>Menu 1 2 3</nav><p>One &amp; two.</p><script>var x = 5;</script>"
        "<ol><li>First</li><li>Second</li></ol><ul><li>Dot</li></ul></body></html>")
    assert meta == {"title": "Page title", "author": "Kim Ro", "published": "2025-03-30T08:00:00Z",
                    "outlet": "Wire", "url": "https://example.com/x"}
    assert text == "One & two.\n\n1. First\n2. Second\n\n- Dot"


def test_html_on_stdin_is_read_as_html():
    document = read_document(None, "<!doctype html><html><head><title>T</title>"
                                   "<meta name='date' content='2024-02-01'></head><body><p>Body.</p></body></html>")
    assert (document.title, document.published, document.body) == ("T", "2024-02-01", "Body.")


def test_markdown_front_matter_headings_emphasis_links_and_tables():
    text, meta = markdown_to_text("---\ntitle: \"Md title\"\ndate: 2024-09-14\nauthor: Wei Park\n---\n"
                                  "# Heading\n\nSome **bold** and *italic* with a [link](https://x.org).\n\n"
                                  "| provider | share |\n|---|---|\n| AWS | 30% |\n\n* item\n")
    assert meta == {"title": "Md title", "published": "2024-09-14", "author": "Wei Park"}
    assert text == "Heading\n\nSome bold and italic with a link.\n\n| provider | share |\n| AWS | 30% |\n\n- item"


def test_dates_in_several_spellings():
    assert parse_date("Published 3 February 2026 · Desk") == "2026-02-03"
    assert parse_date("Sept. 9, 2024") == "2024-09-09"
    assert parse_date("2025-03-30T08:00:00Z") == "2025-03-30"
    assert parse_date("02/30 2025") is None and parse_date("no date here") is None


def test_a_markdown_table_without_outer_pipes_reads_as_one():
    text, _ = markdown_to_text("Shares:\n\nProvider | Share\n---|---:\nAWS | 29%\nAzure | 22%\n\nThe end | of it.")
    assert text == "Shares:\n\n| Provider | Share\n| AWS | 29%\n| Azure | 22%\n\nThe end | of it."


def test_a_by_line_with_the_writers_role_is_the_author_and_the_header_goes_on(tmp_path: Path):
    article = tmp_path / "role.txt"
    article.write_text("Headline here\n\nBy Mia Dahl, Oslo correspondent\nNorth Sea Weekly, 3 March 2026\n\n"
                       "By Monday, the buyers had moved early.", encoding="utf-8")
    document = read_document(article)
    assert (document.author, document.published) == ("Mia Dahl", "2026-03-03")
    assert document.body.startswith("By Monday")
