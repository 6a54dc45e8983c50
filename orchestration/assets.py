"""Assets: load the source files into the raw layer, build every SQL model, publish the warehouse
(and, when a PostgreSQL database is configured, serve it from there too)."""

import contextlib

import dagster as dg

from ingest.remote_fetch import CHANGED, FAILED, NEW, fetch_all, loaded_outcome, outcome_line
from ingest.remote_registry import load_registry
from ingest.remote_state import cached_versions, load_state, save_state
from ingest.source_files import discover
from orchestration.checks import REMOTE_FRESHNESS, remote_freshness_result, suite_results, suite_spec, \
    suites_of
from orchestration.keys import PUBLISHED_WAREHOUSE, RAW_SOURCES, REMOTE_SOURCES, model_key
from orchestration.metadata import chart_gallery, markdown_table, table_preview
from orchestration.notify import notify_published, notify_stale_sources
from orchestration.resources import MARKET_REPORT, POSTGRES_SERVING, WarehouseResource
from report.stamp import drawn_from
from transforms.incremental import build_table, scope, series_scope
from transforms.models import PUBLISHED_LAYERS, Model, load_models, upstream_models
from transforms.probe import sheet_validator
from warehouse.figure_changes import CHANGE_TABLES, record_figure_changes
from warehouse.next_version import table_rows, working_catalog
from warehouse.publish import publish, writing_next_version
from warehouse.publish_log import POSTGRES, PUBLISH_FAILED, PUBLISH_OK, REPORT, WAREHOUSE_FILE, record_target
from warehouse.raw import REFERENCE_KINDS, append_versions, create_raw_schema, expected_columns, loaded_versions, \
    set_current_files
from warehouse.refresh_log import finish_refresh, published_file_key
from warehouse.source_status import append_fetches, record_source_status

@dg.asset(key=REMOTE_SOURCES, group_name="raw", kinds={"python"}, check_specs=[REMOTE_FRESHNESS],
          description="The remote sources of sources/registry.yaml, fetched into the cache of last good versions "
                      "(conditional GET, timeout, retries, size and parse checks); every fetch logged in "
                      "raw.remote_fetches.")
def remote_sources(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Fetch every remote source; a failed one keeps its last good version, is marked stale and notified;
    then check that every one is fresh."""
    settings = warehouse.settings
    outcomes = fetch_all(settings.sources_dir, settings.data_dir, sheet_validator)
    with warehouse.build() as con:
        create_raw_schema(con)
        loaded = dict(con.execute("SELECT file_name, content_hash FROM raw.current_files").fetchall())
        for source in load_registry(settings.sources_dir):  # a replay after a crash skips what is there
            state = load_state(settings.data_dir, source.source_id, source.url)
            append_fetches(con, source, state.unrecorded)
            state.unrecorded = []
            save_state(settings.data_dir, source.source_id, state)
    stale = [o for o in outcomes if o.outcome == FAILED]
    before = {o.source_id: loaded.get(f"{o.source_id}.csv") for o in outcomes}
    for outcome in outcomes:
        context.log.info(outcome_line(outcome, before[outcome.source_id]))
    if stale:
        notify_stale_sources(context.run.run_id, "; ".join(f"{o.source_id} ({o.url}): {o.problem}" for o in stale))
    yield dg.MaterializeResult(metadata={
        "sources": len(outcomes),
        "changed": sum(loaded_outcome(o, before[o.source_id]) in (CHANGED, NEW) for o in outcomes),
        "stale": [o.source_id for o in stale],
        "fetches": markdown_table(["source", "outcome", "http_status", "content_hash", "problem"],
                                  [(o.source_id, loaded_outcome(o, before[o.source_id]), o.http_status, (o.content_hash or "")[:12], o.problem)
                                   for o in outcomes])})
    yield remote_freshness_result(context, warehouse)


@dg.asset(key=RAW_SOURCES, group_name="raw", kinds={"duckdb"}, deps=[REMOTE_SOURCES],
          description="Every version of every source file in sources/ and of every remote source, appended to "
                      "the raw layer (never rewritten); meta.source_status says which versions are in use.")
def raw_source_files(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Hash every source file, append the versions not seen before, record which versions are current."""
    settings = warehouse.settings
    registry = load_registry(settings.sources_dir)
    sources = discover(settings.sources_dir, REFERENCE_KINDS) + cached_versions(settings.data_dir, registry)
    with warehouse.build() as con:
        create_raw_schema(con)
        columns = {kind: expected_columns(con, kind) for kind in {s.kind for s in sources}}
        seen = loaded_versions(con)
        con.execute("BEGIN")
        try:
            new_records = append_versions(
                con, [s for s in sources if (s.name, s.content_hash) not in seen], columns)
            set_current_files(con, sources)
            record_source_status(con, context.run.run_id,
                                 [(r, load_state(settings.data_dir, r.source_id, r.url)) for r in registry])
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
        versions = con.execute("SELECT count(*) FROM raw.source_files").fetchone()[0]
    new_versions = len(new_records)
    context.log.info(f"sources: {len(sources)} files, {new_versions} new versions "
                     f"({sum(new_records.values()):,} records loaded)")
    return dg.MaterializeResult(metadata={
        "files": len(sources), "new_versions": new_versions, "versions_kept": versions,
        "records_loaded": sum(new_records.values()),
        "sources_dir": str(warehouse.settings.sources_dir)})


def _model_asset(model: Model) -> dg.AssetsDefinition:
    deps = [model_key(name) for name in upstream_models(model)]
    if any(layer == "raw" for layer, _ in model.reads):
        deps.append(RAW_SOURCES)
    suites = suites_of(model)

    @dg.asset(name=model.name, key_prefix=[model.layer], group_name=model.layer, deps=deps,
              description=model.description, kinds={"duckdb", "sql"}, check_specs=[suite_spec(s) for s in suites])
    def build_model(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        writes = (writing_next_version(warehouse.settings.warehouse_path) if model.layer in PUBLISHED_LAYERS
                  else contextlib.nullcontext())  # core and marts are written into the next version
        with warehouse.build() as con, writes:
            rows = build_table(con, model, full=warehouse.full_rebuild)
            context.log.info(f"built {model.table}: {rows:,} rows")
            built = dg.MaterializeResult(metadata={
                "dagster/row_count": rows, "table": model.table, "preview": table_preview(con, model.table)})
        yield built
        yield from suite_results(context, warehouse, suites)  # its checks (orchestration.checks)

    return build_model


MODEL_ASSETS = [_model_asset(model) for model in load_models().values()]
PUBLISHED_MODELS = [model_key(m.name) for m in load_models().values() if m.layer in PUBLISHED_LAYERS]


@dg.asset(key=PUBLISHED_WAREHOUSE, group_name="publish", deps=PUBLISHED_MODELS,
          kinds={"duckdb"},
          description="The warehouse analysts and BI tools read: core and marts, replaced in one atomic rename.")
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Add meta to the next version, where core and marts were built, and rename it over the published one."""
    target = warehouse.settings.warehouse_path
    with warehouse.build() as con, writing_next_version(target):
        changes = record_figure_changes(con, context.run.run_id, target, scope(con, "marts.figures"),
                                        series_scope(con, "marts.reconciled_figures"))
        context.log.info(f"changed: {changes.line()} figures against the published warehouse")
        # what the published file will hold: core and marts as built, meta as the refresh leaves it
        counts = table_rows(con) | table_rows(con, working_catalog(con), ("meta",))
        missing = sorted({m.table for m in load_models().values() if m.layer in PUBLISHED_LAYERS} - set(counts))
        if missing:  # a rebuilt dimension drops the tables holding its old keys (transforms.models.materialize)
            raise dg.Failure(f"nothing published: {', '.join(missing)} not built in this run; rebuild them with the "
                             "dimensions they hold keys of")
        finish_refresh(con, context.run.run_id, "published", counts)
        context.log.info(f"publishing: every blocking check passed; adding meta, renaming the new file to {target.name}")
        publish(con, warehouse.next_version, target, ("meta",), appended=CHANGE_TABLES)
        record_target(con, context.run.run_id, WAREHOUSE_FILE, str(target), PUBLISH_OK, holds=context.run.run_id)
    context.log.info(f"published {len(counts)} tables to {target}")
    notify_published(context.run.run_id, changes.as_dict())
    return dg.MaterializeResult(metadata={"path": str(target), "tables": counts, "changes": changes.as_dict(),
                                          "dagster/row_count": sum(counts.values())})


@dg.asset(key=MARKET_REPORT, group_name="publish", deps=[PUBLISHED_WAREHOUSE], kinds={"html"}, output_required=False,
          description="The market report: charts of shares, groups, revenue, growth and spend, a data-quality "
                      "panel and every figure's source, in one self-contained HTML page (report/index.html). "
                      "A report that cannot be drawn is logged as a report failure; the refresh has published.")
def market_report(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Rebuild the report from the warehouse just published; show its charts beside the run.

    A failure leaves the old page, is logged (meta.publish_log and the run's log) and materializes
    nothing, but does not fail the run: the warehouse is published, and the next `cloudmart refresh`
    or `cloudmart report` draws the report again."""
    from report.build import ReportError, build_report  # matplotlib: imported when a report is drawn

    path = warehouse.settings.report_path
    try:
        report = build_report(warehouse.settings)
    except ReportError as error:
        context.log.error(f"report FAILED: {error}; {path} is as it was")
        with warehouse.build() as con:
            record_target(con, context.run.run_id, REPORT, str(path), PUBLISH_FAILED, drawn_from(path), str(error))
        return
    with warehouse.build() as con:
        record_target(con, context.run.run_id, REPORT, str(path), PUBLISH_OK, report.refresh_id)
    context.log.info(f"report: {len(report.charts)} charts in {report.path}")
    yield dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(report.path)), "charts": chart_gallery(report.charts),
        "checks_passed": f"{report.quality['checks_passed']} of {report.quality['checks_run']}",
        "warnings": report.quality["warnings"], "refresh_id": report.refresh_id})


def postgres_serving_asset(dsn: str) -> dg.AssetsDefinition:
    """The `postgres_serving` asset, publishing to the PostgreSQL database at `dsn`.

    The DSN (which may hold a password) is bound here rather than put in a resource's config, which
    Dagster shows in its UI; only its redacted form reaches logs and metadata. Paths still come from
    the warehouse resource. (psycopg is imported here: installations without PostgreSQL never load it.)
    """
    from warehouse.postgres import failure_reason, publish_to_postgres, redact_dsn, served_refresh_or_none

    shown = redact_dsn(dsn)

    @dg.asset(key=POSTGRES_SERVING, group_name="publish", deps=[PUBLISHED_WAREHOUSE], kinds={"postgres"},
              description="The published warehouse's core, marts and meta in PostgreSQL, for BI tools: "
                          "schemas swapped in one transaction, read by the cloudmart_reader role.")
    def postgres_serving(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        """Copy the published warehouse file's schemas into PostgreSQL and swap them in; log the outcome."""
        path = warehouse.settings.warehouse_path
        try:
            published = published_file_key(path)
            if not _parses(dsn):  # psycopg's message would quote the DSN, password and all
                raise ValueError("CLOUDMART_PG_DSN is not a valid PostgreSQL connection string")
            counts = publish_to_postgres(path, dsn)
        except Exception as error:
            reason, served = failure_reason(error, dsn), served_refresh_or_none(dsn)
            with warehouse.build() as con:
                record_target(con, context.run.run_id, POSTGRES, shown, PUBLISH_FAILED, served, reason)
            raise dg.Failure(f"PostgreSQL at {shown} FAILED: {reason}") from None
        with warehouse.build() as con:
            record_target(con, context.run.run_id, POSTGRES, shown, PUBLISH_OK, published[1] if published else None)
        context.log.info(f"published {len(counts)} tables to PostgreSQL at {shown}")
        return dg.MaterializeResult(metadata={"dsn": shown, "tables": counts,
                                              "dagster/row_count": sum(counts.values())})

    return postgres_serving


def _parses(dsn: str) -> bool:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    try:
        conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return False
    return True
