"""Helpers shared by the tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

from cloudmart.refresh import RefreshOutcome, run_refresh
from cloudmart.settings import Settings


def refresh_ok(settings: Settings) -> RefreshOutcome:
    """Run a refresh that must succeed."""
    outcome = run_refresh(settings)
    assert outcome.success, outcome.errors
    return outcome


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def edit_source(settings: Settings, name: str, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in a source file."""
    path = settings.sources_dir / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
