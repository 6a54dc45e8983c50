"""The quality bar on the repository's own test articles (tests/articles, written for these tests), scored by
benchmarks/extraction.py as `cloudmart draft` reads them; and the time to draft a 2,000-word text."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from foundation.settings import PROJECT_ROOT

BENCHMARK = PROJECT_ROOT / "benchmarks" / "extraction.py"
_spec = importlib.util.spec_from_file_location("extraction_benchmark", BENCHMARK)
benchmark = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(benchmark)


def test_own_articles_meet_the_bar_each_and_overall():
    results = benchmark.score(None)
    assert len(results) >= 4 and {name.rsplit(".", 1)[1] for name, *_ in results} >= {"txt", "md", "html"}
    for name, expected, got, correct, _ in results:
        assert correct / got >= 0.85 and correct / expected >= 0.9, name
    expected, got, correct = (sum(r[i] for r in results) for i in (1, 2, 3))
    assert correct / got >= 0.85 and correct / expected >= 0.9


def test_a_2000_word_text_is_drafted_in_under_2_seconds():
    words, seconds = benchmark.time_long_article()
    assert words >= 2000 and seconds < 2


def test_the_benchmark_prints_a_table_with_an_overall_line():
    done = subprocess.run([sys.executable, str(BENCHMARK)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("article") and "\noverall " in done.stdout and "-word text: " in done.stdout
