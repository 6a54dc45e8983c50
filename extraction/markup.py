"""HTML and Markdown to plain text, one block per paragraph, with what the markup says about the document."""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "ul", "ol", "section",
              "article", "header", "footer", "blockquote", "pre", "dt", "dd", "figcaption", "time"}
SKIPPED_TAGS = {"script", "style", "noscript", "template", "svg", "head", "nav"}
META_KEYS = {  # <meta name|property=...> -> front matter field
    "og:title": "title", "twitter:title": "title", "author": "author", "article:author": "author",
    "og:site_name": "outlet", "publisher": "outlet", "article:published_time": "published", "date": "published",
    "pubdate": "published", "dc.date": "published", "og:url": "url"}


class _TextAndMeta(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.meta: dict[str, str] = {}
        self._skipping = 0
        self._in_title = False
        self._title: list[str] = []
        self._list_depth: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = (found.get("name") or found.get("property") or "").lower()
            if key in META_KEYS and found.get("content"):
                self.meta.setdefault(META_KEYS[key], found["content"].strip())
        elif tag == "link" and found.get("rel", "").lower() == "canonical" and found.get("href"):
            self.meta.setdefault("url", found["href"])
        elif tag == "title":
            self._in_title = True
        elif tag in SKIPPED_TAGS and tag != "head":
            self._skipping += 1
        elif tag == "time" and found.get("datetime"):
            self.meta.setdefault("published", found["datetime"])
        if tag in ("ul", "ol"):
            self._list_depth.append((tag, 0))
        if tag in BLOCK_TAGS:
            self.parts.append("\n\n" if tag not in ("li", "br", "tr") else "\n")
        if tag == "li" and self._list_depth:
            kind, count = self._list_depth[-1]
            self._list_depth[-1] = (kind, count + 1)
            self.parts.append(f"{count + 1}. " if kind == "ol" else "- ")
        if tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in SKIPPED_TAGS and tag != "head" and self._skipping:
            self._skipping -= 1
        if tag in ("ul", "ol") and self._list_depth:
            self._list_depth.pop()
        if tag in BLOCK_TAGS and tag not in ("li", "br", "tr"):
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
        elif not self._skipping:
            self.parts.append(data)

    @property
    def title(self) -> str:
        return " ".join("".join(self._title).split())


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """The visible text of an HTML page, a blank line between blocks, and the front matter its <title>,
    <meta> tags, canonical link and <time datetime> give."""
    parser = _TextAndMeta()
    parser.feed(html)
    parser.close()
    meta = dict(parser.meta)
    if parser.title:
        meta.setdefault("title", parser.title)
    return _tidy("".join(parser.parts)), meta


_MD_RULES = (
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]*(.*?)[ \t]*#*[ \t]*$", re.MULTILINE), r"\1"),   # headings
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),                                      # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),                                       # links
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),                                            # strong
    (re.compile(r"(?<![\w*])[*_](?!\s)([^*_\n]+?)(?<!\s)[*_](?![\w*])"), r"\1"),         # emphasis
    (re.compile(r"`([^`]*)`"), r"\1"),                                                   # code
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE), ""),                              # quotes
    (re.compile(r"^[ \t]*[*+][ \t]+", re.MULTILINE), "- "),                             # bullets as '- '
    (re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*\n", re.MULTILINE), ""),  # table rules
    (re.compile(r"^[ \t]*-{3,}[ \t]*$", re.MULTILINE), ""),                             # horizontal rules
)
_MD_BARE_TABLE = re.compile(  # a table written without outer pipes: its head, its rule and its rows
    r"^[^|\n]+\|[^\n]*\n[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*\n(?:[^\n]*\|[^\n]*(?:\n|$))*",
    re.MULTILINE)
_MD_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def markdown_to_text(markdown: str) -> tuple[str, dict[str, str]]:
    """Markdown as plain text (headings, emphasis, links and table rules taken out), and the front matter a
    leading `---` YAML block gives (title, author, date, outlet, url)."""
    meta: dict[str, str] = {}
    if found := _MD_FRONT_MATTER.match(markdown):
        for line in found.group(1).splitlines():
            key, _, value = line.partition(":")
            key = {"date": "published", "publisher": "outlet", "source": "outlet"}.get(key.strip().lower(),
                                                                                      key.strip().lower())
            if key in ("title", "author", "published", "outlet", "url") and value.strip():
                meta[key] = value.strip().strip("\"'")
        markdown = markdown[found.end():]
    markdown = _MD_BARE_TABLE.sub(lambda table: re.sub(r"^(?=[^\n]*\S)(?![ \t]*\|)", "| ", table.group(), flags=re.MULTILINE),
                                  markdown)
    for pattern, replacement in _MD_RULES:
        markdown = pattern.sub(replacement, markdown)
    return _tidy(markdown), meta


def _tidy(text: str) -> str:
    """Spaces collapsed within lines, at most one blank line between blocks."""
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\xa0", " ").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
