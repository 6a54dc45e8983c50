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


def test_the_benchmark_scores_a_folder_of_articles_given_and_lists_the_misses(tmp_path):
    (tmp_path / "one.txt").write_text("Title: t\n\nAWS held 30% of the global market in Q2 2025. Azure held 21% "
                                      "of the global market in Q2 2025.\n", encoding="utf-8")
    (tmp_path / "one.answer.csv").write_text(
        "entity,metric,market,period,value,magnitude,unit,qualifier,citation,note\n"
        "Amazon Web Services,market_share,Global cloud infrastructure services,2025-Q2,30,,pct,exact,,\n"
        "Google Cloud,market_share,Global cloud infrastructure services,2025-Q2,11,,pct,exact,,\n",
        encoding="utf-8")
    done = subprocess.run([sys.executable, str(BENCHMARK), "--articles", str(tmp_path), "--misses"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    table = {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines() if line.strip()}
    assert table["one.txt"][:5] == ["2", "2", "1", "50.0%", "50.0%"]
    assert "ai-capex-race.txt" not in table  # only the folder given
    assert "  missed: Google Cloud,market_share,Global cloud infrastructure services,2025-Q2,11,pct,exact" \
        in done.stdout
    assert "  extra: Microsoft Azure,market_share,Global cloud infrastructure services,2025-Q2,21,pct,exact" \
        in done.stdout
