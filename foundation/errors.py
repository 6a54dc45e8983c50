"""Errors cloudmart reports to people, each saying where the problem is and what was expected."""

from __future__ import annotations


SHOWN_CHARS = 60  # a value quoted in a message is cut to this many characters


def cut(value: object) -> str:
    """`value` as text short enough to quote in a one-line message: cut after SHOWN_CHARS, marked with '…'."""
    text = str(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


class SourceError(Exception):
    """A source file that cannot be read, or holds a value that is not what it should be."""

    def __init__(self, file: str, problem: str, *, line: int | None = None, field: str | None = None,
                 expected: str | None = None):
        self.file, self.line, self.field = file, line, field
        self.problem, self.expected = problem, expected
        where = file + (f", line {line}" if line is not None else "") + (f", field '{field}'" if field else "")
        message = f"{where}: {problem}" + (f" (expected {expected})" if expected else "")
        super().__init__(message)
