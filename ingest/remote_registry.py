"""The registry of remote sources: figure sheets a refresh fetches from a URL instead of the sources folder.

`sources/registry.yaml`:

    sources:
      - id: partner-market-figures           # becomes the source id, like a file's name without .csv
        url: https://files.example.com/figures.csv
        headers:                              # optional: header name -> NAME of the environment variable
          Authorization: CLOUDMART_PARTNER_TOKEN   # holding its value (never the value itself)
        timeout_seconds: 30                   # optional, per request
        retries: 3                            # optional, extra attempts after a failed one
        max_bytes: 10000000                   # optional, larger bodies are refused
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from foundation.errors import SourceError

REGISTRY_NAME = "registry.yaml"
ENTRY_FIELDS = ("id", "url", "headers", "timeout_seconds", "retries", "max_bytes")
SOURCE_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


@dataclass(frozen=True)
class RemoteSource:
    """One figure sheet published at a URL."""

    source_id: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)  # header name -> environment variable name
    timeout_seconds: float = 30.0
    retries: int = 3
    max_bytes: int = 50_000_000

    @property
    def file_name(self) -> str:
        """Its name in the raw layer, as if it were `<source_id>.csv` in the sources folder."""
        return f"{self.source_id}.csv"


def load_registry(sources_dir: Path) -> list[RemoteSource]:
    """The remote sources named in `sources_dir/registry.yaml` (none when there is no registry)."""
    path = sources_dir / REGISTRY_NAME
    if not path.exists():
        return []
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SourceError(REGISTRY_NAME, f"not valid YAML: {getattr(error, 'problem', error)}",
                          line=mark.line + 1 if mark else None) from None
    if not isinstance(document, dict) or set(document) - {"sources"} or not isinstance(
            document.get("sources", []), list):
        raise SourceError(REGISTRY_NAME, "unexpected layout", expected="'sources:' followed by a list of entries")
    found = [_entry(raw, index) for index, raw in enumerate(document.get("sources") or [])]
    _check_unique(found, sources_dir)
    return found


def _entry(raw: object, index: int) -> RemoteSource:
    where = f"sources[{index}]"
    if not isinstance(raw, dict):
        raise SourceError(REGISTRY_NAME, f"entry {index + 1} is not a mapping", field=where,
                          expected="id, url and optional headers, timeout_seconds, retries, max_bytes")
    name = f"{where} ({raw.get('id')})" if raw.get("id") else where

    def fail(field_name: str, problem: str, expected: str) -> SourceError:
        return SourceError(REGISTRY_NAME, f"entry {name}: {problem}", field=field_name, expected=expected)

    for key in raw:
        if key not in ENTRY_FIELDS:
            raise fail(str(key), "unknown field", "one of " + ", ".join(ENTRY_FIELDS))
    source_id = raw.get("id")
    if not isinstance(source_id, str) or not SOURCE_ID.fullmatch(source_id):
        raise fail("id", f"bad id {source_id!r}", "lower-case letters, digits, '.', '_' or '-'")
    url = raw.get("url")
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise fail("url", "not an http(s) URL", "http://host/... or https://host/...")
    if parts.username or parts.password:
        raise fail("url", "the URL carries credentials", "credentials in a header read from an environment variable")
    headers = raw.get("headers") or {}
    if not isinstance(headers, dict):
        raise fail("headers", "not a mapping", "Header-Name: ENVIRONMENT_VARIABLE_NAME")
    for header, variable in headers.items():
        if not isinstance(header, str) or not HEADER_NAME.fullmatch(header):
            raise fail("headers", f"bad header name {header!r}", "an HTTP header name")
        if not isinstance(variable, str) or not ENV_NAME.fullmatch(variable):
            raise fail(f"headers.{header}", "not an environment variable name",
                       "the NAME of an environment variable holding the value, never the value")
    return RemoteSource(source_id, url, dict(headers),
                        timeout_seconds=_number(raw, "timeout_seconds", 30.0, fail),
                        retries=int(_number(raw, "retries", 3, fail, whole=True)),
                        max_bytes=int(_number(raw, "max_bytes", 50_000_000, fail, whole=True)))


def _number(raw: dict, key: str, default: float, fail, whole: bool = False) -> float:
    value = raw.get(key, default)
    kinds = (int,) if whole else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds) or value < (0 if key == "retries" else 1e-9):
        raise fail(key, f"bad value {value!r}", "a whole number" if whole else "a positive number of seconds")
    return value


def _check_unique(found: list[RemoteSource], sources_dir: Path) -> None:
    seen = set()
    for source in found:
        if source.source_id in seen:
            raise SourceError(REGISTRY_NAME, f"id '{source.source_id}' is registered twice", field="id")
        if (sources_dir / source.file_name).exists():
            raise SourceError(REGISTRY_NAME, f"id '{source.source_id}' is also a file in the sources folder",
                              field="id", expected="one id per source")
        seen.add(source.source_id)
