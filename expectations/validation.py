"""Running a suite against the warehouse with GX, pushed down to DuckDB as SQL, and reading the outcome.

Validation results are stored in a GX file context and rendered as HTML Data Docs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import great_expectations as gx
from great_expectations.data_context.types.base import ProgressBarsConfig

from expectations.duckdb_gx import duckdb_datasource
from expectations.suites import Suite
from warehouse.meta import RuleResult

DOCS_SITE = "cloudmart_docs"
SAMPLE_SIZE = 20
# COMPLETE gives the failing rows of custom SQL rules (up to 200); the sample is cut to SAMPLE_SIZE.
RESULT_FORMAT = {"result_format": "COMPLETE", "partial_unexpected_count": SAMPLE_SIZE,
                 "return_unexpected_index_query": False}


@dataclass
class SuiteOutcome:
    """A suite's result: success when every rule held."""

    suite: Suite
    rules: list[RuleResult] = field(default_factory=list)

    @property
    def success(self) -> bool:
        """Whether every rule held."""
        return all(r.success for r in self.rules)

    @property
    def failed(self) -> list[RuleResult]:
        """The rules that did not hold."""
        return [r for r in self.rules if not r.success]


def gx_context(project_dir: Path, docs_dir: Path):
    """The GX file context kept in `project_dir`, writing its Data Docs into `docs_dir`."""
    context = gx.get_context(mode="file", project_root_dir=str(project_dir))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    if DOCS_SITE not in (context.variables.data_docs_sites or {}):
        context.add_data_docs_site(site_name=DOCS_SITE, site_config={
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                              "base_directory": str(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"}})
    return context


def validate_suite(warehouse: Path, suite: Suite, project_dir: Path, docs_dir: Path) -> SuiteOutcome:
    """Validate `suite` against its table in the DuckDB file `warehouse`.

    Inside a refresh the writer holds the file; GX then shares its database instance (same
    configuration, see warehouse.connection.WRITER_CONFIG) and only reads.

    The result is stored in the GX project in `project_dir`; `build_data_docs` renders it into `docs_dir`.
    """
    context = gx_context(project_dir, docs_dir)
    with duckdb_datasource(context, warehouse, name="warehouse", read_only=False) as datasource:
        # A query asset rather than a table asset: GX 1.24 deprecates schema_name on table assets and
        # wants the schema in the connection, while one read-only connection here serves every schema.
        asset = datasource.add_query_asset(name=suite.table, query=f"SELECT * FROM {suite.table}")
        batch = asset.add_batch_definition_whole_table("whole table")
        expectations = context.suites.add_or_update(
            gx.ExpectationSuite(name=suite.name, expectations=[e.copy() for e in suite.expectations]))
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=expectations))
        checkpoint = context.checkpoints.add_or_update(gx.Checkpoint(
            name=suite.name, validation_definitions=[definition], result_format=RESULT_FORMAT))
        result = checkpoint.run()
    validation = next(iter(result.run_results.values()))
    return SuiteOutcome(suite, [_rule_outcome(r) for r in validation.results])


def build_data_docs(project_dir: Path, docs_dir: Path) -> None:
    """Render the stored validation results as HTML (once per refresh: it rebuilds the whole site)."""
    gx_context(project_dir, docs_dir).build_data_docs(site_names=[DOCS_SITE])


def _errors(info: dict) -> list[str]:
    """Messages of the exceptions GX caught: at the top level, or per metric it could not compute."""
    found = [info] + [v for v in info.values() if isinstance(v, dict)]
    return [e.get("exception_message", "") for e in found if e.get("raised_exception")]


def _rule_outcome(result) -> RuleResult:
    config = result.expectation_config
    details = result.result or {}
    errors = _errors(result.exception_info or {})
    if errors:  # GX could not evaluate the rule: a failure, with the reason as its sample
        sample, count = errors[:1], 0
    elif "details" in details:  # custom SQL: the failing rows themselves
        sample = details["details"].get("unexpected_rows", [])[:SAMPLE_SIZE]
        count = details.get("observed_value", len(sample))
    else:
        sample = details.get("partial_unexpected_list", [])[:SAMPLE_SIZE]
        count = details.get("unexpected_count", 0)
    return RuleResult(rule=(config.meta or {}).get("rule", config.type), severity=config.severity.value,
                      success=bool(result.success), unexpected_count=int(count or 0), sample=sample)
