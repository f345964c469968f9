"""The Pydantic models written beside marshmallow schemas accept and refuse what the schemas
did, for the constraints they carry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import marshmallow
import pydantic

from migrator.cli import main
from tests.codemod.migrated import imported_from
from tests.codemod.test_class_views import _module

CASE = Path(__file__).parent / "cases" / "marshmallow" / "schemas.before.py"

PAYLOADS: list[dict[str, Any]] = [
    {"name": "ada"},
    {"name": "ada", "age": 36, "role": "admin", "tags": ["x"], "extra": 1},
    {"name": "ada", "address": {"city": "London", "zip": "12345"}},
    {},
    {"name": ""},
    {"name": "x" * 51},
    {"name": "ada", "role": "root"},
    {"name": "ada", "age": -1},
    {"name": "ada", "email": None},
    {"name": "ada", "address": {"city": "London", "zip": "123"}},
    {"name": "ada", "address": {"zip": "12345"}},
    {"name": "ada", "score": "0"},
    {"name": "ada", "score": "1.5"},
]


def test_models_accept_and_refuse_as_the_schemas(tmp_path: Path) -> None:
    source = tmp_path / "schemas.py"
    source.write_text(CASE.read_text())
    out = tmp_path / "out"
    assert main([str(source), "--out", str(out), "--jobs", "1"]) == 0
    with imported_from(out, "flask_compat"):
        migrated = _module(out / "schemas.py", "migrated_schemas")
    for payload in PAYLOADS:
        try:
            migrated.UserSchema().load(payload)
            schema_ok = True
        except marshmallow.ValidationError:
            schema_ok = False
        try:
            migrated.UserSchemaModel.model_validate(payload)
            model_ok = True
        except pydantic.ValidationError:
            model_ok = False
        assert model_ok == schema_ok, payload
