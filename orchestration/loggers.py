"""A logger for people watching a refresh in a terminal: one line per message our assets log."""

from __future__ import annotations

import logging
import sys

import dagster as dg


class _ProgressHandler(logging.Handler):
    """Prints messages logged by cloudmart's own code; Dagster's framework events are left out."""

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", {}) or {}
        if meta.get("dagster_event") is None:
            print(f"  {meta.get('orig_message', record.getMessage())}", file=sys.stdout, flush=True)


@dg.logger(description="One line per step of a refresh, for the terminal (`cloudmart refresh`).")
def progress_logger(_init_context: dg.InitLoggerContext) -> logging.Logger:
    """A logger printing INFO and above from cloudmart's assets and checks."""
    logger = logging.Logger("cloudmart.progress", level=logging.INFO)
    logger.addHandler(_ProgressHandler())
    return logger
