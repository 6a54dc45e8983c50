"""`cloudmart sql` and `cloudmart export` as people run them, in a real process: usage errors are one line
and exit 2, Ctrl-C and --timeout stop a query, results stream as CSV and JSON, and an export replaces
files only when asked and then all together."""

from __future__ import annotations

import json
import resource
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from foundation.settings import PROJECT_ROOT, Settings
from tests.support import VENV_BIN, cloudmart, file_digest, installation_env
from tests.test_disk_faults import respecting_permissions

# Runs for hours unless stopped: its first rows come at once, then none of 10^13 rows passes the filter.
ENDLESS = "SELECT * FROM range(3) t(a) UNION ALL SELECT a FROM range(10000000000000) t(a) WHERE a = -1"


def cloudmart_command(settings: Settings, *args: str) -> tuple[list[str], dict]:
    """The command line and environment of `cloudmart ARGS` on `settings`' installation, for a test that
    starts the process itself."""
    return [str(VENV_BIN / "cloudmart"), *args], installation_env(settings)


def one_error_line(done: subprocess.CompletedProcess) -> str:
    """The command's stderr, which must be one line starting with the command's name."""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("cloudmart"), done.stderr
    return lines[0]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of awkward inputs: a query file that is not UTF-8, empty, only comments or blanks; a
    plain file; a folder."""
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "latin1.sql").write_bytes(b"SELECT 1;\n-- caf\xe9\n")
    (folder / "empty.sql").write_bytes(b"")
    (folder / "comments.sql").write_text("-- nothing here\n/* nor here */\n;\n", encoding="utf-8")
    (folder / "blanks.sql").write_text(" \n\t\n", encoding="utf-8")
    (folder / "bom.sql").write_bytes(b"\xef\xbb\xbfSELECT 42 AS answer")
    (folder / "plain").write_text("not a folder", encoding="utf-8")
    (folder / "a folder").mkdir()
    return folder


USAGE_ERRORS = {
    "a folder as --file": (["sql", "--file", "{files}/a folder"], "a folder, not a query file"),
    "a missing --file": (["sql", "--file", "{files}/nope.sql"], "nope.sql: no such file"),
    "a --file not UTF-8": (["sql", "--file", "{files}/latin1.sql"], "latin1.sql, line 2: byte 0xe9 is not UTF-8"),
    "a --file under a plain file": (["sql", "--file", "{files}/plain/q.sql"], "cannot be read (Not a directory)"),
    "a --file that never ends": (["sql", "--file", "/dev/zero"], "/dev/zero: over 16 MiB (expected a SQL query)"),
    "an empty --file": (["sql", "--file", "{files}/empty.sql"], "the query is empty"),
    "a --file of comments": (["sql", "--file", "{files}/comments.sql"], "the query is empty"),
    "a --file of blanks": (["sql", "--file", "{files}/blanks.sql"], "the query is empty"),
    "an empty query": (["sql", ""], "the query is empty"),
    "a blank query": (["sql", " \n\t "], "the query is empty"),
    "a comment for a query": (["sql", "-- SELECT 1"], "the query is empty"),
    "no query": (["sql"], "give the query, or --file with it"),
    "a query and --file": (["sql", "SELECT 1", "--file", "{files}/bom.sql"], "give the query, or --file with it"),
    "a --param too many": (["sql", "SELECT ?", "--param", "a", "--param", "b"], "1 placeholder(s) (? or $n) but 2"),
    "a --param missing": (["sql", "SELECT ? || $2", "--param", "a"], "2 placeholder(s) (? or $n) but 1"),
    "a --param for no placeholder": (["sql", "SELECT 1", "--param", "a"], "0 placeholder(s) (? or $n) but 1"),
    "a named placeholder": (["sql", "SELECT $name", "--param", "a"], "named placeholders ($name) take no --param"),
    "a placeholder before the last statement": (["sql", "SELECT ?; SELECT 1", "--param", "a"], "only the last"),
    "--max-rows below 1": (["sql", "SELECT 1", "--max-rows", "-1"], "--max-rows: '-1' is not a whole number"),
    "--max-rows not a number": (["sql", "SELECT 1", "--max-rows", "ten"], "--max-rows: 'ten' is not a whole number"),
    "--timeout negative": (["sql", "SELECT 1", "--timeout", "-5"], "--timeout: '-5' is not a number of seconds"),
    "--timeout not a number": (["sql", "SELECT 1", "--timeout", "nan"], "--timeout: 'nan' is not a number of seconds"),
    "--timeout infinite": (["sql", "SELECT 1", "--timeout", "inf"], "--timeout: 'inf' is not a number of seconds"),
    "an unknown --format": (["sql", "SELECT 1", "--format", "xml"], "invalid choice: 'xml'"),
    "an unknown option": (["sql", "SELECT 1", "--bogus"], "unrecognized arguments: --bogus"),
    "export to a plain file": (["export", "{files}/plain"], "plain is a file, not a folder"),
    "export under a plain file": (["export", "{files}/plain/out"], "Not a directory"),
    "export to a folder that is not empty": (["export", "{files}"], "is not empty: `--overwrite` replaces"),
}


@pytest.mark.parametrize("case", USAGE_ERRORS)
def test_usage_errors_are_one_line_and_exit_2(refreshed: Settings, files: Path, case: str):
    args, says = USAGE_ERRORS[case]
    before = sorted(p.name for p in files.iterdir())
    done = cloudmart(refreshed, *(arg.format(files=files) for arg in args))
    assert done.returncode == 2 and says in one_error_line(done), (case, done.returncode, done.stderr)
    assert sorted(p.name for p in files.iterdir()) == before


def test_files_and_folders_without_permission_are_usage_errors(refreshed: Settings, tmp_path: Path):
    """As any user but root meets them (root gives up the capabilities that ignore permissions)."""
    secret = tmp_path / "secret.sql"
    secret.write_text("SELECT 1", encoding="utf-8")
    secret.chmod(0o000)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    unreadable = cloudmart(refreshed, "sql", "--file", str(secret), preexec_fn=respecting_permissions)
    assert unreadable.returncode == 2
    assert one_error_line(unreadable) == f"cloudmart: --file {secret}: cannot be read (Permission denied)"
    unwritable = cloudmart(refreshed, "export", str(locked), preexec_fn=respecting_permissions)
    assert unwritable.returncode == 2
    assert one_error_line(unwritable) == f"cloudmart: cannot use {locked} as the export folder: Permission denied"
    assert list(locked.iterdir()) == []


def test_a_query_file_may_start_with_a_byte_order_mark_or_be_a_pipe(refreshed: Settings, files: Path):
    assert cloudmart(refreshed, "sql", "--file", str(files / "bom.sql"), "--format", "csv").stdout == "answer\n42\n"
    piped = cloudmart(refreshed, "sql", "--file", "/dev/stdin", "--format", "csv", input="SELECT 7 AS seven")
    assert piped.stdout == "seven\n7\n", piped.stderr


def test_ctrl_c_stops_a_running_query_with_exit_130(refreshed: Settings):
    command, env = cloudmart_command(refreshed, "sql", "--format", "csv", "--timeout", "0", ENDLESS)
    query = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert select.select([query.stdout], [], [], 60)[0], "no CSV header within 60 s"
        assert query.stdout.readline() == "a\n"  # DuckDB is now executing the query
        time.sleep(0.5)
        query.send_signal(signal.SIGINT)
        signalled = time.monotonic()
        stderr = query.communicate(timeout=30)[1]
    finally:
        query.kill()
    assert query.returncode == 130 and time.monotonic() - signalled < 5
    assert stderr == "cloudmart: interrupted: the query was stopped\n"


def test_ctrl_c_stops_a_query_whose_reader_stopped_reading(refreshed: Settings):
    """As with `cloudmart sql ... | less` and Ctrl-C: the output is blocked on a full pipe, which DuckDB's
    interrupt cannot unblock; after a grace period the command still ends with its one line and 130."""
    command, env = cloudmart_command(refreshed, "sql", "--format", "csv", "SELECT * FROM range(100000000)")
    query = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert select.select([query.stdout], [], [], 60)[0], "no output within 60 s"
        time.sleep(1)  # the pipe is full: stdout is never read
        query.send_signal(signal.SIGINT)
        query.wait(timeout=30)
    finally:
        query.kill()
    assert query.returncode == 130
    assert query.stderr.read() == "cloudmart: interrupted: the query was stopped\n"


def test_timeout_stops_a_query_with_exit_124(refreshed: Settings):
    started = time.monotonic()
    done = cloudmart(refreshed, "sql", "--timeout", "1.5", ENDLESS)
    assert done.returncode == 124 and time.monotonic() - started < 30
    assert one_error_line(done) == "cloudmart: the query ran longer than --timeout 1.5 s and was stopped"


def test_a_huge_timeout_is_no_limit(refreshed: Settings):
    """(A wait longer than the platform's maximum would overflow.)"""
    done = cloudmart(refreshed, "sql", "--timeout", "1e300", "--format", "csv", "SELECT 1 AS x")
    assert (done.returncode, done.stdout, done.stderr) == (0, "x\n1\n", "")


def test_csv_and_json_stream_every_row_with_plain_line_ends(refreshed: Settings):
    """25,000 rows cross the 10,000-row batches; CSV lines end with LF; JSON stays one valid array, with
    null for what JSON cannot hold (NaN, infinity)."""
    sql = ("SELECT range AS n, 'a,\"b\"' AS text, CASE WHEN range = 3 THEN 'nan'::DOUBLE END AS x, "
           "[1.5, 'inf'::DOUBLE] AS list, DATE '2025-04-01' AS day FROM range(25000) ORDER BY n")
    as_csv = cloudmart(refreshed, "sql", "--format", "csv", sql)
    assert as_csv.returncode == 0 and "\r" not in as_csv.stdout
    lines = as_csv.stdout.split("\n")
    assert lines[:2] == ["n,text,x,list,day", '0,"a,""b""",,"[1.5, inf]",2025-04-01'] and len(lines) == 25002
    assert lines[-2:] == ['24999,"a,""b""",,"[1.5, inf]",2025-04-01', ""]
    as_json = cloudmart(refreshed, "sql", "--format", "json", sql)
    rows = json.loads(as_json.stdout, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
    assert len(rows) == 25000 and [row["n"] for row in rows] == list(range(25000))
    assert rows[3] == {"n": 3, "text": 'a,"b"', "x": None, "list": [1.5, None], "day": "2025-04-01"}
    assert cloudmart(refreshed, "sql", "--format", "json", "SELECT 1 AS n WHERE false").stdout == "[]\n"


def test_a_reader_that_goes_away_ends_the_query_quietly(refreshed: Settings):
    command, env = cloudmart_command(refreshed, "sql", "--format", "csv", "SELECT * FROM range(100000000)")
    shell = subprocess.run(["bash", "-o", "pipefail", "-c", '"$@" | head -n 2', "pipe", *command], env=env,
                           capture_output=True, text=True, timeout=120)
    assert shell.stdout == "range\n0\n" and shell.stderr == ""
    assert shell.returncode == 128 + signal.SIGPIPE  # as any Unix tool whose reader left


def test_export_refuses_a_folder_with_files_unless_overwrite(refreshed: Settings, tmp_path: Path):
    folder = tmp_path / "out"
    assert cloudmart(refreshed, "export", str(folder), "--format", "csv").returncode == 0
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    (folder / "marts.figures.csv").write_text("stale", encoding="utf-8")
    refused = cloudmart(refreshed, "export", str(folder), "--format", "csv")
    assert refused.returncode == 2 and "is not empty" in one_error_line(refused)
    assert (folder / "marts.figures.csv").read_text(encoding="utf-8") == "stale"
    done = cloudmart(refreshed, "export", str(folder), "--format", "csv", "--overwrite")
    assert done.returncode == 0, done.stderr
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    with duckdb.connect() as con:
        assert con.execute("SELECT count(*) FROM read_csv(?)", [str(folder / "marts.figures.csv")]).fetchone()[0] == 39
    assert sorted(p.name for p in folder.iterdir()) == sorted([Path(p).name for p in done.stdout.splitlines()]
                                                              + ["notes.txt"])


def test_a_failed_export_leaves_the_old_files_and_no_partial_one(refreshed: Settings, tmp_path: Path):
    """A file size limit (RLIMIT_FSIZE) that the small tables fit under and the big ones do not: the
    export fails part way, and replaces nothing."""
    folder = tmp_path / "out"
    assert cloudmart(refreshed, "export", str(folder), "--star-schema").returncode == 0
    sizes = sorted(p.stat().st_size for p in folder.iterdir())
    limit = sizes[len(sizes) // 2]
    for path in folder.iterdir():
        path.write_text(f"old {path.name}", encoding="utf-8")
    before = {p.name: file_digest(p) for p in folder.iterdir()}

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = cloudmart(refreshed, "export", str(folder), "--star-schema", "--overwrite", preexec_fn=limited)
    assert done.returncode == 1 and "export failed, no file was replaced" in one_error_line(done), done.stderr
    assert {p.name: file_digest(p) for p in folder.iterdir()} == before


def test_ctrl_c_stops_an_export_and_leaves_nothing(tmp_path: Path):
    """A stand-in warehouse with a table that takes seconds to write as CSV: Ctrl-C once its temporary
    file has appeared stops the export; no file is left, and the folder it created is gone."""
    stand_in = Settings(data_dir=tmp_path / "data", sources_dir=tmp_path / "sources")
    stand_in.data_dir.mkdir()
    with duckdb.connect(str(stand_in.warehouse_path)) as con:
        con.execute("CREATE SCHEMA marts; "
                    "CREATE TABLE marts.big AS SELECT range AS n, random() AS x FROM range(10000000)")
    folder = tmp_path / "out"
    command, env = cloudmart_command(stand_in, "export", str(folder), "--format", "csv")
    export = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        give_up = time.monotonic() + 60
        while not (folder.exists() and any(folder.iterdir())) and export.poll() is None and time.monotonic() < give_up:
            time.sleep(0.01)
        export.send_signal(signal.SIGINT)
        stdout, stderr = export.communicate(timeout=30)
    finally:
        export.kill()
    assert export.returncode == 130 and stdout == "", stderr
    assert stderr == "cloudmart: interrupted: nothing was exported, no file was replaced\n"
    assert not folder.exists()


def test_the_output_memory_benchmark_prints_its_table(tmp_path: Path):
    """Smoke test of benchmarks/sql_output_memory.py at 1,000 rows (its figures are in docs/benchmarks.md)."""
    done = subprocess.run([sys.executable, str(PROJECT_ROOT / "benchmarks" / "sql_output_memory.py"), "--rows", "1e3"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    rows = [line.split("|") for line in done.stdout.splitlines() if line.startswith("| ") and "format" not in line]
    assert [row[1].strip() for row in rows] == ["csv", "json", "table"]
    assert all(row[4].strip() == "0" and float(row[3].replace(",", "")) > 0 for row in rows), done.stdout
