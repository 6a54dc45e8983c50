"""The documentation pages (README.md and docs/*.md) as the tests read them: fenced blocks, links, headings."""

from __future__ import annotations

import re
import shlex
import textwrap
from dataclasses import dataclass
from pathlib import Path

from foundation.settings import PROJECT_ROOT

PAGES = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^(?P<indent> *)```(?P<info>.*)$")
LINK = re.compile(r"\[[^\]]*\]\((?P<target>[^)\s]+)\)")
HEADING = re.compile(r"^#{1,6} +(?P<title>.+?) *$")


@dataclass(frozen=True)
class Block:
    """One fenced block of a page: its info string (```sql no-run -> "sql no-run") and text."""

    page: Path
    line: int  # of the opening fence, 1-based
    info: str
    text: str

    @property
    def kind(self) -> str:
        return self.info.split()[0] if self.info.split() else ""

    @property
    def flags(self) -> list[str]:
        return self.info.split()[1:]

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(PROJECT_ROOT)}:{self.line}"


def blocks(page: Path) -> list[Block]:
    """Every fenced block of `page`, in order (a fence may be indented under a list item)."""
    found, opened, body = [], None, []
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
        fence = FENCE.match(line)
        if opened is None and fence:
            opened, body = (number, fence["indent"], fence["info"].strip()), []
        elif opened is not None and fence and fence["indent"] == opened[1] and not fence["info"].strip():
            found.append(Block(page, opened[0], opened[2], textwrap.dedent("\n".join(body)) + "\n"))
            opened = None
        elif opened is not None:
            body.append(line)
    assert opened is None, f"{page}:{opened[0]}: a fenced block is never closed"
    return found


def all_blocks() -> list[Block]:
    """The fenced blocks of every page."""
    return [block for page in PAGES for block in blocks(page)]


def python_examples(page: Path) -> list[str]:
    """The ```python blocks of `page`."""
    return [block.text for block in blocks(page) if block.kind == "python"]


def shell_commands(block: Block) -> list[list[str]]:
    """The commands of a shell block as argument lists: a `$ ` line of a console transcript, or every
    line of a sh block (a quoted argument may run over several lines); `&&`, `||`, `;` and `|` split
    a line into commands, `#` starts a comment."""
    lines = block.text.splitlines()
    if block.kind == "console":
        lines = [line[2:] for line in lines if line.startswith("$ ")]
    commands, pending = [], ""
    for line in lines:
        pending += line + "\n"
        try:
            words = shlex.split(pending, comments=True)
        except ValueError:  # a quotation still open: the argument goes on on the next line
            continue
        pending = ""
        command: list[str] = []
        for word in words + [";"]:
            if word in ("&&", "||", ";", "|"):
                if command:
                    commands.append(command)
                command = []
            else:
                command.append(word)
    assert not pending, f"{block.where}: a quotation is never closed"
    return commands


def slug(title: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """The `#anchor`s of the headings of `page` (outside fenced blocks); a repeated one gets -1, -2…"""
    found, counts = set(), {}
    for line in block_free_lines(page):
        if heading := HEADING.match(line):
            base = slug(heading["title"])
            found.add(f"{base}-{counts[base]}" if counts.get(base) else base)
            counts[base] = counts.get(base, 0) + 1
    return found


def relative_links(page: Path) -> list[str]:
    """The targets of the page's links that are neither web addresses nor e-mail, outside code."""
    text = "\n".join(block_free_lines(page))
    text = re.sub(r"`[^`\n]*`", "", text)  # code spans hold no links
    return [link["target"] for link in LINK.finditer(text) if not re.match(r"[a-z]+:", link["target"])]


def block_free_lines(page: Path) -> list[str]:
    """The lines of `page` outside fenced blocks."""
    lines, inside = [], False
    for line in page.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            inside = not inside
        elif not inside:
            lines.append(line)
    return lines
