"""Finding source files, identifying each version by its hash, and reading a document's front matter.

Layout of the sources folder:
    <source_id>.csv              one source document: `# key: value` front matter, then its figures
    reference/<table>.csv        reference data: providers, provider_groups, markets, metrics, ...
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from foundation.errors import SourceError, cut
from ingest.source_state import is_candidate, unreadable

FIGURES = "figures"
FRONT_MATTER_FIELDS = ("title", "outlet", "author", "published", "url", "citations")
REQUIRED_FRONT_MATTER = ("title", "published")


@dataclass(frozen=True)
class SourceFile:
    """One version of one source file, as found on disk."""

    path: Path
    name: str                  # path relative to the sources folder, with forward slashes
    kind: str                  # "figures" or the name of a reference table
    content_hash: str
    byte_size: int
    newline_count: int
    header_line: int           # 1-based line of the CSV header
    columns: tuple[str, ...]
    header_offset: int         # byte offset of the header line
    plain_front_matter: bool   # a CSV reader skipping the lines before the header counts them right
    front_matter: dict = field(default_factory=dict)

    @property
    def source_id(self) -> str:
        """Stable id of a source document: its file name without extension."""
        return self.path.stem


class _DatesAsText(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML's safe loader (libyaml's, ten times faster where PyYAML has it), leaving dates as text:
    cloudmart checks them itself, naming the line."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}

HEAD_BYTES = 1 << 16           # front matter and header must fit in the first 64 KB of a file
# A quote opening a field (after a comma) in a line before the header makes a CSV reader's line skipping
# swallow the line breaks that follow it.
_QUOTED_FIELD = re.compile(r',[ \t]*"')


def discover(sources_dir: Path, reference_kinds: set[str]) -> list[SourceFile]:
    """Every source file under `sources_dir`, hashed and with its header read; sorted by name.
    Anything named like a source that is not a readable regular file (a directory, a FIFO, a dangling
    link...) is an error: it is never opened, so a FIFO cannot make a refresh wait."""
    if not sources_dir.is_dir():
        raise SourceError(str(sources_dir), "sources folder not found", expected="a folder of .csv files")
    found = []
    for path in sorted(sources_dir.rglob("*.csv")):
        if not is_candidate(path, sources_dir):
            continue
        name = path.relative_to(sources_dir).as_posix()
        if reason := unreadable(path):
            raise SourceError(name, f"not a file cloudmart can read: it is {reason}",
                              expected="a regular .csv file (move anything else out of the sources folder)")
        found.append(read_source_file(path, name, _kind_of(name, reference_kinds)))
    return found


def _kind_of(name: str, reference_kinds: set[str]) -> str:
    parts = name.split("/")
    if len(parts) == 1:
        return FIGURES
    if len(parts) == 2 and parts[0] == "reference" and parts[1][:-4] in reference_kinds:
        return parts[1][:-4]
    raise SourceError(name, "unexpected file location",
                      expected="<source_id>.csv or reference/{" + ",".join(sorted(reference_kinds)) + "}.csv")


def read_source_file(path: Path, name: str, kind: str) -> SourceFile:
    """Hash a file, check it is UTF-8 text, and read what precedes its data rows: front matter
    (documents) and header."""
    digest, size, newlines, bad_byte = hashlib.sha256(), 0, 0, None
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as stream:
            head = stream.read(HEAD_BYTES)
            chunk = head
            while chunk:
                digest.update(chunk)
                if bad_byte is None:
                    bad_byte = _first_bad_byte(decoder, chunk, size)
                size += len(chunk)
                newlines += chunk.count(b"\n")
                chunk = stream.read(1 << 20)
    except OSError as error:
        raise SourceError(name, f"cannot be read ({error.strerror})", expected="a readable file") from None
    if size == 0:
        raise SourceError(name, "file is empty", line=1,
                          expected="front matter, a header row and figure rows" if kind == FIGURES
                          else "a header row and reference rows")
    if bad_byte is None:
        bad_byte = _first_bad_byte(decoder, b"", size, final=True)
    text = _cut_partial_character(head[: bad_byte if bad_byte is not None and bad_byte < len(head) else len(head)])
    lines = text.decode("utf-8-sig").split("\n")  # line breaks as the CSV reader sees them, nothing else
    front, header_index = _split_front_matter(lines)
    if bad_byte is not None:
        raise _not_utf8(path, name, bad_byte, header_index, lines)
    if header_index >= len(lines) - 1 and size > len(text):
        raise SourceError(name, f"front matter and header are longer than {HEAD_BYTES:,} bytes", line=1,
                          expected=f"front matter and header within the first {HEAD_BYTES // 1024} KB of the file")
    if header_index >= len(lines) or not lines[header_index].strip():
        raise SourceError(name, "no header row", line=header_index + 1, expected="a CSV header row")
    header = lines[header_index].removesuffix("\r")
    columns = tuple(c.strip() for c in next(csv.reader(io.StringIO(header))))
    front_matter = _parse_front_matter(front, name) if kind == FIGURES else {}
    if kind != FIGURES and front:
        raise SourceError(name, "reference files take no front matter", line=1)
    offset = (len(codecs.BOM_UTF8) * text.startswith(codecs.BOM_UTF8)
              + sum(len(line.encode()) + 1 for line in lines[:header_index]))
    plain = not front or (b"\r" not in text[:offset] and not lines[header_index].endswith("\r")
                          and not any(_QUOTED_FIELD.search(line) for line in lines[:header_index]))
    return SourceFile(path, name, kind, digest.hexdigest(), size, newlines, header_index + 1, columns, offset, plain,
                      front_matter)


def _first_bad_byte(decoder: codecs.IncrementalDecoder, chunk: bytes, offset: int, final: bool = False) -> int | None:
    """Offset in the file of the first byte that is not UTF-8, feeding `chunk` (at `offset`) to `decoder`."""
    pending = len(decoder.getstate()[0])
    try:
        decoder.decode(chunk, final)
    except UnicodeDecodeError as error:
        return offset - pending + error.start
    return None


def _cut_partial_character(head: bytes) -> bytes:
    """`head` without a multi-byte character cut by the read window at its end."""
    for back in range(1, min(4, len(head)) + 1):
        byte = head[-back]
        if byte < 0x80:
            return head
        if byte >= 0xC0:  # a lead byte: keep the character only when all its bytes are here
            length = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return head if back >= length else head[:-back]
    return head


def _not_utf8(path: Path, name: str, bad_byte: int, header_index: int, lines: list[str]) -> SourceError:
    """The error for a byte that is not UTF-8: its line and, in a data row, its field."""
    with path.open("rb") as stream:
        before = stream.read(bad_byte + 1)
    line = before.count(b"\n", 0, bad_byte) + 1
    field = None
    if line > header_index + 1 and header_index < len(lines):
        columns = next(csv.reader(io.StringIO(lines[header_index])))
        row_start = before.rfind(b"\n", 0, bad_byte) + 1
        prefix = before[row_start:bad_byte].decode("utf-8", errors="replace")
        index = max(len(next(csv.reader(io.StringIO(prefix)), [""])) - (0 if prefix.endswith(",") else 1), 0)
        field = columns[index].strip() if index < len(columns) else None
    return SourceError(name, f"byte 0x{before[-1]:02x} is not UTF-8 text", line=line, field=field,
                       expected="a file saved as UTF-8")


def _split_front_matter(lines: list[str]) -> tuple[list[str], int]:
    """The front matter's lines, without their '#' (and one space), and the index of the header line."""
    front = []
    for index, line in enumerate(lines):
        if not line.startswith("#"):
            return front, index
        front.append(line[1:].removeprefix(" ").removesuffix("\r"))
    return front, len(lines)


def _parse_front_matter(front: list[str], name: str) -> dict:
    if not front:
        raise SourceError(name, "no front matter", line=1,
                          expected="'# title: …' and '# published: YYYY-MM-DD or unknown' lines before the header")
    text = "\n".join(front)
    try:
        _check_yaml_shape(text, name)
        meta = yaml.load(text, Loader=_DatesAsText)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SourceError(name, f"front matter is not valid YAML: {cut(getattr(error, 'problem', error))}",
                          line=mark.line + 1 if mark else None) from None
    if not isinstance(meta, dict):
        raise SourceError(name, "front matter is not a set of 'key: value' lines", line=1)
    for key in meta:
        if key not in FRONT_MATTER_FIELDS:
            raise SourceError(name, f"unknown front matter field '{cut(key)}'", line=_key_line(front, key),
                              field=cut(key), expected="one of " + ", ".join(FRONT_MATTER_FIELDS))
        if key != "citations" and isinstance(meta[key], (dict, list)):
            raise SourceError(name, "front matter field holds a list or mapping", line=_key_line(front, key),
                              field=key, expected="text on the same line")
    for key in REQUIRED_FRONT_MATTER:
        if not meta.get(key):
            raise SourceError(name, "missing front matter field", line=1, field=key,
                              expected=f"a '# {key}: …' line before the header")
    if not _is_published_date(str(meta["published"])):
        raise SourceError(name, f"'{cut(meta['published'])}' is not a date", line=_key_line(front, "published"),
                          field="published", expected="YYYY-MM-DD or unknown")
    citations = meta.get("citations") or {}
    if not isinstance(citations, dict) or any(isinstance(v, (dict, list)) for v in citations.values()):
        raise SourceError(name, "citations must map a citation key to its description", field="citations",
                          line=_key_line(front, "citations"))
    meta["citations"] = {str(k): str(v) for k, v in citations.items()}
    return {k: (str(v) if k != "citations" and v is not None else v) for k, v in meta.items()}


def _check_yaml_shape(text: str, name: str) -> None:
    """Refuse YAML that front matter never needs and that can blow up when loaded: anchors and aliases
    (a kilobyte of nested aliases expands to gigabytes) and nesting deeper than the citations mapping."""
    depth = 0
    for event in yaml.parse(text, Loader=_DatesAsText):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise SourceError(name, "front matter uses a YAML anchor or alias ('&' or '*')",
                              line=event.start_mark.line + 1,
                              expected="plain 'key: value' lines, no anchors or aliases")
        depth += isinstance(event, yaml.CollectionStartEvent) - isinstance(event, yaml.CollectionEndEvent)
        if depth > 2:
            raise SourceError(name, "front matter nests lists or mappings too deeply", line=event.start_mark.line + 1,
                              expected="'key: value' lines, and 'key: description' lines under citations")


def _key_line(front: list[str], key: str) -> int:
    """1-based line of the front matter line that sets `key` (front matter starts on line 1)."""
    return next((i + 1 for i, line in enumerate(front) if line.startswith(f"{key}:")), 1)


def _is_published_date(text: str) -> bool:
    if text == "unknown":
        return True
    try:
        datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        return False
    return True
