"""Bad input: every file in the corpus (tests/bad_inputs, expected outcomes in cases.yml) and the cases
built here (encodings, a 50 MB file, odd file names). A bad file fails the refresh with an error naming
file, line and field, and the published warehouse stays byte-for-byte as it was; a file that is valid
after all is published.

A whole refresh costs seconds, so each way a refresh finds a bad file (the reader, the raw loader's
header check and row scan, the figure audit, the look at the folder) is shown end to end by at least one
case, and the other cases of that kind are checked through the same functions of the refresh alone
(what_a_refresh_finds, discover); the valid corpus files are published together in one refresh."""

from __future__ import annotations

import contextlib
import datetime
import os
import shutil
import threading
from pathlib import Path

import pytest
import yaml

from cloudmart.refresh import run_refresh
from foundation.errors import SourceError
from foundation.settings import Settings
from ingest.source_files import discover, read_source_file
from ingest.source_state import folder_state
from orchestration.checks import AUDIT_COLUMNS
from orchestration.metadata import markdown_table
from tests.conftest import PROJECT_SOURCES, fresh_settings
from tests.support import cloudmart, edit_source, file_digest, refresh_ok
from transforms.probe import figure_problems
from warehouse.connection import connect
from warehouse.raw import REFERENCE_KINDS, check_figure_sheet

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = yaml.safe_load((CORPUS / "cases.yml").read_text(encoding="utf-8"))
FRONT_MATTER = '# title: "Corpus case"\n# published: 2025-06-01\n'
HEADER = "entity,metric,market,period,value,magnitude,unit,qualifier,citation,note\n"
VALID_ROW = "Huawei Cloud,edge_nodes,,unspecified,2,thousand,count,at_least,,\n"
MOBILE = "mobile-cloud-counterattack-2025.csv"


def failed_refresh_report(settings: Settings) -> str:
    """Refresh (which must fail) and return everything it reported, errors and failed checks alike;
    the published warehouse must be untouched."""
    before = file_digest(settings.warehouse_path)
    outcome = run_refresh(settings)
    assert not outcome.success
    assert file_digest(settings.warehouse_path) == before
    samples = [c.sample or "" for c in outcome.checks if not c.passed]
    return "\n".join(outcome.errors + samples)


def published_rows(settings: Settings, file: str, column: str = "note") -> list[list]:
    """[source line, note (or another column)] of each published figure from `file`."""
    with connect(settings.warehouse_path, read_only=True) as con:
        return [list(row) for row in con.execute(
            f"SELECT source_line, {column} FROM marts.figures WHERE source_file = ? ORDER BY source_line",
            [file]).fetchall()]


def in_one_line(report: str, file: str, line: int, field: str | None, says: str) -> bool:
    """Whether one line of `report` names `file`, `line` and `field` (as a message or as a row of an audit's
    sample) and says `says`."""
    message = f"{file}, line {line}" + (f", field '{field}'" if field else "") + ":"
    audit_row = f"| {file} | {line} | {field} |"
    return any((message in text or audit_row in text) and says in text for text in report.splitlines())


def assert_rejected(settings: Settings, file: str, line: int, field: str | None, says: str) -> None:
    """The refresh fails naming `file`, `line` and `field` (as a message or a row of an audit's sample)."""
    report = failed_refresh_report(settings)
    assert in_one_line(report, file, line, field, says), report


def what_a_refresh_finds(file: Path) -> str:
    """What the refresh's own reader and figure rules say of one figure sheet, checked alone against the
    project's reference files in memory (transforms.probe: the reader, the raw loader, the staging models
    and the figure audit a refresh runs, without Dagster): the reader's error, or the audit's problem
    rows as a refresh's check sample shows them ('' when the sheet is valid)."""
    references = [read_source_file(path, f"reference/{path.name}", path.stem)
                  for path in sorted((PROJECT_SOURCES / "reference").glob("*.csv")) if path.stem in REFERENCE_KINDS]
    try:
        problems = figure_problems(check_figure_sheet(file, file.name), references)
    except SourceError as error:
        return str(error)
    return markdown_table(AUDIT_COLUMNS, problems).value if problems else ""


REJECTED = sorted(case for case, outcome in CASES.items() if "accepted" not in outcome)
ACCEPTED = sorted(case for case, outcome in CASES.items() if "accepted" in outcome)
# One corpus file for each way a refresh finds a bad sheet, run through a whole refresh; the others are
# checked through the same reader and rules alone (what_a_refresh_finds), which costs a tenth of a second.
END_TO_END = ["front-matter-not-yaml",  # the reader (ingest.source_files)
              "wrong-delimiter",  # the header check of the raw loader
              "row-extra-field",  # DuckDB's scan of the rows
              "value-not-a-number"]  # the figure audit (transforms/audits)


@pytest.mark.parametrize("case", REJECTED)
def test_a_bad_corpus_file_is_named_by_line_and_field(case: str):
    expected = CASES[case]
    report = what_a_refresh_finds(CORPUS / f"{case}.csv")
    assert in_one_line(report, f"{case}.csv", expected["line"], expected["field"], expected["says"]), report


@pytest.mark.parametrize("case", END_TO_END)
def test_a_bad_corpus_file_fails_the_refresh_and_keeps_the_warehouse(published: Settings, case: str):
    file = f"{case}.csv"
    shutil.copyfile(CORPUS / file, published.sources_dir / file)
    expected = CASES[case]
    assert_rejected(published, file, expected["line"], expected["field"], expected["says"])


@pytest.fixture(scope="module")
def corpus_published(refreshed: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A published installation refreshed once more with every corpus file that is valid after all."""
    settings = fresh_settings(tmp_path_factory.mktemp("accepted"))
    shutil.copytree(refreshed.data_dir, settings.data_dir)
    for case in ACCEPTED:
        shutil.copyfile(CORPUS / f"{case}.csv", settings.sources_dir / f"{case}.csv")
    refresh_ok(settings)
    return settings


@pytest.mark.parametrize("case", ACCEPTED)
def test_a_corpus_file_valid_after_all_is_published(corpus_published: Settings, case: str):
    file, expected = f"{case}.csv", CASES[case]
    assert what_a_refresh_finds(CORPUS / file) == ""
    assert published_rows(corpus_published, file) == expected["accepted"]
    if "values" in expected:  # exactly as stated: never rounded
        assert [value for _, value in published_rows(corpus_published, file, "value")] == expected["values"]


def test_the_corpus_cases_cover_every_way_a_sheet_is_found_bad():
    """Every end-to-end case is a bad file, and its error comes from the stage named beside it: the cheap
    check and a refresh agree on it (test_a_bad_corpus_file_fails_the_refresh_and_keeps_the_warehouse)."""
    assert set(END_TO_END) <= set(REJECTED)
    audit_rows = {case for case in END_TO_END if what_a_refresh_finds(CORPUS / f"{case}.csv").startswith("| file_name")}
    assert audit_rows == {"value-not-a-number"}


def test_the_corpus_has_an_outcome_for_every_file():
    assert sorted(CASES) == sorted(p.stem for p in CORPUS.glob("*.csv"))
    assert len(CASES) >= 70


def write_bytes(settings: Settings, name: str, data: bytes) -> None:
    (settings.sources_dir / name).write_bytes(data)


def found_in(folder: Path, name: str, data: bytes) -> str:
    """What a refresh finds in a figure sheet `name` holding `data` (written into `folder`), checked alone."""
    (folder / name).write_bytes(data)
    return what_a_refresh_finds(folder / name)


def test_a_byte_that_is_not_utf8_names_its_line_and_field(published: Settings):
    row = "Huawei Cloud,edge_nodes,,unspecified,2,thousand,count,at_least,,Z\xfcrich\n".encode("latin-1")
    write_bytes(published, "latin-1.csv", (FRONT_MATTER + HEADER + VALID_ROW.replace(",unspecified,", ",2024,")
                                           ).encode() + row)
    assert_rejected(published, "latin-1.csv", 5, "note", "byte 0xfc is not UTF-8 text (expected a file saved as UTF-8)")


def test_a_byte_that_is_not_utf8_far_into_a_file_names_its_line(tmp_path: Path):
    rows = "".join(f"Huawei Cloud,edge_nodes,,{day},{n},,count,exact,,\n"
                   for n, day in enumerate(days(3000)))  # about 140 kB: past the first read of the file
    report = found_in(tmp_path, "deep.csv", (FRONT_MATTER + HEADER + rows).encode() + b"Huawei Cloud\xff,edge_nodes,,\n")
    assert in_one_line(report, "deep.csv", 3 + 3000 + 1, "entity", "byte 0xff is not UTF-8 text"), report


def test_a_50_mb_file_is_read_to_its_last_line(tmp_path: Path):
    note = "n" * 1000
    rows = "".join(f"Huawei Cloud,edge_nodes,,{day},{n},,count,exact,,{note}\n" for n, day in enumerate(days(50_000)))
    data = (FRONT_MATTER + HEADER + rows + "Huawei Cloud,edge_nodes,,unspecified,n/a,,count,exact,,\n").encode()
    assert len(data) > 50_000_000
    report = found_in(tmp_path, "large.csv", data)
    assert in_one_line(report, "large.csv", 3 + 50_000 + 1, "value", "| n/a | a plain number"), report


def days(count: int) -> list[str]:
    """`count` distinct day labels (one figure per day keeps every row a different figure)."""
    first = datetime.date(1900, 1, 1)
    return [(first + datetime.timedelta(days=n)).isoformat() for n in range(count)]


ODD_NAMES = ["market notes 2025.csv", "云市场 2025.csv", "review..2025.csv",
             "$(touch pwned); `touch pwned` | & o'brien.csv", "'; DROP TABLE marts.figures; --.csv",
             "draft*.csv", "draft [v2]?.csv"]  # glob characters: each file must be read once, as itself


def test_byte_order_marks_and_odd_file_names_are_accepted(published: Settings, tmp_path: Path):
    """A UTF-8 byte order mark (Windows tools write one) is skipped, in a document and before a
    reference file's header; a file name is only a name: spaces, non-ASCII letters, '..', quotes and
    shell metacharacters are published as they are and run nothing. A hidden file is no source."""
    write_bytes(published, "bom.csv", ("\ufeff" + FRONT_MATTER + HEADER + VALID_ROW).encode())
    markets = published.sources_dir / "reference" / "markets.csv"
    markets.write_bytes("\ufeff".encode() + markets.read_bytes())
    for name in ODD_NAMES:
        write_bytes(published, name, (FRONT_MATTER + HEADER + VALID_ROW).encode())
    write_bytes(published, "..hidden.csv", b"not a source at all\n")
    refresh_ok(published)
    for name in ["bom.csv", *ODD_NAMES]:
        assert published_rows(published, name) == [[4, None]], name
    with connect(published.warehouse_path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM core.dim_market").fetchone()[0] == 3
        assert con.execute("SELECT count(*) FROM marts.figures WHERE source_file LIKE '%hidden%'").fetchone()[0] == 0
    assert not list(published.sources_dir.rglob("pwned")) and not (Path.cwd() / "pwned").exists()


def test_an_error_names_an_odd_file_name_as_it_is(published: Settings):
    name = "$(touch pwned) o'brien; x.csv"
    write_bytes(published, name, (FRONT_MATTER + HEADER + VALID_ROW.replace("edge_nodes", "edge_nodez")).encode())
    assert_rejected(published, name, 4, "metric", "| edge_nodez | a metric listed in reference/metrics.csv")


def test_unknown_member_in_reference_data(published: Settings):
    path = published.sources_dir / "reference" / "provider_group_members.csv"
    path.write_text(path.read_text(encoding="utf-8") + "US Big Three,Oracle Cloud\n", encoding="utf-8")
    report = failed_refresh_report(published)
    assert "| reference/provider_group_members.csv | 8 | provider | Oracle Cloud | a provider listed in" in report


def test_no_warehouse_is_published_when_the_first_refresh_fails(settings: Settings):
    edit_source(settings, MOBILE, "provinces_covered,,unspecified,31,", "provinces_covered,,unspecified,x,")
    assert not run_refresh(settings).success
    assert not settings.warehouse_path.exists()


# Things named like a source that are no regular file: made here (a FIFO or a device cannot be committed).
NOT_FILES = {
    "a directory": lambda path: path.mkdir(),
    "a named pipe (FIFO)": os.mkfifo,
    "a link to nothing": lambda path: path.symlink_to(path.parent / "gone.csv"),
    "a path that cannot be followed": lambda path: path.symlink_to(path),  # a link to itself: a loop
    "a device": lambda path: path.symlink_to("/dev/zero"),  # read to its end, it would never end
}


@contextlib.contextmanager
def unblocking_fifo_readers(folder: Path, seconds: float):
    """After `seconds`, open every FIFO under `folder` for writing and close it again, so that a reader
    stuck on one gets an end of file; yield a list that then names each FIFO someone was reading."""
    stuck: list[str] = []
    done = threading.Event()

    def watch() -> None:
        if done.wait(seconds):
            return
        for path in folder.rglob("*"):
            if path.is_fifo():
                with contextlib.suppress(OSError):  # ENXIO: nobody reads it
                    os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
                    stuck.append(path.name)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield stuck
    finally:
        done.set()
        watcher.join()


@pytest.mark.parametrize("where", ["x.csv", "reference/x.csv"])
@pytest.mark.parametrize("kind", sorted(NOT_FILES))
def test_only_regular_files_are_read(settings: Settings, kind: str, where: str):
    """Anything else named like a source is refused by the refresh's look at the sources folder
    (ingest.source_files.discover) with one line saying what it is; a FIFO is never opened (opening it
    would wait for a writer forever). That this fails a refresh: the next test."""
    NOT_FILES[kind](settings.sources_dir / where)
    with unblocking_fifo_readers(settings.sources_dir, 60) as stuck, pytest.raises(SourceError) as refused:
        discover(settings.sources_dir, REFERENCE_KINDS)
    assert not stuck
    assert str(refused.value).startswith(f"{where}: not a file cloudmart can read: it is {kind}"), refused.value


@pytest.mark.parametrize("where", ["x.csv", "reference/x.csv"])
def test_a_fifo_fails_the_refresh_at_once(published: Settings, where: str):
    os.mkfifo(published.sources_dir / where)
    with unblocking_fifo_readers(published.sources_dir, 60) as stuck:
        report = failed_refresh_report(published)
    assert not stuck
    assert f"{where}: not a file cloudmart can read: it is a named pipe (FIFO)" in report, report
    assert "Traceback" not in report


def test_refresh_command_reports_a_fifo_at_once(published: Settings):
    """`cloudmart refresh` (which first looks whether anything changed) neither waits on a FIFO nor prints
    a traceback: one line names it, and the exit code is 1 (a failed refresh)."""
    os.mkfifo(published.sources_dir / "pipe.csv")
    with unblocking_fifo_readers(published.sources_dir, 100) as stuck:
        done = cloudmart(published, "refresh")
    assert not stuck
    assert done.returncode == 1, done.stdout + done.stderr
    assert "pipe.csv: not a file cloudmart can read: it is a named pipe (FIFO)" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_a_link_to_a_source_file_is_read(published: Settings, tmp_path: Path):
    target = tmp_path / "kept-elsewhere.csv"
    target.write_text(FRONT_MATTER + HEADER + VALID_ROW, encoding="utf-8")
    (published.sources_dir / "linked.csv").symlink_to(target)
    refresh_ok(published)
    assert published_rows(published, "linked.csv") == [[4, None]]


def test_the_folder_watch_does_not_wait_on_what_is_not_a_file(published: Settings):
    """The sensor's look at the folder names what is not a file (so a refresh runs and says what is wrong)
    and never opens it."""
    for kind, make in NOT_FILES.items():
        make(published.sources_dir / f"{kind.split()[1]}.csv")
    with unblocking_fifo_readers(published.sources_dir, 30) as stuck:
        state, _ = folder_state(published.sources_dir, {}, settle_seconds=0)
    assert not stuck
    for kind in NOT_FILES:
        assert state[f"{kind.split()[1]}.csv"][2].startswith(f"unreadable: {kind}")


def figure_file(note: str, blank_line: bool = False) -> bytes:
    """A figure sheet whose second row carries `note` (quoted), after a blank line if asked."""
    return (FRONT_MATTER + HEADER + VALID_ROW.replace(",unspecified,", ",2024,") + ("\n" if blank_line else "")
            + VALID_ROW.replace(",,\n", f',,"{note}"\n')).encode()


@pytest.mark.parametrize("note", ["n" * 200_000_000, "two\nlines " * 300_000],
                         ids=["200-mb-note", "3-mb-note-over-many-lines"])
def test_an_over_long_row_is_named_as_such(tmp_path: Path, note: str):
    report = found_in(tmp_path, "long-note.csv", figure_file(note))
    assert ("long-note.csv, line 5, field 'note': row is longer than 2,000,000 bytes (or a quote in it is never "
            "closed) (expected rows of at most 2,000,000 bytes)") in report, report[:2000]
    assert len(report) < 2000  # the row itself is not echoed


def test_an_over_long_unquoted_line_fails_the_refresh_and_is_not_echoed(published: Settings):
    row = VALID_ROW.replace(",,\n", ",," + "n" * 3_000_000 + "\n")
    write_bytes(published, "long-line.csv", (FRONT_MATTER + HEADER + row).encode())
    report = failed_refresh_report(published)
    assert "long-line.csv, line 4, field 'note': row is longer than 2,000,000 bytes" in report, report[:2000]
    assert len(report) < 2000


def test_a_long_note_after_a_blank_line_is_accepted(published: Settings):
    """A note of 1 MB (under the row limit) is published whole, also where blank lines make the loader
    number lines itself."""
    note = "long " * 200_000
    write_bytes(published, "long-but-fine.csv", figure_file(note, blank_line=True))
    refresh_ok(published)
    assert published_rows(published, "long-but-fine.csv") == [[4, None], [6, note.strip()]]


def test_front_matter_over_64_kb_is_refused_by_its_size(tmp_path: Path):
    front = "".join(f"#   c{n}: {'x' * 100}\n" for n in range(700))
    report = found_in(tmp_path, "big-front.csv", (FRONT_MATTER + "# citations:\n" + front + HEADER + VALID_ROW).encode())
    assert in_one_line(report, "big-front.csv", 1, None,
                       "front matter and header are longer than 65,536 bytes (expected front matter and header "
                       "within the first 64 KB of the file)"), report
