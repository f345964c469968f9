"""The contract suite's apps and runs, built once per session and shared by its tests.

Each candidate app and the legacy app get databases of their own (SQLite files, or
PostgreSQL databases with $DATABASE_URL), upload folders of their own and one real upstream.
A `CandidateRun` computes each suite lazily, once, so the per-operation tests of
conformance, differential and the blocking watch share one pass over the generated cases.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import legacy_app
from contract_tests import cases, stateful
from contract_tests.apps import AppUnderTest
from contract_tests.blocking_watch import BlockingWatch
from contract_tests.explicit import run_explicit
from contract_tests.invoicing import reseed
from contract_tests.openapi_diff import SpecDiff, diff_specs
from contract_tests.results import OperationResult
from contract_tests.runner import RunOptions, run_generated
from contract_tests.suite import fetch_openapi, watched
from tests.conftest import ACME
from tests.contract.candidates import CANDIDATES, Candidate, Environment, build_legacy
from tests.databases import ScratchDatabases
from tests.upstream import Upstream, running_upstream

CONTRACT = Path(legacy_app.__file__).parent / "openapi.yaml"
DOCUMENT = cases.read_spec(CONTRACT)


class CandidateRun:
    """One candidate against the legacy contract and the legacy app; every suite computed once."""

    def __init__(self, new: AppUnderTest, legacy: AppUnderTest) -> None:
        self.seed = cases.seed_from_env()
        self.schema = cases.load_schema(
            DOCUMENT, max_examples=cases.max_examples_from_env(), seed=self.seed
        )
        self.operations = {op.label: op for op in cases.select_operations(self.schema)}
        self.raw_new = new
        self.new = watched(new)
        self.legacy = legacy
        self.options = RunOptions(headers=ACME)

    @functools.cache  # noqa: B019 - one run per session, kept for the session
    def openapi_document(self) -> dict[str, Any] | str:
        # Read before the watch drives the app: building the document is not contract traffic.
        # Seeded first: an app whose docs sit behind its auth hook looks the token up.
        self.raw_new.reset()
        return fetch_openapi(self.raw_new, headers=ACME)

    def openapi_diff(self) -> SpecDiff:
        document = self.openapi_document()
        if isinstance(document, str):
            raise AssertionError(document)
        return diff_specs(DOCUMENT, document)

    @functools.cache  # noqa: B019
    def generated(self, label: str) -> list[OperationResult]:
        self.openapi_document()
        return run_generated(
            self.operations[label], new=self.new, legacy=self.legacy, options=self.options
        )

    @functools.cache  # noqa: B019
    def stateful(self) -> list[OperationResult]:
        self.openapi_document()
        # A schema of its own: what the generated cases taught Schemathesis must not steer it.
        schema = cases.load_schema(
            DOCUMENT, max_examples=cases.max_examples_from_env(), seed=self.seed
        )
        return stateful.run_stateful(
            schema, new=self.new, legacy=self.legacy, options=self.options, seed=self.seed
        )

    @functools.cache  # noqa: B019
    def explicit(self) -> list[OperationResult]:
        self.openapi_document()
        return run_explicit(DOCUMENT, new=self.new, legacy=self.legacy, headers=ACME)

    def close(self) -> None:
        if isinstance(self.new.target, BlockingWatch):
            self.new.target.close()


class ContractRuns:
    """Builds each candidate's run on first use."""

    def __init__(self, databases: ScratchDatabases, upstream: Upstream, folders: Path) -> None:
        self.databases = databases
        self.upstream = upstream
        self.folders = folders
        self.runs: dict[str, CandidateRun] = {}
        self.legacy: AppUnderTest | None = None

    def environment(self, label: str) -> Environment:
        folder = self.folders / label
        folder.mkdir(parents=True, exist_ok=True)
        return Environment(self.databases.new(label), folder, self.upstream.url)

    def legacy_app(self) -> AppUnderTest:
        if self.legacy is None:
            app = build_legacy(self.environment("contract_legacy"))
            self.legacy = AppUnderTest("legacy", app, setup=reseed)
        return self.legacy

    def get(self, candidate: Candidate) -> CandidateRun:
        run = self.runs.get(candidate.name)
        if run is None:
            app = candidate.build(self.environment(f"contract_{candidate.name}"))
            new = AppUnderTest(candidate.name, app, setup=reseed)
            run = CandidateRun(new, self.legacy_app())
            self.runs[candidate.name] = run
        return run

    def close(self) -> None:
        for run in self.runs.values():
            run.close()
        if self.legacy is not None:
            self.legacy.app.extensions["db_engine"].dispose()


@pytest.fixture(scope="session")
def contract_upstream() -> Iterator[Upstream]:
    """An upstream of the contract suite's own, so other tests' settings cannot leak in."""
    with running_upstream() as server:
        yield server


@pytest.fixture(scope="session")
def contract_runs(
    scratch_databases: ScratchDatabases,
    contract_upstream: Upstream,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[ContractRuns]:
    runs = ContractRuns(scratch_databases, contract_upstream, tmp_path_factory.mktemp("contract"))
    try:
        yield runs
    finally:
        runs.close()


def candidate_ids(candidate: Any) -> str:
    return str(getattr(candidate, "name", candidate))


__all__ = ["CANDIDATES", "DOCUMENT", "CandidateRun", "ContractRuns", "candidate_ids"]
