"""What a refresh's result depends on, as one key: the source file versions and cloudmart's own code.

Two refreshes with the same key publish the same warehouse, so `cloudmart refresh` skips a refresh
whose key equals the last published one (`--force` rebuilds anyway).
"""

from __future__ import annotations

import hashlib

from foundation.packages import LAYERS
from foundation.settings import PROJECT_ROOT

CODE_SUFFIXES = (".py", ".sql", ".yml", ".j2")


def code_hash() -> str:
    """SHA-256 over every code, SQL and YAML file of cloudmart's packages."""
    digest = hashlib.sha256()
    for folder in LAYERS:
        for path in sorted((PROJECT_ROOT / folder).rglob("*")):
            if path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def inputs_key(sources: dict[str, str]) -> str:
    """One key for {source file name: content hash} together with the code that refreshes them."""
    digest = hashlib.sha256(code_hash().encode())
    for name in sorted(sources):
        digest.update(f"{name}\0{sources[name]}\n".encode())
    return digest.hexdigest()
