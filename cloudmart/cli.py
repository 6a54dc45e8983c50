"""The `cloudmart` command: refresh the warehouse, query it, run it on a schedule, check on it, serve it
from PostgreSQL."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cloudmart.settings import PROJECT_ROOT, Settings


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `cloudmart` console script."""
    parser = argparse.ArgumentParser(prog="cloudmart", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    refresher = commands.add_parser("refresh", help="load every source, rebuild, validate and publish the warehouse")
    refresher.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    sql = commands.add_parser("sql", help="run a read-only query on the published warehouse")
    sql.add_argument("query", nargs="?", help="the SQL query (or --file)")
    sql.add_argument("--file", type=Path, help="read the query from this .sql file")
    sql.add_argument("--param", action="append", default=[], help="a value bound to the next ? placeholder")
    sql.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output (default table)")
    sql.add_argument("--max-rows", type=int, default=100, help="rows to print at most as a table (default 100)")
    exporter = commands.add_parser("export", help="write the marts as Parquet or CSV files, one per table")
    exporter.add_argument("folder", type=Path, help="where to write them")
    exporter.add_argument("--format", choices=["parquet", "csv"], default="parquet", help="file format")
    exporter.add_argument("--star-schema", action="store_true", help="also the star schema (core)")
    serve = commands.add_parser("serve", add_help=False, help="run the scheduler and sensors (Dagster daemon) with "
                                "the UI; other options go to `dagster dev`, e.g. -p 3001")
    serve.add_argument("--headless", action="store_true", help="the daemon alone, without the UI")
    commands.add_parser("status", help="last refresh, age of the published data, failing checks, next run")
    commands.add_parser("sources", help="every source (file or URL): last fetched, last changed, hash, figures, "
                                        "status")
    reporter = commands.add_parser("report", help="rebuild the HTML market report from the published warehouse")
    reporter.add_argument("--open", action="store_true", help="then open it in the web browser")
    pg = commands.add_parser("pg", help="a local PostgreSQL server for BI tools, which refreshes publish to")
    pg_actions = pg.add_subparsers(dest="pg_action", required=True)
    pg_init = pg_actions.add_parser("init", help="create and start it under the data directory; print the credentials")
    pg_init.add_argument("--port", type=int, default=5433, help="TCP port on 127.0.0.1 (default 5433)")
    pg_actions.add_parser("start", help="start it")
    pg_actions.add_parser("stop", help="stop it")
    args, dagster_args = parser.parse_known_args(argv)
    settings = Settings.from_env()
    if args.command in ("refresh", "serve"):  # the commands that may notify: a bad URL is a usage error
        from cloudmart.notify import BadWebhookUrl, webhook_url

        try:
            webhook_url()
        except BadWebhookUrl as error:
            print(f"cloudmart: {error}", file=sys.stderr)
            return 2
    if args.command == "serve":
        return serve_dagster(settings, args.headless, dagster_args)
    if dagster_args:
        parser.error(f"unrecognized arguments: {' '.join(dagster_args)}")
    if args.command == "refresh":
        return refresh(settings, args.force)
    if args.command == "pg":
        from cloudmart.pg_commands import run_pg_command

        return run_pg_command(settings, args.pg_action, getattr(args, "port", 5433))
    if args.command == "status":
        from cloudmart.status import print_status, read_status

        return 0 if print_status(read_status(settings), settings) else 1
    if args.command == "sources":
        from cloudmart.errors import SourceError
        from cloudmart.source_list import list_sources, print_sources

        try:
            return 0 if print_sources(list_sources(settings)) else 1
        except SourceError as error:
            print(f"cloudmart: {error}", file=sys.stderr)
            return 2
    if args.command == "report":
        return report(settings, args.open)
    if args.command == "export":
        return export(settings, args.format, args.folder, args.star_schema)
    if (args.query is None) == (args.file is None):
        parser.error("give the query, or --file with it")
    sql_text = args.query if args.file is None else args.file.read_text(encoding="utf-8")
    return query(settings, sql_text, args.param, args.format, args.max_rows)


def refresh(settings: Settings, force: bool = False) -> int:
    """Run a full refresh and print its summary; exit status 1 when it failed. When the sources and
    the code are what the published warehouse was built from, say so and do nothing (unless `force`)."""
    from cloudmart.up_to_date import unchanged_since

    same = None if force else unchanged_since(settings)
    if same:
        print(f"cloudmart: up to date: sources and code unchanged since refresh {same[0]} "
              f"(published {same[1]:%Y-%m-%d %H:%M:%S %Z}); nothing to do. `--force` rebuilds anyway.")
        if settings.report_path.exists():
            print(f"Report: {settings.report_path}")
        return 0
    from cloudmart.notify import notify_failure
    from cloudmart.refresh import DataDirNotWritable, run_refresh
    from cloudmart.summary import print_summary

    print(f"cloudmart: refreshing from {settings.sources_dir} ...", flush=True)
    try:
        outcome = run_refresh(settings)
    except DataDirNotWritable as error:
        print(f"cloudmart: refresh FAILED: {error}", file=sys.stderr)
        notify_failure("(not started)", str(error))
        return 1
    print_summary(outcome, settings)
    if not outcome.success:
        import dagster as dg

        from orchestration.failure_details import failure_details

        details = failure_details(dg.DagsterInstance.get(), outcome.run_id)
        notify_failure(outcome.run_id, details.summary, details.problems, details.count)
    return 0 if outcome.success else 1


def serve_dagster(settings: Settings, headless: bool, dagster_args: list[str]) -> int:
    """Replace this process with `dagster dev` (UI and daemon) or `dagster-daemon run` (headless),
    on the data directory's instance, with telemetry off."""
    from cloudmart.instance import prepare_dagster_home

    prepare_dagster_home(settings)
    os.environ["DAGSTER_DISABLE_TELEMETRY"] = "1"
    os.chdir(PROJECT_ROOT)  # where pyproject.toml tells dagster which definitions to load
    program, command = ("dagster-daemon", ["run"]) if headless else ("dagster", ["dev"])
    executable = Path(sys.executable).with_name(program)
    os.execv(executable, [str(executable), *command, *dagster_args])


def query(settings: Settings, sql: str, params: list[str], output: str, max_rows: int) -> int:
    """Print the result of `sql` on the published warehouse, opened read-only."""
    import duckdb

    from cloudmart.analyst import NoWarehouse, run_query

    try:
        run_query(settings, sql, params, output, max_rows)
    except NoWarehouse as error:
        print(f"cloudmart: {error}", file=sys.stderr)
        return 2
    except duckdb.Error as error:
        print(f"cloudmart: {error}", file=sys.stderr)
        return 1
    return 0


def export(settings: Settings, output_format: str, folder: Path, star_schema: bool) -> int:
    """Write the published tables to `folder` and list the files."""
    from cloudmart.analyst import NoWarehouse, export as export_tables

    try:
        for path in export_tables(settings, output_format, folder, star_schema):
            print(path)
    except NoWarehouse as error:
        print(f"cloudmart: {error}", file=sys.stderr)
        return 2
    return 0


def report(settings: Settings, open_it: bool) -> int:
    """Rebuild the market report from the published warehouse, print its path, open it if asked."""
    from cloudmart.analyst import NoWarehouse
    from report.build import build_report

    try:
        built = build_report(settings)
    except NoWarehouse as error:
        print(f"cloudmart: {error}", file=sys.stderr)
        return 2
    print(f"Report: {built.path} ({len(built.charts)} charts)")
    if open_it:
        import webbrowser

        if not webbrowser.open(built.path.as_uri()):
            print("cloudmart: found no web browser to open it with; open the file above", file=sys.stderr)
    return 0


def run() -> None:
    """Console-script entry: run, flush, and leave without interpreter teardown.

    With DuckDB 2.0 and GX loaded, Python's teardown makes DuckDB's nanobind bindings print
    hundreds of harmless "leaked instance" lines on stderr; everything is written and closed by then.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
