"""`migrate contract` as a function: command-line strings in, a contract report out.

Loads the spec, the apps (`MODULE:app` or `MODULE:factory(...)`), the headers and the setup
hook, then runs `contract_tests.suite.run_contract`. Everything a user can get wrong
raises `UserError` with one line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from migrator.errors import UserError

if TYPE_CHECKING:
    from contract_tests.results import ContractReport
    from contract_tests.suite import ContractRun


@dataclass(frozen=True)
class ContractOptions:
    spec: Path
    new: str
    legacy: str | None = None
    max_examples: int | None = None
    seed: int | None = None
    headers: Sequence[str] = ()
    setup: str | None = None
    operations: Sequence[str] = ()
    new_spec: Path | None = None
    reset_each_case: bool = False
    blocking_threshold_ms: float = 50.0
    junit: Path | None = field(default=None)


def parse_header(raw: str) -> tuple[str, str]:
    """`'Authorization: Bearer x'` → `('Authorization', 'Bearer x')`."""
    name, sep, value = raw.partition(":")
    if not sep or not name.strip() or any(c.isspace() for c in name.strip()):
        raise UserError(f"--header must look like 'Name: value', not {raw!r}")
    return name.strip(), value.strip()


def build_run(options: ContractOptions) -> ContractRun:
    from contract_tests import apps, cases
    from contract_tests.suite import ContractRun

    if options.max_examples is not None and options.max_examples < 1:
        raise UserError("--max-examples must be at least 1")
    if options.blocking_threshold_ms <= 0:
        raise UserError("--blocking-threshold must be a positive number of milliseconds")
    document = cases.read_spec(options.spec)
    new_spec = cases.read_spec(options.new_spec) if options.new_spec is not None else None
    headers = dict(parse_header(raw) for raw in options.headers)
    apps.ensure_importable_from_cwd()
    setup = apps.load_setup(options.setup) if options.setup else None
    new = apps.AppUnderTest("new", apps.load_app(options.new, name="new"), setup=setup)
    legacy = None
    if options.legacy is not None:
        legacy = apps.AppUnderTest(
            "legacy", apps.load_app(options.legacy, name="legacy"), setup=setup
        )
    run = ContractRun(
        document=document,
        new=new,
        legacy=legacy,
        headers=headers,
        max_examples=cases.max_examples_from_env(options.max_examples),
        seed=cases.seed_from_env(options.seed),
        operations=tuple(options.operations),
        reset_each_case=options.reset_each_case,
        new_spec=new_spec,
        blocking_threshold_s=options.blocking_threshold_ms / 1000,
    )
    # Unknown operations fail here, before anything runs.
    cases.select_operations(
        cases.load_schema(document, max_examples=run.max_examples, seed=run.seed), run.operations
    )
    return run


def run_contract(
    options: ContractOptions, *, progress: Callable[[str], None] = lambda _: None
) -> ContractReport:
    from contract_tests.suite import run_contract as run_suite

    report = run_suite(build_run(options), progress=progress)
    if options.junit is not None:
        from contract_tests.report import write_junit

        try:
            write_junit(report, options.junit)
        except OSError as error:
            raise UserError(
                f"cannot write --junit {str(options.junit)!r}: {error.strerror}"
            ) from None
    return report
