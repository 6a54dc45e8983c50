"""Smoke test of the benchmark suite: the generator's files pass a real refresh and the benchmark prints
its table at the smallest scale (benchmarks/run --scales 1e3 --quick)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from foundation.settings import PROJECT_ROOT
from warehouse.raw import REFERENCE_KINDS

BENCHMARKS = PROJECT_ROOT / "benchmarks"


def test_generator_writes_valid_sources_and_plants_violations(tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(BENCHMARKS))
    manifest = generate(tmp_path / "sources", 1000, violations=6)
    assert manifest["figure_rows"] == 1000 + 2 + 2 * 2 + 2   # kinds cycle; the sum kind plants two rows
    assert manifest["expected_failures"]["market_shares_are_valid"]["share_within_0_100"] == 2
    files = sorted((tmp_path / "sources").glob("*.csv"))
    assert len(files) == manifest["sources"]
    assert {p.name for p in (tmp_path / "sources" / "reference").glob("*.csv")} == {
        f"{kind}.csv" for kind in REFERENCE_KINDS}
    text = files[0].read_text(encoding="utf-8")
    assert text.startswith("# title: ") and "\nentity,metric,market,period,value,magnitude,unit,qualifier,citation,note\n" in text


def test_benchmark_prints_table_at_1e3(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(BENCHMARKS / "run"), "--scales", "1e3", "--quick",
                           "--workdir", str(tmp_path), "--json", str(tmp_path / "results.json")],
                          capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    header = next(line for line in proc.stdout.splitlines() if line.startswith("| scale"))
    assert "total/floor" in header and "peak MB" in header
    row = next(line for line in proc.stdout.splitlines() if line.startswith("|   1e3") or line.startswith("| 1e3"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    ratio = cells[header.strip("|").split("|").index(" total/floor ")]
    assert re.fullmatch(r"\d+(\.\d+)?", ratio) and float(ratio) > 0
    assert cells[-1] == "yes"
    result = json.loads((tmp_path / "results.json").read_text())["scales"][0]
    assert result["floor"]["figure_rows"] == result["refresh"]["figure_rows"] == 1000
