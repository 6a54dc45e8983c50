"""Finding source files, identifying each version by its hash, and reading a document's front matter.

Layout of the sources folder:
    <source_id>.csv              one source document: `# key: value` front matter, then its figures
    reference/<table>.csv        reference data: providers, provider_groups, markets, metrics, ...
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from cloudmart.errors import SourceError
from cloudmart.source_state import is_candidate

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
    front_matter: dict = field(default_factory=dict)

    @property
    def source_id(self) -> str:
        """Stable id of a source document: its file name without extension."""
        return self.path.stem


def discover(sources_dir: Path, reference_kinds: set[str]) -> list[SourceFile]:
    """Every source file under `sources_dir`, hashed and with its header read; sorted by name."""
    if not sources_dir.is_dir():
        raise SourceError(str(sources_dir), "sources folder not found", expected="a folder of .csv files")
    found = []
    for path in sorted(sources_dir.rglob("*.csv")):
        if not is_candidate(path, sources_dir):
            continue
        name = path.relative_to(sources_dir).as_posix()
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
    """Hash a file and read what precedes its data rows: front matter (documents) and header."""
    digest, size, newlines = hashlib.sha256(), 0, 0
    with path.open("rb") as stream:
        head = stream.read(1 << 16)
        chunk = head
        while chunk:
            digest.update(chunk)
            size += len(chunk)
            newlines += chunk.count(b"\n")
            chunk = stream.read(1 << 20)
    lines = _decode(head, name).splitlines()
    front, header_index = _split_front_matter(lines, name)
    if header_index >= len(lines) or not lines[header_index].strip():
        raise SourceError(name, "no header row", line=header_index + 1, expected="a CSV header row")
    columns = tuple(c.strip() for c in next(csv.reader(io.StringIO(lines[header_index]))))
    front_matter = _parse_front_matter(front, name) if kind == FIGURES else {}
    if kind != FIGURES and front:
        raise SourceError(name, "reference files take no front matter", line=1)
    return SourceFile(path, name, kind, digest.hexdigest(), size, newlines, header_index + 1, columns, front_matter)


def _decode(head: bytes, name: str) -> str:
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start > len(head) - 4:   # a multi-byte character cut by the read window
            return head[: error.start].decode("utf-8-sig")
        line = head[: error.start].count(b"\n") + 1
        raise SourceError(name, "file is not UTF-8 text", line=line, expected="UTF-8") from None


def _split_front_matter(lines: list[str], name: str) -> tuple[list[str], int]:
    front = []
    for index, line in enumerate(lines):
        if not line.startswith("#"):
            return front, index
        front.append(line[1:].removeprefix(" "))
    return front, len(lines)


def _parse_front_matter(front: list[str], name: str) -> dict:
    if not front:
        raise SourceError(name, "no front matter", line=1,
                          expected="'# title: …' and '# published: YYYY-MM-DD or unknown' lines before the header")
    try:
        meta = yaml.safe_load("\n".join(front))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SourceError(name, f"front matter is not valid YAML: {getattr(error, 'problem', error)}",
                          line=mark.line + 1 if mark else None) from None
    if not isinstance(meta, dict):
        raise SourceError(name, "front matter is not a set of 'key: value' lines", line=1)
    for key in meta:
        if key not in FRONT_MATTER_FIELDS:
            raise SourceError(name, f"unknown front matter field '{key}'", field=str(key),
                              expected="one of " + ", ".join(FRONT_MATTER_FIELDS))
    for key in REQUIRED_FRONT_MATTER:
        if not meta.get(key):
            raise SourceError(name, "missing front matter field", field=key)
    citations = meta.get("citations") or {}
    if not isinstance(citations, dict):
        raise SourceError(name, "citations must map a citation key to its description", field="citations")
    meta["citations"] = {str(k): str(v) for k, v in citations.items()}
    return {k: (str(v) if k != "citations" and v is not None else v) for k, v in meta.items()}
