"""Why a refresh failed, from its Dagster run's events: the first few problems (file, line, field, value,
what was expected) and how many there were in all.

The events are the one record every trigger shares (`cloudmart refresh`, the schedule, the sensor, the
UI), and the daemon can read them while the next refresh holds the warehouse. Sources of problems:
a failed blocking check (its `problem_rows` metadata, see orchestration.checks), a failed step (the
error's root message: a source file that cannot be read names its file, line and field), and a run
that failed without either (e.g. its process died: Dagster's own message).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import dagster as dg

SHOWN = 5           # problems listed; the rest are counted
VALUE_CHARS = 60    # values are cut short to this
# A step failure that only repeats its failed blocking checks (their rows are listed already), whether the
# checks ran in a step of their own or in their asset's step (orchestration.checks).
CHECK_FAILED_STEP = "DagsterAssetCheckFailedError"


@dataclass
class FailureDetails:
    """The first problems of a failed refresh (dicts with a one-line `text`) and their total count."""

    problems: list[dict] = field(default_factory=list)
    count: int = 0

    @property
    def summary(self) -> str:
        """One line: the first problem and how many more there are."""
        if not self.problems:
            return "the refresh failed (no details recorded)"
        more = self.count - 1
        return self.problems[0]["text"] + (f" (and {more} more problem(s))" if more > 0 else "")


def failure_details(instance: dg.DagsterInstance, run_id: str) -> FailureDetails:
    """The problems that made the run `run_id` fail (empty when it has no events)."""
    details, run_failure = FailureDetails(), None
    kinds = {dg.DagsterEventType.STEP_FAILURE, dg.DagsterEventType.ASSET_CHECK_EVALUATION,
             dg.DagsterEventType.RESOURCE_INIT_FAILURE, dg.DagsterEventType.RUN_FAILURE}
    for record in instance.all_logs(run_id, of_type=kinds):
        event = record.dagster_event
        if event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            _add_check(details, event.event_specific_data)
        elif event.event_type == dg.DagsterEventType.RUN_FAILURE:
            run_failure = event.message
        else:
            error = event.event_specific_data.error
            message = root_message(error)
            if error.cls_name != CHECK_FAILED_STEP:
                _add(details, {"check": event.step_key, "rule": None, "text": message.splitlines()[0]}, 1)
    if not details.count and run_failure:
        _add(details, {"check": None, "rule": None, "text": run_failure.strip().splitlines()[0]}, 1)
    return details


def _add_check(details: FailureDetails, evaluation) -> None:
    if evaluation.passed or evaluation.severity != dg.AssetCheckSeverity.ERROR:
        return  # passed, or a warning: it did not fail the refresh
    rows = evaluation.metadata.get("problem_rows")
    problems = evaluation.metadata.get("problems")
    rows = rows.value if rows is not None else []
    count = problems.value if problems is not None else len(rows)
    for row in rows:
        _add(details, _problem(evaluation.check_name, dict(row)), 0)
    details.count += max(count, len(rows))


def _add(details: FailureDetails, problem: dict, counted: int) -> None:
    if len(details.problems) < SHOWN:
        details.problems.append(problem)
    details.count += counted


def _problem(check: str, row: dict) -> dict:
    """A failing row as a problem: file, line, field, value and expected when the row names them."""
    rule = row.pop("rule", None)
    problem = {"check": check, "rule": rule, "file": row.pop("file_name", None), "line": row.pop("line_no", None),
               "field": row.pop("field", None), "value": _cut(row.pop("value", None)),
               "expected": row.pop("expected", None)}
    where = ", ".join(filter(None, [problem["file"], problem["line"] and f"line {problem['line']}",
                                    problem["field"] and f"field '{problem['field']}'"]))
    said = " ".join(filter(None, [problem["value"] is not None and repr(problem["value"]),
                                  problem["expected"] and f"(expected {problem['expected']})"]))
    rest = ", ".join(f"{k}={_cut(v)}" for k, v in row.items() if v is not None)
    problem["row"] = row or None
    head = f"{check} / {rule}" if rule and rule != check else check
    problem["text"] = ": ".join(filter(None, [head, where, said, rest]))
    return problem


def _cut(value) -> str | None:
    if value is None:
        return None
    text = str(value).replace("\n", " ")
    return text if len(text) <= VALUE_CHARS else text[:VALUE_CHARS - 1] + "…"


def root_message(error) -> str:
    """The message of the innermost cause of a Dagster SerializableErrorInfo."""
    while error.cause is not None:
        error = error.cause
    return error.message.strip() or error.cls_name or "error"
