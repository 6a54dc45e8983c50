"""The summary `cloudmart refresh` prints."""

from __future__ import annotations

from cloudmart.refresh import RefreshOutcome
from cloudmart.settings import Settings


def print_summary(outcome: RefreshOutcome, settings: Settings) -> None:
    """Tables and rows, checks, where the warehouse is and how long it took; or what went wrong."""
    passed = sum(c.passed for c in outcome.checks)
    if outcome.tables:
        print(f"\nPublished {settings.warehouse_path}")
        width = max(map(len, outcome.tables), default=0)
        for table, rows in sorted(outcome.tables.items()):
            print(f"  {table:<{width}}  {rows:>10,} rows")
    if settings.pg_dsn:
        from warehouse.postgres import redact_dsn

        if outcome.success:
            print(f"Published to PostgreSQL at {redact_dsn(settings.pg_dsn)}")
        else:
            print(f"PostgreSQL at {redact_dsn(settings.pg_dsn)} was NOT updated: it serves the previous version.")
    if not outcome.success:
        print("\nRefresh FAILED" + ("" if outcome.tables else ": the published warehouse was not changed."))
        for error in outcome.errors:
            if "blocking asset check failed" not in error:
                print(f"  error: {error}")
    warnings = sum(not c.passed and not c.blocking for c in outcome.checks)
    print(f"\nChecks: {passed} of {len(outcome.checks)} passed, {warnings} with warnings")
    for check in outcome.checks:
        if not check.passed:
            label = "FAILED" if check.blocking else "WARNING"
            print(f"  {label} {check.asset} / {check.name}: {check.problems} problem(s)")
            if check.sample:
                print("    " + check.sample.replace("\n", "\n    "))
    docs = settings.data_docs_dir / "index.html"
    if docs.exists():
        print(f"Data Docs: {docs}")
    if outcome.report:
        print(f"Report: {outcome.report}")
    print(f"\nRun {outcome.run_id} took {outcome.seconds:.1f} s")
