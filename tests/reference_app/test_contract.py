"""The reference app keeps the legacy contract: the same Schemathesis run that the legacy app
passes (tests/legacy_app/test_contract.py), against this app in process (ASGI)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
import yaml
from fastapi import FastAPI
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.python.asgi import shutdown_lifespans

from reference_app.db import init_db, make_engine
from reference_app.main import create_app
from reference_app.settings import Settings
from tests.conftest import ACME
from tests.legacy_app.test_contract import CHECKS, SPEC, schema


async def reseed(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        await init_db(engine, with_seed=True, reset=True)
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def contract_app(reference_database_url: str) -> Iterator[FastAPI]:
    """An app of its own: Schemathesis runs its lifespan on its own event loop thread."""
    application = create_app(settings=Settings(database_url=reference_database_url))
    yield application
    shutdown_lifespans()  # close its pool before the scratch database is dropped


@pytest.fixture
def asgi_app(contract_app: FastAPI, settings: Settings) -> FastAPI:
    """The app on freshly seeded data, with this operation's upstream and upload folder."""
    asyncio.run(reseed(settings))
    contract_app.state.settings = settings
    return contract_app


# Cases of one operation share a database, seeded when the operation starts: what they
# create, change or delete stays, as it would against a running service.
@schema.parametrize()
@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_reference_app_conforms(case: schemathesis.Case[Any], asgi_app: FastAPI) -> None:
    response = case.call(app=asgi_app, headers=ACME)
    case.validate_response(response, checks=CHECKS)


def test_generated_openapi_documents_the_legacy_operations() -> None:
    """/openapi.json lists every legacy operation under its id, with the same statuses."""
    legacy = yaml.safe_load(SPEC.read_text())
    generated = create_app().openapi()
    for path, operations in legacy["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            mine = generated["paths"][path][method]
            assert mine["operationId"] == operation["operationId"]
            assert set(mine["responses"]) == {str(code) for code in operation["responses"]}, (
                method,
                path,
            )
    legacy_operations = sum(len(set(ops) - {"parameters"}) for ops in legacy["paths"].values())
    assert sum(len(ops) for ops in generated["paths"].values()) == legacy_operations
