"""A built wheel carries every file the product packages hold (SQL models, audits, GX queries, report
templates, column comments), not only the editable checkout: a server installs the wheel."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from foundation.packages import LAYERS
from foundation.settings import PROJECT_ROOT


def package_files() -> set[str]:
    """Every file of the product packages, as a path relative to the project (caches left out)."""
    return {str(path.relative_to(PROJECT_ROOT)) for layer in LAYERS
            for path in (PROJECT_ROOT / layer).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts}


def test_the_wheel_holds_every_file_of_every_package(tmp_path: Path):
    project = tmp_path / "project"  # a copy, so no build/ folder is left in (or reused from) the checkout
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(PROJECT_ROOT / name, project / name)
    for layer in LAYERS:
        shutil.copytree(PROJECT_ROOT / layer, project / layer, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(tmp_path), str(project)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("cloudmart-*.whl")
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    missing = sorted(package_files() - in_wheel)
    assert not missing, f"files the wheel leaves out (add them to package-data in pyproject.toml): {missing}"
