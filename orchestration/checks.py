"""Asset checks: the source audits (transforms/audits) and the GX suites (expectations/), each on the
asset it validates. Every check is blocking; its severity decides whether a failure stops publishing
(critical → ERROR) or is only reported (warning → WARN).

A check that reads only its asset and what is upstream of it (the GX suites, the freshness of the
remote sources) is declared on its asset (`check_specs`) and runs in the asset's own step, right after
it is built: a separate step per check cost Dagster's per-step bookkeeping 20 more times a refresh. A
blocking one that fails fails that step, so nothing downstream runs, as with a separate check. The
audits read staging tables their asset does not depend on: they stay checks of their own.
"""

import json
from collections.abc import Iterator

import dagster as dg

from expectations.suites import Suite, all_suites
from ingest.remote_registry import load_registry
from ingest.remote_state import OK, load_state
from orchestration.failure_details import SHOWN as PROBLEM_ROWS  # failing rows kept as JSON for status, webhook
from orchestration.keys import REMOTE_SOURCES, model_key
from orchestration.metadata import markdown_table
from orchestration.resources import WarehouseResource
from transforms.models import Model, audit_sql, load_models, run_audit
from warehouse.meta import RuleResult, record_check

SAMPLE_ROWS = 20
AUDIT_COLUMNS = ["file_name", "line_no", "field", "value", "expected"]
RunContext = dg.AssetExecutionContext | dg.AssetCheckExecutionContext


def _result(context: RunContext, warehouse: WarehouseResource, asset: str, check: str,
            rules: list[RuleResult], sample: dg.MarkdownMetadataValue, blocking: bool) -> dg.AssetCheckResult:
    """Record the rules in meta.check_results and report them to Dagster."""
    with warehouse.build() as con:
        record_check(con, context.run.run_id, asset, check, rules)
    failed = [r for r in rules if not r.success]
    problems = sum(r.unexpected_count for r in failed)
    rows = [{"rule": r.rule, **(row if isinstance(row, dict) else {"value": row})}
            for r in failed for row in r.sample][:PROBLEM_ROWS]
    context.log.info(f"check {check}: " + (f"{len(failed)} rule(s) failed, {problems} problem(s)" if failed
                                            else "passed"))
    return dg.AssetCheckResult(
        check_name=check, passed=not failed, severity=dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN,
        metadata={"rules": len(rules), "failed_rules": [r.rule for r in failed], "problems": problems,
                  "sample": sample, "problem_rows": dg.MetadataValue.json(_plain_json(rows))})


def _plain_json(rows: list[dict]) -> list[dict]:
    """`rows` with the values JSON has no type for (dates, decimals) as text, as meta.check_results stores them."""
    return json.loads(json.dumps(rows, default=str))


def audit_check(audit: str, asset: str, description: str) -> dg.AssetChecksDefinition:
    """A check on `asset` that fails, blocking everything downstream, when the audit query returns rows."""
    reads = {name for name in load_models() if f".{name}" in audit_sql(audit)} - {asset}

    @dg.asset_check(name=audit, asset=model_key(asset), blocking=True, description=description,
                    additional_deps=[model_key(name) for name in sorted(reads)])
    def check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.build() as con:
            problems = run_audit(con, audit)
        rule = RuleResult(audit, "critical", not problems, len(problems),
                          [dict(zip(AUDIT_COLUMNS, row)) for row in problems[:SAMPLE_ROWS]])
        return _result(context, warehouse, load_models()[asset].table, audit, [rule],
                       markdown_table(AUDIT_COLUMNS, problems[:SAMPLE_ROWS]), blocking=True)

    return check


def suite_spec(suite: Suite) -> dg.AssetCheckSpec:
    """The check running a GX suite on its table, declared on the table's asset; critical suites stop
    publishing when they fail."""
    return dg.AssetCheckSpec(suite.name, asset=model_key(suite.table.split(".")[1]), blocking=True,
                             description=f"GX suite ({suite.severity}): " + "; ".join(r.name for r in suite.expectations))


def suites_of(model: Model) -> list[Suite]:
    """The suites validating the table of `model`."""
    return [suite for suite in all_suites() if suite.table == model.table]


def suite_results(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                  suites: list[Suite]) -> Iterator[dg.AssetCheckResult]:
    """Validate each suite with GX and report it (run by the asset that built the table, after building it)."""
    for suite in suites:
        outcome = warehouse.validation().validate(suite)
        failed = [[r.rule, r.unexpected_count, json.dumps(r.sample[:5], default=str)] for r in outcome.failed]
        yield _result(context, warehouse, suite.table, suite.name, outcome.rules,
                      markdown_table(["rule", "problems", "sample"], failed), blocking=suite.blocking)


AUDIT_CHECKS = [
    audit_check("figure_rows_are_valid", "stg_figures",
                "Every figure row names a known entity, metric, market and period, with a plain number, "
                "a known qualifier, the metric's unit and a citation its document defines; no figure twice."),
    audit_check("reference_rows_are_valid", "stg_provider_group_members",
                "Reference rows are complete and unique, and group members are known providers and groups."),
]


REMOTE_FRESHNESS = dg.AssetCheckSpec(
    "remote_sources_are_fresh", asset=REMOTE_SOURCES, blocking=False,
    description="Every remote source was fetched in this refresh (warning: a stale source keeps its "
                "last good version and does not stop publishing).")


def remote_freshness_result(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Warn about remote sources whose last fetch failed, naming each with its problem."""
    settings = warehouse.settings
    stale = []
    for source in load_registry(settings.sources_dir):
        state = load_state(settings.data_dir, source.source_id, source.url)
        if state.status != OK:
            stale.append({"source_id": source.source_id, "url": source.url, "http_status": state.http_status,
                          "problem": state.problem})
    rule = RuleResult(REMOTE_FRESHNESS.name, "warning", not stale, len(stale), stale)
    columns = ["source_id", "url", "http_status", "problem"]
    return _result(context, warehouse, "raw.remote_sources", REMOTE_FRESHNESS.name, [rule],
                   markdown_table(columns, [tuple(s[c] for c in columns) for s in stale]), blocking=False)
