"""The summary `cloudmart refresh` prints: what it published to each target, checks, time."""

from __future__ import annotations

from cloudmart.refresh import RefreshOutcome
from foundation.settings import Settings
from warehouse.publish_log import POSTGRES, PUBLISH_FAILED, REPORT, TargetOutcome


def print_summary(outcome: RefreshOutcome, settings: Settings) -> None:
    """Tables and rows, each target's outcome, checks, where the warehouse is and how long it took; or
    what went wrong."""
    if outcome.tables:
        print(f"\nPublished {settings.warehouse_path}")
        width = max(map(len, outcome.tables), default=0)
        for table, rows in sorted(outcome.tables.items()):
            print(f"  {table:<{width}}  {rows:>10,} rows")
    postgres = outcome.target(POSTGRES)
    if postgres is not None:
        print(postgres_line(postgres))
    elif settings.pg_dsn:
        print(f"{target_label(POSTGRES, settings)} was NOT updated: it serves the previous version.")
    failed = [t for t in outcome.targets if t.outcome == PUBLISH_FAILED and t.target != REPORT]
    if failed:
        print(f"\nRefresh FAILED for {', '.join(target_label(t.target, settings) for t in failed)}; "
              + (f"{settings.warehouse_path} was published." if outcome.tables else
                 f"{settings.warehouse_path} was not changed."))
    elif not outcome.success:
        print("\nRefresh FAILED" + ("" if outcome.tables else ": the published warehouse was not changed."))
        for error in outcome.errors:
            if "blocking asset check failed" not in error:
                print(f"  error: {error}")
    if not outcome.caught_up:
        _print_checks(outcome)
    docs = settings.data_docs_dir / "index.html"
    if docs.exists() and not outcome.caught_up:
        print(f"Data Docs: {docs}")
    report = outcome.target(REPORT)
    if report is not None and report.outcome == PUBLISH_FAILED:
        print(report_failure_line(report))
    elif outcome.report:
        print(f"Report: {outcome.report}")
    print(f"\nRun {outcome.run_id} took {outcome.seconds:.1f} s")


def target_label(name: str, settings: Settings) -> str:
    """How the summary names a publish target (a DSN only with its password as ***)."""
    if name == POSTGRES:
        from warehouse.postgres import redact_dsn

        return f"PostgreSQL at {redact_dsn(settings.pg_dsn or '')}"
    return f"the report {settings.report_path}" if name == REPORT else str(settings.warehouse_path)


def postgres_line(target: TargetOutcome) -> str:
    """One line on a publish to PostgreSQL: done, or failed, why, and which refresh it still serves."""
    if target.outcome == PUBLISH_FAILED:
        return (f"PostgreSQL at {target.location} FAILED: {target.error} -- "
                + (f"it still serves refresh {target.holds}" if target.holds else "what it served is unchanged")
                + "; the next `cloudmart refresh` publishes to it again")
    return f"Published to PostgreSQL at {target.location} (refresh {target.holds})"


def report_failure_line(target: TargetOutcome) -> str:
    """One line on a report that could not be drawn: why, and which refresh the page still shows."""
    kept = f"still shows refresh {target.holds}" if target.holds else "is as it was"
    return (f"Report FAILED: {target.error}; {target.location} {kept}: "
            "`cloudmart report` or the next `cloudmart refresh` draws it again")


def _print_checks(outcome: RefreshOutcome) -> None:
    passed = sum(c.passed for c in outcome.checks)
    warnings = sum(not c.passed and not c.blocking for c in outcome.checks)
    print(f"\nChecks: {passed} of {len(outcome.checks)} passed, {warnings} with warnings")
    for check in outcome.checks:
        if not check.passed:
            label = "FAILED" if check.blocking else "WARNING"
            print(f"  {label} {check.asset} / {check.name}: {check.problems} problem(s)")
            if check.sample:
                print("    " + check.sample.replace("\n", "\n    "))
