"""Fixtures: a private copy of the project's sources and a temp data directory per test."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from foundation.settings import PROJECT_ROOT, Settings
from tests.support import refresh_ok

PROJECT_SOURCES = PROJECT_ROOT / "sources"
pytest_plugins = ["tests.pg_fixture"]  # the throwaway PostgreSQL server and its fixtures
EXIT_STATUS = pytest.StashKey[int]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--full-soak", action="store_true",
                     help="run the soak tests at their full counts (the crash test's 24 kills, the readers' 20 "
                          "publishes) instead of the quick ones, which still cover every stage")


@pytest.fixture(scope="session")
def full_soak(request: pytest.FixtureRequest) -> bool:
    """Whether the soak tests run at their full counts (`pytest --full-soak`)."""
    return request.config.getoption("--full-soak")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config.stash[EXIT_STATUS] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave without interpreter teardown, as the `cloudmart` command does: with DuckDB 2.0 and GX
    loaded, teardown makes DuckDB's nanobind bindings print hundreds of harmless "leaked" lines after
    pytest's summary. Everything is reported and written by now."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(config.stash.get(EXIT_STATUS, 0))


def fresh_settings(folder: Path) -> Settings:
    """Settings for a copy of the project's sources and an empty data directory under `folder`."""
    shutil.copytree(PROJECT_SOURCES, folder / "sources")
    return Settings(data_dir=folder / "data", sources_dir=folder / "sources")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A private installation for one test: sources it may edit, an empty data directory."""
    return fresh_settings(tmp_path)


@pytest.fixture(scope="session")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """An installation refreshed once per test session from the seed sources, shared by every test that
    only reads it (a test that changes anything works on a copy: `published`)."""
    settings = fresh_settings(tmp_path_factory.mktemp("refreshed"))
    refresh_ok(settings)
    return settings


@pytest.fixture
def published(refreshed: Settings, tmp_path: Path) -> Settings:
    """A private installation whose warehouse is already published (a copy of `refreshed`)."""
    settings = fresh_settings(tmp_path)
    shutil.copytree(refreshed.data_dir, settings.data_dir)
    return settings
