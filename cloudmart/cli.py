"""The `cloudmart` command: refresh the warehouse, query it, run it on a schedule, check on it, serve it
from PostgreSQL."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cloudmart.usage import USAGE_EXIT, CommandParser, UsageError, host_and_port, positive_int, seconds, tcp_port, \
    usage_exit
from foundation.settings import Settings, SettingsError


TIMED_OUT_EXIT = 124  # as GNU timeout(1)
INTERRUPTED_EXIT = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C


def command_parser() -> CommandParser:
    """The `cloudmart` command line: every subcommand and its options (the docs' examples are checked
    against it)."""
    parser = CommandParser(prog="cloudmart", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    refresher = commands.add_parser("refresh", help="load every source, rebuild, validate and publish the warehouse")
    refresher.add_argument("--force", action="store_true", help="rebuild every table whole, even when nothing changed")
    sql = commands.add_parser("sql", help="run a read-only query on the published warehouse")
    sql.add_argument("query", nargs="?", help="the SQL query (or --file)")
    sql.add_argument("--file", type=Path, help="read the query from this .sql file")
    sql.add_argument("--param", action="append", default=[], help="a value bound to the next ? placeholder")
    sql.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output (default table)")
    sql.add_argument("--max-rows", type=positive_int, default=100,
                     help="rows to print at most as a table (default 100)")
    sql.add_argument("--timeout", type=seconds, default=300.0, metavar="SECONDS",
                     help="stop the query after this long, exit 124 (default 300; 0: no limit)")
    changes = commands.add_parser("changes", help="the figures publishes added, changed or removed (default: the "
                                  "last publish)")
    changes.add_argument("--since", metavar="REFRESH_ID|DATE",
                         help="those published after this refresh, or at or after this date or time (UTC)")
    changes.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output (default table)")
    changes.add_argument("--max-rows", type=positive_int, default=100,
                         help="rows to print at most as a table (default 100)")
    exporter = commands.add_parser("export", help="write the marts as Parquet or CSV files, one per table")
    exporter.add_argument("folder", type=Path, help="where to write them")
    exporter.add_argument("--format", choices=["parquet", "csv"], default="parquet", help="file format")
    exporter.add_argument("--star-schema", action="store_true", help="also the star schema (core)")
    exporter.add_argument("--overwrite", action="store_true",
                          help="write into a folder that is not empty, replacing the files the export writes")
    serve = commands.add_parser("serve", add_help=False, help="run the scheduler and sensors (Dagster daemon) with "
                                "the UI; other options go to `dagster dev`, e.g. -p 3001")
    serve.add_argument("--headless", action="store_true", help="the daemon alone, without the UI")
    commands.add_parser("status", help="last refresh, age of the published data, failing checks, next run")
    commands.add_parser("sources", help="every source (file or URL): last fetched, last changed, hash, figures, "
                                        "status")
    drafter = commands.add_parser("draft", help="draft a source file from an article (.txt, .md, .html, or - for "
                                  "stdin) into sources/drafts/, with a review page in the data directory")
    drafter.add_argument("article", help="the article's file, or - to read it from stdin")
    reporter = commands.add_parser("report", help="rebuild the HTML market report from the published warehouse")
    reporter.add_argument("--open", action="store_true", help="then open it in the web browser")
    service = commands.add_parser("service", help="one of Dagster's services on its own, for several machines "
                                  "sharing an instance in PostgreSQL (CLOUDMART_DAGSTER_PG_DSN)")
    services = service.add_subparsers(dest="service", required=True)
    code_server = services.add_parser("code-server", help="serve the code location `cloudmart` over gRPC")
    code_server.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    code_server.add_argument("--port", type=tcp_port, default=4000, help="TCP port (default 4000)")
    web = services.add_parser("webserver", help="Dagster's UI, loading the code from the code server")
    web.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    web.add_argument("--port", type=tcp_port, default=3000, help="TCP port (default 3000)")
    daemon = services.add_parser("daemon", help="Dagster's daemon (run queue, schedule, sensors, run monitoring); "
                                 "one per instance")
    for needs_code in (web, daemon):
        needs_code.add_argument("--code-server", type=host_and_port, default=("127.0.0.1", 4000),
                                metavar="HOST:PORT", help="where `cloudmart service code-server` listens "
                                "(default 127.0.0.1:4000)")
    pg = commands.add_parser("pg", help="a local PostgreSQL server for BI tools, which refreshes publish to")
    pg_actions = pg.add_subparsers(dest="pg_action", required=True)
    pg_init = pg_actions.add_parser("init", help="create and start it under the data directory; print the credentials")
    pg_init.add_argument("--port", type=int, default=5433, help="TCP port on 127.0.0.1 (default 5433)")
    pg_actions.add_parser("start", help="start it")
    pg_actions.add_parser("stop", help="stop it")
    return parser


def parse_command_line(argv: list[str] | None = None) -> tuple[argparse.Namespace, list[str]]:
    """The command and its options, and the options `serve` hands on to Dagster; a command line that
    cannot run exits 2 with one line."""
    parser = command_parser()
    args, dagster_args = parser.parse_known_args(argv)
    if dagster_args and args.command != "serve":
        parser.error(f"unrecognized arguments: {' '.join(dagster_args)}")
    if args.command == "sql" and (args.query is None) == (args.file is None):
        usage_exit(f"{parser.prog} sql", "give the query, or --file with it")
    return args, dagster_args


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `cloudmart` console script."""
    args, dagster_args = parse_command_line(argv)
    try:
        settings = Settings.from_env()
        if args.command in ("serve", "status", "service"):  # the commands that read the schedule
            settings.check_schedule()
    except SettingsError as error:
        return fail(str(error), USAGE_EXIT)
    if args.command in ("refresh", "serve", "service"):  # the commands that may notify: a bad URL is a usage error
        from orchestration.notify import BadWebhookEvents, BadWebhookUrl, opted_in_events, webhook_url

        try:
            webhook_url()
            opted_in_events()
        except (BadWebhookUrl, BadWebhookEvents) as error:
            return fail(str(error), USAGE_EXIT)
    if args.command in ("refresh", "serve", "service", "status") and settings.shared_instance:  # open the instance
        from orchestration.instance import InstanceUnreachable, check_instance_storage

        try:
            check_instance_storage(settings)
        except InstanceUnreachable as error:
            return fail(str(error), 1)
    if args.command == "serve":
        return serve_dagster(settings, args.headless, dagster_args)
    if args.command == "service":
        return run_service(settings, args)
    if args.command == "refresh":
        return refresh(settings, args.force)
    if args.command == "pg":
        from cloudmart.pg_commands import run_pg_command

        return run_pg_command(settings, args.pg_action, getattr(args, "port", 5433))
    if args.command == "status":
        from cloudmart.status import print_status, read_status

        return 0 if print_status(read_status(settings), settings) else 1
    if args.command == "sources":
        from cloudmart.source_list import list_sources, print_sources
        from foundation.errors import SourceError

        try:
            return 0 if print_sources(list_sources(settings)) else 1
        except SourceError as error:
            return fail(str(error), USAGE_EXIT)
    if args.command == "report":
        return report(settings, args.open)
    if args.command == "draft":
        from cloudmart.draft import DraftError, draft_article

        try:
            print("\n".join(draft_article(settings, args.article)))
        except DraftError as error:
            return fail(str(error), USAGE_EXIT)
        return 0
    if args.command == "changes":
        return list_changes(settings, args.since, args.format, args.max_rows)
    if args.command == "export":
        return export(settings, args.format, args.folder, args.star_schema, args.overwrite)
    return query(settings, args.query, args.file, args.param, args.format, args.max_rows, args.timeout)


def refresh(settings: Settings, force: bool = False) -> int:
    """Run a full refresh and print its summary; exit status 1 when it failed or a configured target
    could not be published to. When the sources and the code are what the published warehouse was
    built from, publish it only to the targets behind it (PostgreSQL, the report), if any (unless
    `force`, which rebuilds)."""
    from cloudmart.up_to_date import targets_behind, unchanged_since

    same = None if force else unchanged_since(settings)
    behind = targets_behind(settings, same[0]) if same else []
    unchanged = (f"sources and code unchanged since refresh {same[0]} (published {same[1]:%Y-%m-%d %H:%M:%S %Z})"
                 if same else "")
    if same and not behind:
        print(f"cloudmart: up to date: {unchanged}; nothing to do. `--force` rebuilds anyway.")
        if settings.report_path.exists():
            print(f"Report: {settings.report_path}")
        return 0
    try:
        settings.check_schedule()
    except SettingsError as error:
        return fail(str(error), USAGE_EXIT)
    from cloudmart.refresh import DataDirNotWritable, NoQueueDaemon, run_refresh
    from cloudmart.summary import print_summary, target_label
    from orchestration.notify import notify_failure
    from orchestration.run_queue import FollowInterrupted

    if behind:
        print(f"cloudmart: {unchanged}; publishing it to what is behind it: "
              f"{', '.join(target_label(name, settings) for name in behind)} ...", flush=True)
    else:
        print(f"cloudmart: refreshing from {settings.sources_dir} ...", flush=True)
    try:
        outcome = run_refresh(settings, catch_up=behind, on_status=print_run_status, full=force)
    except NoQueueDaemon as error:
        return fail(f"refresh not started: {error}", 1)
    except FollowInterrupted as error:  # a refresh in the queue of a shared instance
        return fail(str(error), INTERRUPTED_EXIT)
    except DataDirNotWritable as error:
        notify_failure("(not started)", str(error))
        return fail(f"refresh FAILED: {error}", 1)
    print_summary(outcome, settings)
    if not outcome.success:
        import dagster as dg

        from orchestration.failure_details import failure_details

        details = failure_details(dg.DagsterInstance.get(), outcome.run_id)
        notify_failure(outcome.run_id, details.summary, details.problems, details.count)
    return 0 if outcome.success else 1


def print_run_status(run_id: str, status) -> None:
    """Say where a refresh queued on a shared instance is (cloudmart.refresh)."""
    if status.value == "QUEUED":
        print(f"cloudmart: queued as run {run_id} on the shared Dagster instance; it starts when no other "
              "refresh runs ...", flush=True)
    elif status.value == "STARTED":
        print(f"cloudmart: run {run_id} started", flush=True)


def serve_dagster(settings: Settings, headless: bool, dagster_args: list[str]) -> int:
    """Replace this process with `dagster dev` (UI and daemon) or `dagster-daemon run` (headless),
    on the installation's instance, with telemetry off; exit 2 when a daemon serves a shared instance already."""
    from cloudmart.services import SecondDaemon, exec_dagster, refuse_second_daemon

    if settings.shared_instance:  # a daemon of another machine may serve it already
        try:
            refuse_second_daemon(settings)
        except SecondDaemon as error:
            return fail(f"serve: {error}", USAGE_EXIT)
    program, command = ("dagster-daemon", ["run"]) if headless else ("dagster", ["dev"])
    # run in the project root, where pyproject.toml tells `dagster dev` which definitions to load
    exec_dagster(program, [*command, *dagster_args], settings)
    return 0  # not reached: Dagster replaced this process


def run_service(settings: Settings, args: argparse.Namespace) -> int:
    """Replace this process with one of Dagster's services (cloudmart.services); exit 2 when a daemon serves
    the instance already."""
    from cloudmart import services

    if args.service == "code-server":
        services.code_server(settings, args.host, args.port)
    elif args.service == "webserver":
        services.webserver(settings, args.host, args.port, args.code_server)
    else:
        try:
            services.daemon(settings, args.code_server)
        except services.SecondDaemon as error:
            return fail(f"service daemon: {error}", USAGE_EXIT)
    return 0  # not reached: the service replaced this process


def query(settings: Settings, sql: str | None, sql_file: Path | None, params: list[str], output: str,
          max_rows: int, timeout_seconds: float) -> int:
    """Print the result of `sql` (or of the query in `sql_file`) on the published warehouse, opened
    read-only. Exit 0; 1 when the query failed; 2 for a usage error; 124 when it ran out of time;
    130 when Ctrl-C stopped it. A reader that goes away (`| head`) ends it quietly, as SIGPIPE does."""
    import signal

    import duckdb

    from cloudmart.analyst import run_query
    from cloudmart.cancellable import Interrupted, TimedOut
    from cloudmart.sql_input import read_query_file
    from warehouse.published import NoWarehouse

    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        run_query(settings, read_query_file(sql_file) if sql_file else sql, params, output, max_rows, timeout_seconds)
    except (NoWarehouse, UsageError) as error:
        return fail(str(error), USAGE_EXIT)
    except TimedOut:
        return fail(f"the query ran longer than --timeout {timeout_seconds:g} s and was stopped", TIMED_OUT_EXIT)
    except (Interrupted, KeyboardInterrupt):  # during the query, or before it started
        return fail("interrupted: the query was stopped", INTERRUPTED_EXIT)
    except duckdb.PermissionException as error:
        return fail(f"`cloudmart sql` reads the published warehouse only: no file is read or written, no setting "
                    f"changed (`cloudmart export` writes files). DuckDB said: {error}", 1)
    except duckdb.Error as error:
        return fail(str(error), 1)
    return 0


def export(settings: Settings, output_format: str, folder: Path, star_schema: bool, overwrite: bool) -> int:
    """Write the published tables to `folder` and list the files. Exit 0; 1 when writing failed (nothing
    replaced); 2 for a usage error; 130 when Ctrl-C stopped it (nothing replaced)."""
    import duckdb

    from cloudmart.cancellable import Interrupted
    from cloudmart.export_files import export as export_tables
    from warehouse.published import NoWarehouse

    try:
        for path in export_tables(settings, output_format, folder, star_schema, overwrite):
            print(path)
    except (NoWarehouse, UsageError) as error:
        return fail(str(error), USAGE_EXIT)
    except (Interrupted, KeyboardInterrupt):  # during the export, or before it started
        return fail("interrupted: nothing was exported, no file was replaced", INTERRUPTED_EXIT)
    except (duckdb.Error, OSError) as error:
        return fail(f"export failed, no file was replaced: {error}", 1)
    return 0


def list_changes(settings: Settings, since: str | None, output: str, max_rows: int) -> int:
    """Print the figure changes of the last publish, or of those since `since` (a refresh or a date).
    Exit 0; 1 when the warehouse could not be read; 2 for a usage error (a bad --since, no warehouse)."""
    import signal

    import duckdb

    from warehouse.published import NoWarehouse
    from cloudmart.changes import print_changes

    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        print_changes(settings, since, output, max_rows)
    except (NoWarehouse, UsageError) as error:
        return fail(str(error), USAGE_EXIT)
    except duckdb.Error as error:
        return fail(f"could not read the changes from {settings.warehouse_path}: {error}", 1)
    return 0


def fail(message: str, exit_status: int) -> int:
    """Print `message` as cloudmart's error line and return `exit_status`."""
    print(f"cloudmart: {message}", file=sys.stderr)
    return exit_status


def report(settings: Settings, open_it: bool) -> int:
    """Rebuild the market report from the published warehouse, print its path, open it if asked."""
    from report.build import ReportError, build_report
    from warehouse.published import NoWarehouse

    try:
        built = build_report(settings)
    except NoWarehouse as error:
        return fail(str(error), USAGE_EXIT)
    except ReportError as error:
        return fail(f"report FAILED: {error}; {settings.report_path} is as it was", 1)
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
