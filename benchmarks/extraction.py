#!/usr/bin/env python3
"""How well `cloudmart draft` reads articles: precision and recall of the drafted figures against answer files.

    .venv/bin/python benchmarks/extraction.py                              # the test articles of the repo
    .venv/bin/python benchmarks/extraction.py --seeds /work/shared/seeds   # and the seed articles
    .venv/bin/python benchmarks/extraction.py --articles DIR --misses      # another folder, each miss listed

A figure is its identity: entity, metric, market, period (its label, which fixes its bounds), value with its
magnitude applied, unit or currency, and qualifier; citations and notes are not scored. The own articles
are tests/articles/<name>.{txt,md,html} with tests/articles/<name>.answer.csv (figure rows only), or the
same layout in the folder given with --articles. A seed
article's answer is the file of sources/ whose front matter has the article's title. It also times the
drafting of a 2,000-word text (the own articles repeated)."""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extraction.document import read_document  # noqa: E402
from extraction.names import load_reference  # noqa: E402
from extraction.rows import extract_figures  # noqa: E402
from ingest.source_files import discover  # noqa: E402
from warehouse.raw import REFERENCE_KINDS  # noqa: E402

ARTICLES = ROOT / "tests" / "articles"
ARTICLE_SUFFIXES = (".txt", ".md", ".html")
POWERS = {"": 0, "thousand": 3, "million": 6, "billion": 9, "trillion": 12}


def identity(row: dict) -> tuple:
    """What a figure is, for scoring."""
    value = Decimal(row["value"]) * Decimal(10) ** POWERS[(row.get("magnitude") or "").strip().lower()]
    return (row["entity"].strip(), row["metric"].strip(), row["market"].strip(), row["period"].strip(),
            value.normalize(), row["unit"].strip(), row["qualifier"].strip())


def read_answer(path: Path) -> set[tuple]:
    """The figures of an answer file (or a source file: its front matter is skipped)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return {identity(row) for row in csv.DictReader(lines)}


def drafted(path: Path, reference) -> set[tuple]:
    """The figures `cloudmart draft` finds in the article at `path`."""
    extraction = extract_figures(read_document(path), reference)
    return {identity(vars(f)) for f in extraction.figures}


def cases(seeds: Path | None, articles: Path = ARTICLES) -> list[tuple[str, Path, Path]]:
    """(name, article, answer) for the articles of `articles` and, with `seeds`, the seed articles."""
    found = [(p.name, p, p.with_name(p.name.rsplit(".", 1)[0] + ".answer.csv"))
             for p in sorted(articles.iterdir()) if p.suffix in ARTICLE_SUFFIXES]
    if seeds is not None:
        by_title = {s.front_matter.get("title"): s.path
                    for s in discover(ROOT / "sources", REFERENCE_KINDS) if s.kind == "figures"}
        for path in sorted(seeds.iterdir()):
            title = read_document(path).title
            if title in by_title:
                found.append((f"seed {path.name}", path, by_title[title]))
    return found


def score(seeds: Path | None, articles: Path = ARTICLES) -> list[tuple[str, int, int, int, float]]:
    """(name, answers, drafted, correct, seconds) per article."""
    return [(name, len(expected), len(got), len(got & expected), seconds)
            for name, expected, got, seconds in compare(seeds, articles)]


def compare(seeds: Path | None, articles: Path = ARTICLES) -> list[tuple[str, set[tuple], set[tuple], float]]:
    """(name, figures of the answer, figures drafted, seconds to draft) per article."""
    reference = load_reference(ROOT / "sources" / "reference")
    results = []
    for name, article, answer in cases(seeds, articles):
        started = time.perf_counter()
        got = drafted(article, reference)
        results.append((name, read_answer(answer), got, time.perf_counter() - started))
    return results


def time_long_article(words: int = 2000) -> tuple[int, float]:
    """(words, seconds) to draft a text of at least `words` words made of the own articles."""
    reference = load_reference(ROOT / "sources" / "reference")
    bodies = [read_document(p).body for p in sorted(ARTICLES.iterdir()) if p.suffix in ARTICLE_SUFFIXES]
    text, articles = "", itertools.cycle(bodies)
    while len(text.split()) < words:  # whole articles, one after another, until the text is long enough
        text += next(articles) + "\n\n"
    started = time.perf_counter()
    extract_figures(read_document(None, "Title: long\n\n" + text), reference)
    return len(text.split()), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, help="a folder of seed articles, scored against sources/")
    parser.add_argument("--articles", type=Path, default=ARTICLES,
                        help="a folder of articles with <name>.answer.csv beside each (default tests/articles)")
    parser.add_argument("--misses", action="store_true", help="list the figures missed and drafted in excess")
    args = parser.parse_args()
    compared = compare(args.seeds, args.articles)
    print(f"{'article':44} {'answers':>7} {'drafted':>7} {'correct':>7} {'precision':>9} {'recall':>7} {'seconds':>7}")
    for name, expected_set, got_set, seconds in compared:
        expected, got, correct = len(expected_set), len(got_set), len(expected_set & got_set)
        print(f"{name:44} {expected:7} {got:7} {correct:7} {_pct(correct, got):>9} {_pct(correct, expected):>7} "
              f"{seconds:7.3f}")
        if args.misses:
            for label, figures in (("missed", expected_set - got_set), ("extra", got_set - expected_set)):
                for figure in sorted(figures, key=str):
                    print(f"  {label}: " + ",".join(format(v, "f") if isinstance(v, Decimal) else v for v in figure))
    results = [(len(e), len(g), len(e & g)) for _, e, g, _ in compared]
    expected, got, correct = (sum(r[i] for r in results) for i in (0, 1, 2))
    print(f"{'overall':44} {expected:7} {got:7} {correct:7} {_pct(correct, got):>9} {_pct(correct, expected):>7}")
    words, seconds = time_long_article()
    print(f"drafting a {words:,}-word text: {seconds:.2f} s")


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


if __name__ == "__main__":
    main()
