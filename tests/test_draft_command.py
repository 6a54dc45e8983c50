"""`cloudmart draft`: a real process drafting real article files into a private sources folder; the draft
checked by the refresh's own figure rules, ignored by the real sensor and the real refresh until it is moved."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from extraction.document import read_document
from extraction.draft_file import COLUMNS
from foundation.settings import PROJECT_ROOT, Settings
from tests.support import installation_env, refresh_ok
from tests.test_scheduling import settle, tick
from transforms.probe import sheet_validator
from warehouse.raw import figure_columns

ARTICLES = PROJECT_ROOT / "tests" / "articles"


def draft(settings: Settings, article: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = installation_env(settings)
    return subprocess.run([sys.executable, "-m", "cloudmart.cli", "draft", article], env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def drafted_files(settings: Settings, done: subprocess.CompletedProcess) -> tuple[Path, Path]:
    draft_path = Path(re.search(r"draft:\s+(\S+)", done.stdout).group(1))
    page_path = Path(re.search(r"review page:\s+(\S+)", done.stdout).group(1))
    assert draft_path.parent == settings.sources_dir / "drafts" and page_path.parent == settings.data_dir / "drafts"
    return draft_path, page_path


def accept_reference_rows(settings: Settings, draft_path: Path) -> None:
    """Append the printed block of reference rows to the reference files, as a reviewer accepting it would."""
    block = draft_path.with_name(draft_path.stem + ".reference.txt")
    target = None
    for line in block.read_text(encoding="utf-8").splitlines() if block.exists() else []:
        if line.startswith("# append to sources/reference/"):
            target = settings.sources_dir / "reference" / line.rsplit("/", 1)[1]
        else:
            with target.open("a", encoding="utf-8") as stream:
                stream.write(line + "\n")


def test_the_draft_format_is_the_source_format():
    assert list(COLUMNS) == figure_columns()


@pytest.mark.parametrize("article", ["hyperscaler-league-q3.txt", "china-cloud-first-half.md",
                                     "telecom-clouds-2024.html", "sovereign-cloud-europe.txt"])
def test_a_draft_passes_the_refresh_rules_once_its_reference_rows_are_accepted(settings: Settings, article: str):
    done = draft(settings, str(ARTICLES / article))
    assert done.returncode == 0, done.stderr
    answer = list(csv.DictReader((ARTICLES / article).with_suffix(".answer.csv").open(encoding="utf-8")))
    assert re.search(rf"^Drafted {len(answer)} figures, \d+ to review", done.stdout, re.MULTILINE)
    draft_path, page_path = drafted_files(settings, done)
    accept_reference_rows(settings, draft_path)
    sheet = sheet_validator(settings.sources_dir)(draft_path, draft_path.name)  # raises on any rule broken
    assert sheet.front_matter["title"] != "unknown"
    words = re.findall(r"[A-Za-z']+", read_document(ARTICLES / article).body)  # the title is bibliographic
    phrases = {" ".join(words[i:i + 6]) for i in range(len(words) - 5)}
    drafted_words = " ".join(re.findall(r"[A-Za-z']+", draft_path.read_text(encoding="utf-8")))
    assert not [p for p in phrases if p in drafted_words], "a phrase of the article reached the draft"
    assert not list(settings.sources_dir.rglob("*.html"))


def test_the_review_page_links_each_figure_and_its_row_both_ways(settings: Settings):
    done = draft(settings, str(ARTICLES / "hyperscaler-league-q3.txt"))
    draft_path, page_path = drafted_files(settings, done)
    page = page_path.read_text(encoding="utf-8")
    lines = draft_path.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("entity,"))
    rows = [i + 1 for i in range(header + 1, len(lines))]
    assert rows and sorted(int(n) for n in re.findall(r'<tr id="row-(\d+)">', page)) == rows
    for line in rows:
        assert f'href="#fig-{line}-1"' in page and re.search(rf'<mark id="fig-{line}-1"[^>]*><a href="#row-{line}">',
                                                             page)
    assert '<mark id="fig-' in page and 'class="review"' in page  # Oracle is unknown: marked for review
    assert "$107 billion" in page


def test_stdin_unknown_names_print_reference_rows(settings: Settings):
    done = draft(settings, "-", stdin="Title: Stdin article\n\nOracle held 3% of the global cloud market in 2025.\n")
    assert done.returncode == 0, done.stderr
    assert "Drafted 1 figures, 1 to review" in done.stdout
    assert "# append to sources/reference/providers.csv" in done.stdout and "Oracle,,,unclassified" in done.stdout
    assert (settings.sources_dir / "drafts" / "stdin-article.reference.txt").exists()


def test_an_article_that_cannot_be_read_is_one_line_exit_2(settings: Settings):
    done = draft(settings, str(settings.sources_dir / "missing.txt"))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "missing.txt: cannot be read" in done.stderr


def test_the_sensor_ignores_drafts_until_one_is_moved_into_sources(settings: Settings):
    settle(settings)
    _, _, cursor = tick(settings, None)
    done = draft(settings, str(ARTICLES / "ai-capex-race.txt"))
    draft_path, _ = drafted_files(settings, done)
    settle(settings)
    requests, skipped, cursor = tick(settings, cursor)
    assert (requests, skipped) == ([], "no source file changed")
    shutil.move(draft_path, settings.sources_dir / draft_path.name)
    settle(settings)
    requests, _, _ = tick(settings, cursor)
    assert len(requests) == 1


def test_draft_move_refresh_publishes_the_articles_figures(settings: Settings):
    (settings.sources_dir / "drafts").mkdir()
    (settings.sources_dir / "drafts" / "half-reviewed.csv").write_text("not,a\nsource file\n", encoding="utf-8")
    refresh_ok(settings)  # a draft, even a broken one, is never loaded
    done = draft(settings, str(ARTICLES / "hyperscaler-league-q3.txt"))
    draft_path, _ = drafted_files(settings, done)
    accept_reference_rows(settings, draft_path)
    moved = settings.sources_dir / draft_path.name
    shutil.move(draft_path, moved)
    refresh_ok(settings)
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        published = con.execute("SELECT entity_name, metric, market_name, period_label, value FROM marts.figures "
                                "WHERE source_id = ? ORDER BY ALL", [moved.stem]).fetchall()
    finally:
        con.close()
    assert len(published) == 9
    assert ("Oracle", "market_share", "Global cloud infrastructure services", "2025-Q3", 3.0) in published
    assert (None, "market_spend", "Global cloud infrastructure services", "2025-Q3", 107e9) in published


def test_an_alias_for_a_name_the_reference_data_lacks_fails_the_refresh(settings: Settings):
    with (settings.sources_dir / "reference" / "aliases.csv").open("a", encoding="utf-8") as stream:
        stream.write("entity,Oracle Cloud,OCI\n")
    lines = (settings.sources_dir / "reference" / "aliases.csv").read_text(encoding="utf-8").count("\n")
    done = subprocess.run([sys.executable, "-m", "cloudmart.cli", "refresh"], capture_output=True, text=True,
                          timeout=600, env=installation_env(settings))
    assert done.returncode == 1
    assert f"reference/aliases.csv | {lines} | name | Oracle Cloud | a provider or provider group listed in" \
        in done.stdout + done.stderr
