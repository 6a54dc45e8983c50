"""Every example of README.md and docs/*.md works, and every relative link in them resolves.

How a fenced block's info string decides what is done with it:
- `sql`: every statement runs on a warehouse built by a real refresh of the seed sources; a query on
  `core` or `marts` must return rows;
- `python`: runs in the folder that holds the data directory;
- `sh`, `console` (its `$ ` lines): every `cloudmart …` command is parsed by the real command line
  (`cloudmart.cli.parse_command_line`), every other program must exist; a `text output` block right
  after a sh block of one command is what that command prints: the command runs and must print it;
- `json`, `yaml`: parsed (a `sources:` registry by cloudmart's own loader);
- `text`, and any block with the flag `no-run` (```sql no-run): not run, reported as skipped.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from cloudmart.cli import parse_command_line
from foundation.settings import PROJECT_ROOT, Settings
from tests.doc_pages import PAGES, Block, all_blocks, anchors, block_free_lines, blocks, relative_links, shell_commands
from tests.support import installation_env

BLOCKS = all_blocks()
NOT_RUN = {"text"}
SHELL_BUILTINS = {"export", "cd"}


def block_id(block: Block) -> str:
    return f"{block.where} {block.info}"


def output_of(block: Block) -> Block | None:
    """The `text output` block that directly follows `block` on its page, if any."""
    page = blocks(block.page)
    following = page[page.index(block) + 1:]
    if following and following[0].info == "text output":
        end = block.line + len(block.text.splitlines()) + 1  # the closing fence
        return following[0] if following[0].line == end + 1 else None
    return None


def run_sql(warehouse: Path, block: Block) -> None:
    """Run each statement of a sql block on the published warehouse, opened read-only."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for statement in (s.strip() for s in block.text.split(";")):
            if statement:
                rows = con.execute(statement).fetchall()
                if re.search(r"\b(core|marts)\.", statement):
                    assert rows, f"{block.where}: a query on figures returns no rows: {statement}"
    finally:
        con.close()


def check_command(block: Block, words: list[str]) -> None:
    """A `cloudmart` command must parse with the real command line; another program must exist."""
    program = words[0]
    if Path(program).name == "cloudmart":
        said = io.StringIO()
        try:
            with contextlib.redirect_stderr(said):
                parse_command_line(words[1:])
        except SystemExit:
            pytest.fail(f"{block.where}: `{' '.join(words)}` is refused: {said.getvalue().strip()}")
    elif program in SHELL_BUILTINS:
        pass
    elif "/" in program:
        assert os.access(PROJECT_ROOT / program, os.X_OK), f"{block.where}: {program} is not an executable here"
        if Path(program).name.startswith("python"):
            assert (PROJECT_ROOT / words[1]).is_file(), f"{block.where}: {words[1]} does not exist"
    else:
        assert shutil.which(program), f"{block.where}: no program {program}"


def run_and_compare(settings: Settings, block: Block, output: Block) -> None:
    """Run the one command of `block` on the refreshed installation; it must print `output`."""
    [words] = shell_commands(block)
    env = installation_env(settings)
    program = Path(sys.executable).with_name(Path(words[0]).name)
    done = subprocess.run([str(program), *words[1:]], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{block.where}: {done.stderr}"
    shown = [line.rstrip() for line in output.text.strip().splitlines()]
    printed = [line.rstrip() for line in done.stdout.strip().splitlines()]
    assert printed == shown, f"{block.where}: the page shows\n" + "\n".join(shown) + "\nbut it prints\n" + \
        "\n".join(printed)


@pytest.mark.parametrize("block", BLOCKS, ids=block_id)
def test_every_example_works(block: Block, request: pytest.FixtureRequest):
    if block.info == "text output":
        pytest.skip(f"{block.where}: the output of the command above it, compared by that block's test")
    if block.kind in NOT_RUN or "no-run" in block.flags:
        pytest.skip(f"{block.where}: a ```{block.info} block is not run")
    if block.kind == "sql":
        run_sql(request.getfixturevalue("refreshed").warehouse_path, block)
    elif block.kind == "python":
        refreshed = request.getfixturevalue("refreshed")
        run = subprocess.run([sys.executable, "-c", block.text], cwd=refreshed.data_dir.parent,
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, f"{block.where}: {run.stderr}"
    elif block.kind in ("sh", "console"):
        commands = shell_commands(block)
        assert commands, f"{block.where}: a shell block without a command"
        for words in commands:
            check_command(block, words)
        if (output := output_of(block)) is not None:
            run_and_compare(request.getfixturevalue("refreshed"), block, output)
    elif block.kind == "json":
        json.loads(block.text)
    elif block.kind == "yaml":
        check_yaml(block, request.getfixturevalue("tmp_path"))
    else:
        pytest.fail(f"{block.where}: a block of unknown kind {block.info!r}: give it sql, python, sh, console, "
                    "json, yaml or text (or the flag no-run)")


def check_yaml(block: Block, folder: Path) -> None:
    """A YAML block parses; a remote-source registry loads with cloudmart's own loader."""
    parsed = yaml.safe_load(block.text)
    if isinstance(parsed, dict) and "sources" in parsed:
        from ingest.remote_registry import load_registry

        (folder / "registry.yaml").write_text(block.text, encoding="utf-8")
        loaded = [(source.source_id, source.url) for source in load_registry(folder)]
        assert loaded == [(entry["id"], entry["url"]) for entry in parsed["sources"]]


def test_a_text_output_block_follows_a_command():
    """A `text output` block must sit right after the sh block whose output it is, else it is never compared."""
    compared = [output_of(block) for block in BLOCKS if block.kind == "sh"]
    outputs = [block for block in BLOCKS if block.info == "text output"]
    assert outputs and all(block in compared for block in outputs), [b.where for b in outputs if b not in compared]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(PROJECT_ROOT)))
def test_every_relative_link_resolves(page: Path):
    for target in relative_links(page):
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{page.name}: link to {target}: no file {linked}"
        if anchor:
            assert anchor in anchors(linked), f"{page.name}: link to {target}: no heading #{anchor} in {linked.name}"


def test_every_guide_is_in_the_readme_map():
    readme = PROJECT_ROOT / "README.md"
    linked = {(readme.parent / target.partition("#")[0]).resolve() for target in relative_links(readme)}
    assert set(PAGES[1:]) <= linked, sorted(p.name for p in set(PAGES[1:]) - linked)


def test_the_readme_test_command_is_what_ci_runs():
    """The README's two commands stay at its top; `.ci/run` ends with the test command byte for byte."""
    first = blocks(PROJECT_ROOT / "README.md")[0]
    commands = [line.split("#")[0].strip() for line in first.text.splitlines()]
    assert commands == ["./bootstrap.sh && .venv/bin/cloudmart refresh", "./bootstrap.sh && .venv/bin/pytest -n 2 --dist loadfile"]
    assert (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()[-1] == commands[1]


def test_the_marts_contract_lists_every_column(refreshed: Settings):
    """The marts table of docs/warehouse.md names exactly the columns each mart has."""
    documented = {}
    for line in block_free_lines(PROJECT_ROOT / "docs" / "warehouse.md"):
        if cells := re.match(r"\| `marts\.(\w+)` \|[^|]*\|(.*)\|$", line):
            without_notes = re.sub(r"\([^()]*(\([^()]*\)[^()]*)*\)", "", cells[2])  # "(sum of …)" notes
            documented[cells[1]] = set(re.findall(r"`(\w+)`", without_notes))
    con = duckdb.connect(str(refreshed.warehouse_path), read_only=True)
    try:
        actual = {table: set(columns) for table, columns in con.execute(
            "SELECT table_name, list(column_name) FROM information_schema.columns WHERE table_schema = 'marts' "
            "GROUP BY table_name").fetchall()}
    finally:
        con.close()
    assert documented == actual


def test_every_setting_is_documented():
    """Every CLOUDMART_ environment variable the product reads is in docs/operating.md's settings table."""
    packages = [folder for folder in PROJECT_ROOT.iterdir() if (folder / "__init__.py").exists() and folder.name != "tests"]
    code = [path for package in packages for path in package.rglob("*.py")]
    read = {name for path in code for name in re.findall(r"\"(CLOUDMART_[A-Z_]+)\"", path.read_text(encoding="utf-8"))}
    table = "\n".join(line for line in block_free_lines(PROJECT_ROOT / "docs" / "operating.md") if line.startswith("| `"))
    assert read and read <= set(re.findall(r"`(CLOUDMART_[A-Z_]+)`", table)), sorted(read)


def test_the_benchmark_times_the_example_queries(monkeypatch: pytest.MonkeyPatch):
    """benchmarks/run times docs/warehouse.md's example queries: the same text, not a copy that drifts."""
    monkeypatch.setenv("CLOUDMART_BENCH_NO_REEXEC", "1")
    monkeypatch.setattr(sys, "path", list(sys.path))  # the script puts its folders on sys.path
    timed = runpy.run_path(str(PROJECT_ROOT / "benchmarks" / "run"), run_name="benchmark")["QUERIES"]
    shown = [words[2] for block in blocks(PROJECT_ROOT / "docs" / "warehouse.md") if output_of(block)
             for words in shell_commands(block)]
    assert sorted(timed.values()) == sorted(shown)
