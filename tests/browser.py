"""Headless Chromium for the tests: load a page from disk, collect its console messages, screenshot it."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image

# Debian's `chromium` package (.ci/run installs it). Everything that would reach the network is off.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-default-apps", "--no-first-run",
                  "--disable-quic", "--enable-logging=stderr", "--v=0"]


def chromium() -> str:
    """The chromium executable; the test is skipped where it is not installed."""
    found = shutil.which("chromium")
    if found is None:
        pytest.skip("chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    return found


def load_page(page: Path, screenshot: Path, height: int = 2400) -> list[str]:
    """Open `page` from disk, save a 1280-pixel-wide screenshot, return the page's console messages
    (Chromium logs each one, errors and uncaught exceptions included, as an INFO:CONSOLE line)."""
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                               f"--screenshot={screenshot}", f"--window-size=1280,{height}", page.as_uri()],
                              capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert screenshot.exists(), done.stderr
    return [line for line in done.stderr.splitlines() if ":CONSOLE" in line]


def ink(screenshot: Path) -> tuple[int, float]:
    """How much a screenshot shows: its number of distinct colours and the share of non-white pixels."""
    with Image.open(screenshot) as image:
        pixels = image.convert("RGB")
        colours = pixels.getcolors(maxcolors=1 << 24)
        white = next((count for count, colour in colours if colour == (255, 255, 255)), 0)
        return len(colours), 1 - white / (pixels.width * pixels.height)
