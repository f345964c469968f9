"""The legacy app keeps its own contract: Schemathesis against openapi.yaml, in process (WSGI)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

import legacy_app
from tests.conftest import ACME

SPEC = Path(legacy_app.__file__).parent / "openapi.yaml"

schema = schemathesis.openapi.from_path(SPEC)
schema.config.generation.update(max_examples=25, deterministic=True)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Cases of one operation share a database, seeded when the operation starts: what they
# create, change or delete stays, as it would against a running service.
@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_legacy_app_conforms(case: schemathesis.Case[Any], app: Flask) -> None:
    response = case.call(app=app, headers=ACME)
    case.validate_response(response, checks=CHECKS)
