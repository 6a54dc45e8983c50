"""`cloudmart export`: the published tables as files, one per table, all replaced together or none.

Every file is first written under a hidden temporary name in the target folder, and only when all of
them are written are they renamed over their final names (a rename within a folder is atomic): an
export that fails or is stopped leaves no partial file, and the files of an earlier export as they were."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from cloudmart.cancellable import closing_unless_busy, run_cancellable
from cloudmart.usage import UsageError
from foundation.settings import Settings
from warehouse.connection import open_connection, quote_identifier, quote_literal
from warehouse.published import published_path, published_tables

EXPORT_FORMATS = {"parquet": "(FORMAT parquet)", "csv": "(FORMAT csv, HEADER true)"}


def export(settings: Settings, output_format: str, folder: Path, star_schema: bool, overwrite: bool) -> list[Path]:
    """Write the marts (and the star schema when asked) to `folder` as one Parquet or CSV file per table.
    A folder that is not empty is refused unless `overwrite`; Ctrl-C stops the export."""
    with closing_unless_busy(open_connection(published_path(settings), read_only=True)) as con:
        tables = published_tables(con, ("marts", "core") if star_schema else ("marts",))
        targets = {table: folder / f"{table}.{output_format}" for table in tables}
        created = prepare_folder(folder, overwrite, list(targets.values()))
        try:
            return run_cancellable(con, lambda: write_all(con, targets, EXPORT_FORMATS[output_format]), 0)
        except BaseException:  # the work failed or was stopped (and may still be writing: unlinking is safe)
            for target in targets.values():
                temporary_for(target).unlink(missing_ok=True)
            if created and not any(folder.iterdir()):
                folder.rmdir()
            raise


def prepare_folder(folder: Path, overwrite: bool, targets: list[Path]) -> bool:
    """Check that `folder` can take the files (create it if needed; True when it was created)."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder")
    try:
        if not folder.exists():
            folder.mkdir(parents=True)
            return True
        if not overwrite and any(folder.iterdir()):
            raise UsageError(f"{folder} is not empty: `--overwrite` replaces the files the export writes "
                             "(other files are left alone)")
    except OSError as error:
        raise UsageError(f"cannot use {folder} as the export folder: {error.strerror}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot use {folder} as the export folder: Permission denied")
    for target in targets:
        if target.exists() and not target.is_file():
            raise UsageError(f"{target} is in the way: it is not a file")
    return False


def temporary_for(target: Path) -> Path:
    """The hidden name a file is written under, beside `target`, until every file is written."""
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def write_all(con: duckdb.DuckDBPyConnection, targets: dict[str, Path], copy_options: str) -> list[Path]:
    """COPY every table to its temporary file, then rename them all into place (the caller deletes the
    temporary files when this fails or is stopped)."""
    for table, target in targets.items():
        schema, name = table.split(".")
        con.execute(f"COPY {quote_identifier(schema)}.{quote_identifier(name)} TO "
                    f"{quote_literal(str(temporary_for(target)))} {copy_options}")
        flush_to_disk(temporary_for(target))
    for target in targets.values():
        os.replace(temporary_for(target), target)
    return list(targets.values())


def flush_to_disk(path: Path) -> None:
    """fsync a written file, so that after a power loss its final name holds the old file or all of the
    new one, never a hole (the rename itself may be lost: then the old file is still there)."""
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
