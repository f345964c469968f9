"""Stateful: CRUD sequences through the contract's links, on both apps in lockstep.

Schemathesis builds a state machine from the OpenAPI links (create a client → get, patch,
delete it, or create an invoice for it → send it, attach a file...). Each step goes to the
legacy app and to the new app; the new app's answer feeds the next step and goes through
the checks (with the scenario's history, so `use_after_free` and
`ensure_resource_availability` apply), and the two answers are compared step by step.
Both databases are reset at the start of every scenario and after any mismatch.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import requests

from contract_tests import conformance
from contract_tests.apps import AppUnderTest
from contract_tests.differential import Verdict, compare
from contract_tests.results import Finding, OperationResult, Suite
from contract_tests.runner import (
    Answer,
    RunOptions,
    blocking_rows,
    call,
    record_verdict,
    reset,
)

if TYPE_CHECKING:
    from schemathesis.core.transport import Response
    from schemathesis.schemas import BaseSchema

    from contract_tests.cases import GeneratedCase

DEFAULT_SCENARIOS = 20
DEFAULT_STEPS = 8


def run_stateful(
    schema: BaseSchema,
    *,
    new: AppUnderTest,
    legacy: AppUnderTest | None,
    options: RunOptions,
    scenarios: int = DEFAULT_SCENARIOS,
    steps: int = DEFAULT_STEPS,
    seed: int | None = None,
) -> list[OperationResult]:
    """One row per operation the scenarios reached, then the blocking watch's row."""
    import hypothesis
    from schemathesis.engine.recorder import ScenarioRecorder

    rows: dict[str, OperationResult] = {}
    base: Any = schema.as_state_machine()

    class Lockstep(base):  # type: ignore[misc]
        def setup(self) -> None:
            super().setup()
            reset(legacy, new)
            self.legacy_recorder = ScenarioRecorder(label="legacy")
            # Same cases and parents, the legacy app's responses.
            self.legacy_recorder.cases = self.recorder.cases
            self.legacy_answers: dict[str, Answer] = {}
            self.new_answers: dict[str, Answer] = {}

        def get_call_kwargs(self, case: GeneratedCase) -> dict[str, Any]:
            return {}

        def call(self, case: GeneratedCase, **kwargs: Any) -> Response:
            if legacy is not None:
                self.legacy_answers[case.id] = call(case, legacy, options.headers)
            answer = call(case, new, options.headers)
            self.new_answers[case.id] = answer
            return answer.response or _crash_response(answer)

        def after_call(self, response: Response, case: GeneratedCase) -> None:
            super().after_call(response, case)
            legacy_answer = self.legacy_answers.get(case.id)
            if legacy_answer is not None and legacy_answer.response is not None:
                self.legacy_recorder.record_response(
                    case_id=case.id, response=legacy_answer.response
                )

        def validate_response(
            self,
            response: Response,
            case: GeneratedCase,
            additional_checks: Any = None,
            **kwargs: Any,
        ) -> None:
            row = rows.setdefault(
                case.operation.label, OperationResult(Suite.STATEFUL, case.operation.label)
            )
            row.record_case(list(self._step_findings(response, case)))

        def _step_findings(self, response: Response, case: GeneratedCase) -> Iterator[Finding]:
            new_answer = self.new_answers[case.id]
            legacy_answer = self.legacy_answers.get(case.id)
            if new_answer.response is None:
                yield conformance.crash_finding(new_answer.exchange, new.name)
            else:
                legacy_side = None
                if legacy is not None and legacy_answer is not None and legacy_answer.response:
                    legacy_side = (legacy_answer.response, legacy_answer.exchange, legacy)
                yield from conformance.classify(
                    case,
                    response,
                    new_answer.exchange,
                    new,
                    legacy=legacy_side,
                    names=options.checks,
                    headers=options.headers,
                    recorders=(self.recorder, self.legacy_recorder),
                )
            if legacy_answer is None:
                return
            forbidden = case.meta is not None and case.meta.generation.mode.is_negative
            comparison = compare(legacy_answer.exchange, new_answer.exchange, forbidden=forbidden)
            record_verdict(rows[case.operation.label], comparison)
            if comparison.verdict is Verdict.MISMATCH:
                steps_so_far = self._history(case)
                title = f"{comparison.summary}: {steps_so_far}"
                yield Finding(
                    "differential", title, f"after {steps_so_far}\n{comparison.describe()}"
                )
                reset(legacy, new)

        def _history(self, case: GeneratedCase) -> str:
            chain: list[str] = []
            current: GeneratedCase | None = case
            while current is not None:
                chain.append(f"{current.method.upper()} {current.formatted_path}")
                current = self.recorder.find_parent(case_id=current.id)
            return " → ".join(reversed(chain))

    settings = hypothesis.settings(
        max_examples=scenarios,
        stateful_step_count=steps,
        deadline=None,
        derandomize=seed is None,
        database=None,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.generate],
        verbosity=hypothesis.Verbosity.quiet,
    )
    if seed is not None:
        hypothesis.seed(seed)(Lockstep)
    error: str | None = None
    try:
        Lockstep.run(settings=settings)
    except Exception as problem:
        error = f"stateful run failed: {type(problem).__name__}: {str(problem).splitlines()[0]}"
    result = sorted(rows.values(), key=lambda row: row.operation)
    if error is not None:
        result.append(OperationResult(Suite.STATEFUL, "(scenarios)", error=error))
    result.extend(blocking_rows(new, "stateful scenarios"))
    return result


def _crash_response(answer: Answer) -> Response:
    """A stand-in 500 so the state machine can go on after the new app raised."""
    from schemathesis.core.transport import Response

    prepared = requests.PreparedRequest()
    prepared.prepare(
        method=answer.exchange.request.method,
        url=f"http://testserver{answer.exchange.request.target}",
    )
    return Response(
        status_code=500,
        headers={"content-type": ["text/plain"]},
        content=answer.exchange.response.body,
        request=prepared,
        elapsed=0.0,
        verify=True,
    )
