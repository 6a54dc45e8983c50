"""DuckDB work that Ctrl-C and a time limit stop: the work runs in a thread, and the main thread, which
receives SIGINT, stops the running query with DuckDB's own interrupt.

While DuckDB executes, the thread that called it is inside C++ code: Python handles Ctrl-C only when that
call returns, so a query run on the main thread could not be cancelled. The main thread waits on an Event,
not on Thread.join: a join that Ctrl-C interrupts marks a running thread as finished (CPython 3.11,
`_wait_for_tstate_lock` releases the lock the thread still holds), and its end then aborts the process."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

import duckdb

Result = TypeVar("Result")
STOP_GRACE_SECONDS = 10.0


class Stopped(Exception):
    """The work was stopped before it finished; `still_running` when it had not ended after the grace
    period and may still hold its connection."""

    def __init__(self, still_running: bool):
        super().__init__()
        self.still_running = still_running


class Interrupted(Stopped):
    """Stopped by Ctrl-C (SIGINT)."""


class TimedOut(Stopped):
    """Stopped because it ran longer than its time limit."""


def run_cancellable(con: duckdb.DuckDBPyConnection, work: Callable[[], Result], timeout_seconds: float) -> Result:
    """Run `work` (which queries `con`) to its end and return what it returns, or raise what it raised.
    On Ctrl-C, or after `timeout_seconds` (0: no limit), interrupt `con`'s query, give the work up to 10 s
    to clean up after itself, and raise Interrupted or TimedOut. Work that has not ended by then (blocked
    writing to a reader that stopped reading; a loaded machine) is left to the process's exit: open `con`
    with `closing_unless_busy`."""
    outcome: dict = {}
    finished = threading.Event()

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed to the main thread, which re-raises it
            outcome["error"] = error
        finally:
            finished.set()

    threading.Thread(target=target, name="cloudmart-duckdb-work", daemon=True).start()
    try:
        finished.wait(min(timeout_seconds, threading.TIMEOUT_MAX) or None)
    except KeyboardInterrupt:
        stop(con, finished)
        raise Interrupted(still_running=not finished.is_set()) from None
    if not finished.is_set():
        stop(con, finished)
        if "value" not in outcome:  # else it finished just in time
            raise TimedOut(still_running=not finished.is_set())
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def stop(con: duckdb.DuckDBPyConnection, finished: threading.Event) -> None:
    """Interrupt `con` until the work has `finished` (an interrupt that lands between two statements is
    lost), for at most STOP_GRACE_SECONDS; a second Ctrl-C stops waiting."""
    give_up = time.monotonic() + STOP_GRACE_SECONDS
    try:
        while not finished.is_set() and time.monotonic() < give_up:
            con.interrupt()
            finished.wait(0.1)
    except KeyboardInterrupt:
        pass


@contextmanager
def closing_unless_busy(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Close `con` on the way out, except after work that was stopped but is still inside DuckDB:
    DuckDB refuses to close a connection busy with another call, and that error would hide the
    Stopped. The process exits next, which frees it (the work's thread still holds it till then)."""
    try:
        yield con
    except Stopped as stopped:
        if not stopped.still_running:
            con.close()
        raise
    except BaseException:
        con.close()
        raise
    con.close()
