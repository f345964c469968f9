"""The repo's contract suite: every candidate against the legacy contract and the legacy app.

One test per candidate and operation (conformance, differential, blocking watch, OpenAPI
diff), per explicit family, and one for the stateful scenarios. Known gaps are strict
expected failures listed in tests/contract/contract_status.py and docs/contract-status.md.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from contract_tests.explicit import build_cases
from contract_tests.openapi_diff import operation_labels
from contract_tests.results import OperationResult, Suite
from tests.contract.candidates import CANDIDATES, Candidate
from tests.contract.conftest import DOCUMENT, ContractRuns
from tests.contract.contract_status import EXPECTED_FAILURES, KNOWN_INHERITED, marks

LABELS = operation_labels(DOCUMENT)
FAMILIES = list(build_cases(DOCUMENT))
STATUS_DOC = Path(__file__).resolve().parents[2] / "docs" / "contract-status.md"


def per(suite: str, keys: list[str]) -> list[Any]:
    return [
        pytest.param(
            candidate, key, marks=marks(candidate.name, suite, key), id=f"{candidate.name}-{key}"
        )
        for candidate in CANDIDATES
        for key in keys
    ]


def assert_ok(rows: list[OperationResult]) -> None:
    failing = [row for row in rows if not row.ok]
    assert not failing, "\n\n".join(row.describe_failures() for row in failing)


def rows_of(rows: list[OperationResult], suite: Suite) -> list[OperationResult]:
    return [row for row in rows if row.suite is suite]


@pytest.mark.parametrize(("candidate", "label"), per("conformance", LABELS))
def test_conformance(contract_runs: ContractRuns, candidate: Candidate, label: str) -> None:
    """Every Schemathesis check on the candidate's answers; failures legacy shares are inherited."""
    assert_ok(rows_of(contract_runs.get(candidate).generated(label), Suite.CONFORMANCE))


@pytest.mark.parametrize(("candidate", "label"), per("differential", LABELS))
def test_differential(contract_runs: ContractRuns, candidate: Candidate, label: str) -> None:
    """The same generated requests to the legacy app and the candidate: the same answers."""
    rows = rows_of(contract_runs.get(candidate).generated(label), Suite.DIFFERENTIAL)
    assert rows and rows[0].cases > 0
    assert_ok(rows)


@pytest.mark.parametrize(("candidate", "label"), per("blocking watch", LABELS))
def test_blocking_watch(contract_runs: ContractRuns, candidate: Candidate, label: str) -> None:
    """Nothing the candidate did while serving the operation blocked its event loop."""
    assert_ok(rows_of(contract_runs.get(candidate).generated(label), Suite.BLOCKING))


@pytest.mark.parametrize(("candidate", "label"), per("openapi diff", LABELS))
def test_openapi_diff(contract_runs: ContractRuns, candidate: Candidate, label: str) -> None:
    """The candidate's own OpenAPI breaks nothing the contract promised for the operation."""
    breaking = [
        str(change)
        for change in contract_runs.get(candidate).openapi_diff().breaking
        if change.where.split(" > ", 1)[0] == label
    ]
    assert not breaking, "\n".join(breaking)


@pytest.mark.parametrize(("candidate", "family"), per("explicit", FAMILIES))
def test_explicit(contract_runs: ContractRuns, candidate: Candidate, family: str) -> None:
    """Behaviour clients rely on that generation never reaches, compared with the legacy app."""
    rows = [row for row in contract_runs.get(candidate).explicit() if row.operation == family]
    assert rows and rows[0].cases > 0
    assert_ok(rows)


@pytest.mark.parametrize(("candidate", "scenarios"), per("stateful", ["scenarios"]))
def test_stateful(contract_runs: ContractRuns, candidate: Candidate, scenarios: str) -> None:
    """CRUD sequences through the contract's links, both apps in lockstep, step by step."""
    rows = contract_runs.get(candidate).stateful()
    assert sum(row.cases for row in rows_of(rows, Suite.STATEFUL)) > 0
    assert_ok(rows)


@pytest.mark.parametrize("candidate", CANDIDATES, ids=lambda c: c.name)
def test_inherited_failures_are_the_known_ones(
    contract_runs: ContractRuns, candidate: Candidate
) -> None:
    """Checks the legacy app fails too are reported, never dropped: each one is documented."""
    run = contract_runs.get(candidate)
    rows = [row for label in LABELS for row in run.generated(label)] + run.stateful()
    seen = {
        (str(row.suite), row.operation, check) for row in rows for check in row.inherited_by_check
    }
    unknown = sorted(seen - set(KNOWN_INHERITED))
    assert not unknown, f"inherited failures not in contract_status.KNOWN_INHERITED: {unknown}"


def test_the_status_doc_lists_every_expected_failure() -> None:
    text = STATUS_DOC.read_text(encoding="utf-8")
    for candidate, suite, key in EXPECTED_FAILURES:
        line = f"| {candidate} | {suite} | `{key}` |"
        assert line in text, f"docs/contract-status.md lacks the row starting {line!r}"
    for suite, operation, check in KNOWN_INHERITED:
        assert re.search(rf"\| {suite} \| `{re.escape(operation)}` \| {check} \|", text), (
            f"docs/contract-status.md lacks the inherited row {suite} {operation} {check}"
        )
