"""A whole contract run, as `migrate contract` does it: every suite, one report.

With a legacy app: OpenAPI diff, conformance, differential, stateful, explicit cases, and
the blocking watch over all of them. Without: OpenAPI diff and conformance (+ blocking watch).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from contract_tests import cases, stateful
from contract_tests.apps import AppUnderTest
from contract_tests.blocking_watch import DEFAULT_THRESHOLD_S, BlockingWatch
from contract_tests.explicit import run_explicit
from contract_tests.openapi_diff import Severity, SpecDiff, diff_specs, iter_lines
from contract_tests.results import ContractReport, Finding, OperationResult, Suite
from contract_tests.runner import RunOptions, run_generated
from contract_tests.transport import RawRequest, send

OPENAPI_PATH = "/openapi.json"


@dataclass(frozen=True)
class ContractRun:
    document: Mapping[str, Any]  # the legacy contract
    new: AppUnderTest
    legacy: AppUnderTest | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    max_examples: int = cases.DEFAULT_MAX_EXAMPLES
    seed: int | None = None
    operations: Sequence[str] = ()
    reset_each_case: bool = False
    new_spec: Mapping[str, Any] | None = None  # else fetched from the new app
    blocking_threshold_s: float = DEFAULT_THRESHOLD_S
    stateful_scenarios: int = stateful.DEFAULT_SCENARIOS
    stateful_steps: int = stateful.DEFAULT_STEPS


def watched(app: AppUnderTest, threshold_s: float = DEFAULT_THRESHOLD_S) -> AppUnderTest:
    """`app` with its ASGI target wrapped in a blocking watch (WSGI apps are left alone)."""
    if not app.is_asgi or isinstance(app.target, BlockingWatch):
        return app
    return AppUnderTest(
        app.name, app.app, BlockingWatch(app.target, threshold_s=threshold_s), app.setup
    )


def run_contract(
    run: ContractRun, *, progress: Callable[[str], None] = lambda _: None
) -> ContractReport:
    schema = cases.load_schema(run.document, max_examples=run.max_examples, seed=run.seed)
    operations = cases.select_operations(schema, run.operations)
    labels = {op.label for op in operations}
    new = watched(run.new, run.blocking_threshold_s)
    options = RunOptions(headers=run.headers, reset_each_case=run.reset_each_case)
    report = ContractReport()

    progress("OpenAPI diff")
    # Read before the watch drives the app: building the document is not contract traffic.
    new_spec = (
        run.new_spec if run.new_spec is not None else fetch_openapi(run.new, headers=run.headers)
    )
    if isinstance(new_spec, str):
        report.rows.append(
            OperationResult(Suite.OPENAPI_DIFF, "(new app's OpenAPI)", error=new_spec)
        )
    else:
        diff = diff_specs(run.document, new_spec)
        report.rows.extend(diff_rows(diff, labels))
        report.diff_lines = list(iter_lines(diff))

    for operation in operations:
        progress(operation.label)
        report.rows.extend(run_generated(operation, new=new, legacy=run.legacy, options=options))
    if run.legacy is not None:
        progress("stateful scenarios")
        if not run.operations:
            report.rows.extend(
                stateful.run_stateful(
                    # A schema of its own: the generated cases must not steer the scenarios.
                    cases.load_schema(run.document, max_examples=run.max_examples, seed=run.seed),
                    new=new,
                    legacy=run.legacy,
                    options=options,
                    scenarios=run.stateful_scenarios,
                    steps=run.stateful_steps,
                    seed=run.seed,
                )
            )
        progress("explicit cases")
        report.rows.extend(
            run_explicit(run.document, new=new, legacy=run.legacy, headers=run.headers)
        )
    if isinstance(new.target, BlockingWatch):
        new.target.close()
    return report


def fetch_openapi(
    app: AppUnderTest, path: str = OPENAPI_PATH, *, headers: Mapping[str, str] | None = None
) -> dict[str, Any] | str:
    """The app's own OpenAPI document, or a one-line reason it has none.

    Sent with the run's headers: some apps keep their docs behind the same auth.
    """
    exchange = send(app, RawRequest("GET", path, tuple((headers or {}).items())))
    if exchange.response.status != 200:
        return f"the new app answers {exchange.response.status} on GET {path}; give --new-spec"
    try:
        document = exchange.response.json()
    except ValueError:
        return f"the new app's GET {path} is not JSON; give --new-spec"
    if not isinstance(document, dict):
        return f"the new app's GET {path} is not an OpenAPI document; give --new-spec"
    return document


def diff_rows(diff: SpecDiff, labels: set[str] | None = None) -> list[OperationResult]:
    """One row per legacy operation, holding its breaking changes."""
    rows: dict[str, OperationResult] = {}
    for change in diff.changes:
        operation = change.where.split(" > ", 1)[0]
        if labels is not None and operation not in labels:
            continue
        row = rows.setdefault(operation, OperationResult(Suite.OPENAPI_DIFF, operation))
        if change.severity is Severity.BREAKING:
            row.findings.append(Finding("openapi diff", str(change), str(change)))
    for row in rows.values():
        row.cases = 1
        row.failed = 1 if row.findings else 0
        row.failures_by_check["openapi diff"] = len(row.findings)
    for label in labels or ():
        rows.setdefault(label, OperationResult(Suite.OPENAPI_DIFF, label, cases=1))
    return sorted(rows.values(), key=lambda row: row.operation)
