"""Running a full refresh and telling people what happened."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import dagster as dg

from cloudmart.instance import prepare_dagster_home
from cloudmart.settings import Settings


# Dagster's console logger prints every event; in a terminal one line per step is enough.
PROGRESS_ONLY = {"loggers": {"progress": {}}}
# The command reports its own failures; the daemon's failure sensor leaves these runs to it.
LAUNCHED_BY_CLI = "cloudmart/launched_by_cli"


@dataclass
class CheckOutcome:
    """One asset check as it ran in a refresh."""

    asset: str
    name: str
    blocking: bool
    passed: bool
    problems: int | None
    sample: str | None
    failed_rules: list[str] = field(default_factory=list)


@dataclass
class RefreshOutcome:
    """What a refresh did: success, per-table rows of the published warehouse, checks, errors, and the
    report it rebuilt (None when it built none)."""

    success: bool
    run_id: str
    seconds: float
    tables: dict[str, int] = field(default_factory=dict)
    checks: list[CheckOutcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    report: str | None = None


def run_refresh(settings: Settings) -> RefreshOutcome:
    """Materialise every asset in one run on the data directory's Dagster instance."""
    from orchestration.definitions import build_definitions  # imported late: Dagster is slow to import

    prepare_dagster_home(settings)
    instance = dg.DagsterInstance.get()
    started = time.monotonic()
    result = build_definitions(settings).resolve_job_def("refresh").execute_in_process(
        instance=instance, raise_on_error=False, run_config=PROGRESS_ONLY, tags={LAUNCHED_BY_CLI: "true"})
    outcome = RefreshOutcome(success=result.success, run_id=result.run_id, seconds=time.monotonic() - started)
    for event in result.all_events:
        if event.is_step_failure:
            outcome.errors.append(_root_message(event.step_failure_data.error))
        elif event.event_type_value == "ASSET_CHECK_EVALUATION":
            outcome.checks.append(_check_outcome(event.event_specific_data))
        elif event.is_step_materialization and event.asset_key == dg.AssetKey(["published_warehouse"]):
            outcome.tables = event.step_materialization_data.materialization.metadata["tables"].data
        elif event.is_step_materialization and event.asset_key == dg.AssetKey(["market_report"]):
            outcome.report = event.step_materialization_data.materialization.metadata["path"].path
    return outcome


def _root_message(error) -> str:
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


def _check_outcome(evaluation) -> CheckOutcome:
    metadata = evaluation.metadata
    problems = metadata.get("problems")
    sample = metadata.get("sample")
    failed_rules = metadata.get("failed_rules")
    return CheckOutcome(asset="/".join(evaluation.asset_key.path), name=evaluation.check_name,
                        blocking=evaluation.severity == dg.AssetCheckSeverity.ERROR, passed=evaluation.passed, problems=problems.value if problems else None,
                        sample=sample.value if sample else None,
                        failed_rules=list(failed_rules.value) if failed_rules else [])
