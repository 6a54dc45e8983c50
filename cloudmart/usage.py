"""Usage errors of the `cloudmart` command line: one line on stderr and exit status 2, never a traceback."""

from __future__ import annotations

import argparse
import math
import sys
from typing import NoReturn

USAGE_EXIT = 2


class UsageError(Exception):
    """A command that cannot run as given (a bad argument, a query file that cannot be read, an empty
    query, an export folder that is a file): exit status 2."""


class CommandParser(argparse.ArgumentParser):
    """argparse whose errors are one line: `cloudmart sql: argument --max-rows: ... (see `cloudmart sql --help`)`."""

    def error(self, message: str) -> NoReturn:
        usage_exit(self.prog, message)


def usage_exit(prog: str, message: str) -> NoReturn:
    """Print `prog: message (see `prog --help`)` on stderr and exit 2, as for an argument argparse refuses."""
    sys.stderr.write(f"{prog}: {message} (see `{prog} --help`)\n")
    sys.exit(USAGE_EXIT)


def positive_int(text: str) -> int:
    """An argparse type: a whole number of 1 or more."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return number


def seconds(text: str) -> float:
    """An argparse type: a duration in seconds, 0 or more (0: no limit)."""
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (0 or more; 0: no limit)")
    return number


def tcp_port(text: str) -> int:
    """An argparse type: a TCP port, 1-65535."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a TCP port (1-65535)")
    return number


def host_and_port(text: str) -> tuple[str, int]:
    """An argparse type: HOST:PORT, e.g. 127.0.0.1:4000 or code-server:4000."""
    host, colon, port = text.rpartition(":")
    if not colon or not host:
        raise argparse.ArgumentTypeError(f"{text!r} is not HOST:PORT (e.g. 127.0.0.1:4000)")
    return host, tcp_port(port)
