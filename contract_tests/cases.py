"""The legacy contract as Schemathesis sees it, and the generated cases of one operation.

Generation is deterministic by default (`deterministic=True`: the same cases on every run,
so CI is repeatable). A seed (`--seed N` or `CONTRACT_SEED=N`) switches to seeded random
generation to explore beyond them; the same seed gives the same cases again.

Every case of an operation comes from the examples, coverage and fuzzing phases, exactly
as Schemathesis' pytest integration builds them (`build_operation_test`), but the test
function records what it finds instead of raising, so every case runs and is counted.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from migrator.errors import UserError

if TYPE_CHECKING:
    from typing import TypeAlias

    from schemathesis import Case
    from schemathesis.schemas import APIOperation, BaseSchema

    GeneratedCase: TypeAlias = Case[Any]
    Operation: TypeAlias = APIOperation[Any, Any, Any, Any]

SEED_ENV = "CONTRACT_SEED"
MAX_EXAMPLES_ENV = "CONTRACT_MAX_EXAMPLES"
DEFAULT_MAX_EXAMPLES = 10


def seed_from_env(explicit: int | None = None) -> int | None:
    """`explicit` when given, else $CONTRACT_SEED, else None (deterministic generation)."""
    if explicit is not None:
        return explicit
    raw = os.environ.get(SEED_ENV, "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise UserError(f"${SEED_ENV} must be an integer, not {raw!r}") from None


def max_examples_from_env(explicit: int | None = None) -> int:
    if explicit is not None:
        return explicit
    raw = os.environ.get(MAX_EXAMPLES_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_EXAMPLES
    try:
        return int(raw)
    except ValueError:
        raise UserError(f"${MAX_EXAMPLES_ENV} must be an integer, not {raw!r}") from None


def read_spec(path: str | Path) -> dict[str, Any]:
    """Parse and validate an OpenAPI document; `UserError` with one line when it is unusable."""
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as error:
        raise UserError(f"cannot read spec {str(source)!r}: {error.strerror or error}") from None
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise UserError(f"spec {str(source)!r} is not valid YAML/JSON{where}") from None
    return validate_spec(
        document, name=str(source), validate=validate, error=OpenAPIValidationError
    )


def validate_spec(
    document: Any, *, name: str, validate: Callable[..., Any], error: type[Exception]
) -> dict[str, Any]:
    if not isinstance(document, dict) or "openapi" not in document:
        raise UserError(f"spec {name!r} is not an OpenAPI document (no `openapi` key)")
    try:
        validate(document)
    except error as problem:
        message = str(getattr(problem, "message", problem)).splitlines()[0]
        path = "/".join(str(p) for p in getattr(problem, "path", ()) or ())
        where = f" at {path}" if path else ""
        raise UserError(
            f"spec {name!r} is not a valid OpenAPI document{where}: {message}"
        ) from None
    return document


def load_schema(document: Mapping[str, Any], *, max_examples: int, seed: int | None) -> BaseSchema:
    """A Schemathesis schema of `document`, configured for this run's budget and seed."""
    import schemathesis

    schema = schemathesis.openapi.from_dict(dict(document))
    schema.config.generation.update(
        max_examples=max_examples, deterministic=seed is None, database="none"
    )
    if seed is not None:
        schema.config.seed = seed
    return schema


def select_operations(schema: BaseSchema, wanted: Iterable[str] = ()) -> list[Operation]:
    """Every operation, or those named by operationId or `METHOD /path`; unknown names fail."""
    operations: list[Operation] = []
    from schemathesis.core.result import Err

    for result in schema.get_all_operations():
        if isinstance(result, Err):
            problem = str(result.err()).splitlines()[0]
            raise UserError(f"the spec has an operation Schemathesis cannot use: {problem}")
        operations.append(result.ok())
    wanted = list(wanted)
    if not wanted:
        return operations
    by_name: dict[str, Operation] = {}
    for operation in operations:
        by_name[operation.label.lower()] = operation
        operation_id = operation.definition.raw.get("operationId")
        if operation_id:
            by_name[str(operation_id).lower()] = operation
    chosen: list[Operation] = []
    for name in wanted:
        found = by_name.get(" ".join(name.split()).lower())
        if found is None:
            raise UserError(f"unknown operation {name!r}: give an operationId or 'METHOD /path'")
        if found not in chosen:
            chosen.append(found)
    return chosen


def for_each_case(operation: Operation, test: Callable[[GeneratedCase], None]) -> None:
    """Call `test` with every generated case of `operation` (examples, coverage, fuzzing)."""
    import hypothesis
    from schemathesis.generation.feedback import FeedbackSources
    from schemathesis.pytest._test_builder import build_operation_test

    def run(case: GeneratedCase) -> None:
        test(case)

    quiet = hypothesis.settings(
        deadline=None,
        suppress_health_check=list(hypothesis.HealthCheck),
        verbosity=hypothesis.Verbosity.quiet,
    )
    hypothesis_test = build_operation_test(
        config=operation.schema.config,
        operation=operation,
        test_func=run,
        given_kwargs={},
        feedback=FeedbackSources(),
        explicit_settings=quiet,
    )
    hypothesis_test()


def operation_id(operation: Operation) -> str:
    raw = operation.definition.raw.get("operationId")
    return str(raw) if raw else operation.label
