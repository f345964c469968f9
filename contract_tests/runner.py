"""Generated cases, one operation at a time: conformance and differential in one pass.

Each case is sent to the legacy app (when there is one) and to the new app, each on its own
database; both start from the same seed (the setup hook runs before each operation, and
after any differential mismatch, so one difference cannot cascade into the next cases).
The new app's answer goes through the checks (`conformance`), the pair through the
differential rule (`differential`), and the blocking watch is drained after the operation.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from contract_tests import cases, conformance
from contract_tests.apps import AppUnderTest
from contract_tests.blocking_watch import BlockingWatch, recurring
from contract_tests.differential import Comparison, Verdict, compare
from contract_tests.results import Finding, OperationResult, Suite
from contract_tests.transport import (
    WSGI_BASE_URL,
    Exchange,
    exchange_from_schemathesis,
    wsgi_session,
)

if TYPE_CHECKING:
    from schemathesis.core.transport import Response

    from contract_tests.cases import GeneratedCase, Operation


@dataclass(frozen=True)
class RunOptions:
    headers: Mapping[str, str]
    checks: tuple[str, ...] = conformance.CHECK_NAMES
    # Reset both apps before every case instead of before every operation (slower).
    reset_each_case: bool = False


@dataclass(frozen=True)
class Answer:
    """One app's answer to a case: Schemathesis' response (None if it raised) and the exchange."""

    response: Response | None
    exchange: Exchange


def call(case: GeneratedCase, app: AppUnderTest, headers: Mapping[str, str]) -> Answer:
    started = time.time()
    try:
        if app.is_asgi:
            response = case.call(app=app.target, headers=dict(headers))
        else:
            # Through `requests`, as for ASGI apps, so both apps get the same bytes.
            session = wsgi_session(app.target)
            response = case.call(session=session, base_url=WSGI_BASE_URL, headers=dict(headers))
    except Exception as error:
        return Answer(None, conformance.crash_exchange(case, headers, error))
    return Answer(response, exchange_from_schemathesis(response, started, time.time()))


def reset(*apps: AppUnderTest | None) -> None:
    for app in apps:
        if app is not None:
            app.reset()


def run_generated(
    operation: Operation,
    *,
    new: AppUnderTest,
    legacy: AppUnderTest | None,
    options: RunOptions,
) -> list[OperationResult]:
    """Conformance (and, with a legacy app, differential) rows for one operation."""
    label = operation.label
    conformance_row = OperationResult(Suite.CONFORMANCE, label)
    differential_row = OperationResult(Suite.DIFFERENTIAL, label)

    def test(case: GeneratedCase) -> None:
        if options.reset_each_case:
            reset(legacy, new)
        legacy_answer = call(case, legacy, options.headers) if legacy is not None else None
        new_answer = call(case, new, options.headers)
        conformance_row.record_case(
            _conformance(case, new, new_answer, legacy, legacy_answer, options)
        )
        if legacy is None or legacy_answer is None:
            return
        forbidden = case.meta is not None and case.meta.generation.mode.is_negative
        comparison = compare(legacy_answer.exchange, new_answer.exchange, forbidden=forbidden)
        findings = []
        if comparison.verdict is Verdict.MISMATCH:
            title = (
                f"{comparison.summary}: {case.method.upper()} {new_answer.exchange.request.target}"
            )
            findings.append(Finding("differential", title, comparison.describe()))
            reset(legacy, new)
        else:
            record_verdict(differential_row, comparison)
        differential_row.record_case(findings)

    reset(legacy, new)
    try:
        cases.for_each_case(operation, test)
    except Exception as error:  # a schema Schemathesis cannot generate from, a broken hook
        conformance_row.error = f"generation failed: {type(error).__name__}: {error}"
    rows = [conformance_row]
    if legacy is not None:
        rows.append(differential_row)
    rows.extend(blocking_rows(new, label))
    return rows


def record_verdict(row: OperationResult, comparison: Comparison) -> None:
    """Keep the legacy status beside the new one when the answers differ but may."""
    key = (comparison.legacy.response.status, comparison.new.response.status)
    if comparison.verdict is Verdict.REFUSED_DIFFERENTLY:
        row.refused_differently[key] += 1
    elif comparison.verdict is Verdict.LEGACY_FAILED:
        row.legacy_failed[key] += 1


def _conformance(
    case: GeneratedCase,
    new: AppUnderTest,
    new_answer: Answer,
    legacy: AppUnderTest | None,
    legacy_answer: Answer | None,
    options: RunOptions,
) -> list[Finding]:
    if new_answer.response is None:
        return [conformance.crash_finding(new_answer.exchange, new.name)]
    legacy_side = None
    if legacy is not None and legacy_answer is not None and legacy_answer.response is not None:
        legacy_side = (legacy_answer.response, legacy_answer.exchange, legacy)
    return conformance.classify(
        case,
        new_answer.response,
        new_answer.exchange,
        new,
        legacy=legacy_side,
        names=options.checks,
        headers=options.headers,
    )


def blocking_rows(new: AppUnderTest, label: str) -> list[OperationResult]:
    """A row of what blocked the new app's event loop while `label` ran (none: no row).

    Blocks that recur fail; warm-up and one-off blocks are notes (`blocking_watch.recurring`).
    """
    watch = new.target if isinstance(new.target, BlockingWatch) else None
    if watch is None:
        return []
    window = watch.drain()
    failures, notes = recurring(window)
    row = OperationResult(Suite.BLOCKING, label)
    for blocked in failures:
        row.record_case([Finding("blocking", str(blocked), str(blocked))])
    for blocked in notes:
        note = "" if blocked.warm_up else " (did not recur: scheduling noise or a rare path)"
        row.notes.append(f"{blocked}{note}")
    return [row] if window.blocked else []
