"""Running suites against the warehouse with GX, pushed down to DuckDB as SQL, and reading the outcome.

One `ValidationSession` per refresh holds an in-memory GX context and one data source, reused by every
suite: building a file context and a data source per suite cost more than the rules themselves. Only
the validation results are kept on disk (for the HTML Data Docs, which show their history).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.data_context.types.base import DataContextConfig, ProgressBarsConfig
from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

from expectations.duckdb_gx import duckdb_datasource
from expectations.suites import Rule, Suite
from warehouse.meta import RuleResult

DOCS_SITE = "cloudmart_docs"
VALIDATIONS_DIR = Path("gx") / "uncommitted" / "validations"  # under the project directory
SAMPLE_SIZE = 20
# COMPLETE gives the failing rows of custom SQL rules (up to 200); the sample is cut to SAMPLE_SIZE.
RESULT_FORMAT = {"result_format": "COMPLETE", "partial_unexpected_count": SAMPLE_SIZE,
                 "return_unexpected_index_query": False}
IN_MEMORY_STORES = {"expectations_store": "ExpectationsStore", "checkpoint_store": "CheckpointStore",
                    "validation_definition_store": "ValidationDefinitionStore"}


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
    """An in-memory GX context whose validation results are kept under `project_dir` and whose Data
    Docs are written to `docs_dir`."""
    stores = {name: {"class_name": cls, "store_backend": {"class_name": "InMemoryStoreBackend"}}
              for name, cls in IN_MEMORY_STORES.items()}
    stores["validation_results_store"] = {"class_name": "ValidationResultsStore", "store_backend": {
        "class_name": "TupleFilesystemStoreBackend", "base_directory": str(Path(project_dir) / VALIDATIONS_DIR)}}
    config = DataContextConfig(
        stores=stores, expectations_store_name="expectations_store", checkpoint_store_name="checkpoint_store",
        validation_results_store_name="validation_results_store", analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites={DOCS_SITE: {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"}}})
    return gx.get_context(mode="ephemeral", project_config=config)


class ValidationSession:
    """A GX context and a data source on one DuckDB file, for validating several suites in a row.

    Inside a refresh the writer holds the file; GX then shares its database instance (same
    configuration, see warehouse.connection.WRITER_CONFIG) and only reads, resolving names through the
    writer's `search_path` (core and marts are in the next version, see warehouse.next_version).
    """

    def __init__(self, warehouse: Path, project_dir: Path, docs_dir: Path, search_path: str | None = None):
        self.context = gx_context(project_dir, docs_dir)
        self._stored_before = set(self.context.validation_results_store.list_keys())
        self._validated: list[str] = []
        self._resources = contextlib.ExitStack()
        self.datasource = self._resources.enter_context(
            duckdb_datasource(self.context, warehouse, name="warehouse", read_only=False, search_path=search_path))

    def validate(self, suite: Suite) -> SuiteOutcome:
        """Validate `suite` against its table; the result is stored for the Data Docs."""
        # A query asset rather than a table asset: GX 1.24 deprecates schema_name on table assets and
        # wants the schema in the connection, while one connection here serves every schema.
        asset = self.datasource.add_query_asset(name=suite.name, query=f"SELECT * FROM {suite.table}")
        batch = asset.add_batch_definition_whole_table("whole table")
        expectations = self.context.suites.add(
            gx.ExpectationSuite(name=suite.name, expectations=[gx_expectation(r) for r in suite.expectations]))
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=expectations))
        validation = definition.run(result_format=RESULT_FORMAT)
        self._validated.append(suite.name)
        return SuiteOutcome(suite, [_rule_outcome(r) for r in validation.results])

    def close(self, build_docs: bool = False) -> None:
        """Release the data source (and its DuckDB connections); if asked, render this session's results
        and suites into the Data Docs and update their index.

        Pages of earlier refreshes are already there: re-rendering every stored result, as a full build
        does, took 2.6 s once 31 refreshes were kept, and grows with every refresh.
        """
        self._resources.close()
        if build_docs:
            stored = self.context.validation_results_store.list_keys()
            new = [key for key in stored if key not in self._stored_before]
            suites = [ExpectationSuiteIdentifier(name=name) for name in self._validated]
            self.context.build_data_docs(site_names=[DOCS_SITE], resource_identifiers=[*new, *suites])


def gx_expectation(rule: Rule) -> gxe.Expectation:
    """The GX Core expectation a rule names, carrying the rule's name in its meta."""
    described = {"description": rule.description} if rule.description else {}
    return getattr(gxe, rule.expectation)(**rule.kwargs, severity=rule.severity, meta={"rule": rule.name},
                                          **described)


def validate_suite(warehouse: Path, suite: Suite, project_dir: Path, docs_dir: Path) -> SuiteOutcome:
    """Validate one suite against its table in the DuckDB file `warehouse` (a session of one)."""
    session = ValidationSession(warehouse, project_dir, docs_dir)
    try:
        return session.validate(suite)
    finally:
        session.close()


def build_data_docs(project_dir: Path, docs_dir: Path) -> None:
    """Render every validation result stored under `project_dir` as HTML into `docs_dir`."""
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
