"""Asset checks: the audits in transforms/audits, each blocking the asset it guards."""


import dagster as dg

from orchestration.assets import model_key
from orchestration.metadata import markdown_table
from orchestration.resources import WarehouseResource
from transforms.models import audit_sql, load_models, run_audit

AUDIT_COLUMNS = ["file_name", "line_no", "field", "value", "expected"]
SAMPLE_ROWS = 20


def audit_check(audit: str, asset: str, description: str) -> dg.AssetChecksDefinition:
    """A blocking check on `asset` that fails when the audit query returns rows."""
    reads = {name for name in load_models() if f".{name}" in audit_sql(audit)} - {asset}

    @dg.asset_check(name=audit, asset=model_key(asset), blocking=True, description=description,
                    additional_deps=[model_key(name) for name in sorted(reads)])
    def check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.build() as con:
            problems = run_audit(con, audit)
        context.log.info(f"check {audit}: " + (f"{len(problems)} problem(s)" if problems else "passed"))
        return dg.AssetCheckResult(
            passed=not problems, severity=dg.AssetCheckSeverity.ERROR,
            metadata={"problems": len(problems),
                      "sample": markdown_table(AUDIT_COLUMNS, problems[:SAMPLE_ROWS])})

    return check


AUDIT_CHECKS = [
    audit_check("figure_rows_are_valid", "stg_figures",
                "Every figure row names a known entity, metric, market and period, with a plain number, "
                "a known qualifier, the metric's unit and a citation its document defines; no figure twice."),
    audit_check("reference_rows_are_valid", "stg_provider_group_members",
                "Reference rows are complete and unique, and group members are known providers and groups."),
]
