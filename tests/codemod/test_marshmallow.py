"""The Pydantic models written beside marshmallow schemas accept and refuse what the schemas
did, for the constraints they carry; views wired to them answer as the Flask original."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import marshmallow
import pydantic

from migrator.cli import main
from tests.codemod.migrated import SUPPORT_MODULES, imported_from
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
    with imported_from(out, *SUPPORT_MODULES):
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


ROUTES = Path(__file__).parent / "cases" / "marshmallow" / "routes.before.py"
REQUESTS: list[tuple[str, str, Any]] = [
    ("POST", "/items", {"name": "pen", "price": 1.5}),
    ("POST", "/items", {"name": ""}),  # the schema's own message, through the app's 422
    ("POST", "/items", {"price": "x"}),
    ("POST", "/items", {"name": "pen", "colour": "red"}),  # unknown field: RAISE
    ("POST", "/items", [1]),
    ("POST", "/items", b"name=pen"),  # not JSON: 415
    ("POST", "/items", b"{not json"),  # malformed: 400
    ("POST", "/items/bulk", [{"name": "a"}, {"name": "b", "tags": ["x"]}]),
    ("POST", "/items/bulk", [{"name": "a"}, {}]),
    ("GET", "/items", None),
    ("PUT", "/items/0", {"name": ""}),  # the view's own 400
    ("PUT", "/items/0", {"name": "pencil"}),
    ("PUT", "/items/9", {"name": "pencil"}),
]


async def test_views_loading_and_dumping_answer_as_flask(tmp_path: Path) -> None:
    source = tmp_path / "shop.py"
    source.write_text(ROUTES.read_text())
    out = tmp_path / "out"
    assert main([str(source), "--out", str(out), "--jobs", "1"]) == 0
    flask_client = _module(source, "legacy_shop").app.test_client()
    with imported_from(out, *SUPPORT_MODULES):
        migrated = _module(out / "shop.py", "migrated_shop").app
        transport = httpx.ASGITransport(app=migrated)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            for method, url, body in REQUESTS:
                if isinstance(body, bytes):
                    kind = "application/json" if body.startswith(b"{") else "text/plain"
                    options: dict[str, Any] = {"data": body, "content_type": kind}
                    sent: dict[str, Any] = {"content": body, "headers": {"content-type": kind}}
                else:
                    options = sent = {"json": body} if body is not None else {}
                expected = flask_client.open(url, method=method, **options)
                got = await client.request(method, url, **sent)
                assert got.status_code == expected.status_code, (method, url, body)
                if expected.is_json:
                    assert got.json() == expected.get_json(), (method, url, body)
            spec = (await client.get("/openapi.json")).json()
    body = spec["paths"]["/items"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/ItemSchemaModel"}
    answer = spec["paths"]["/items"]["get"]["responses"]["200"]["content"]["application/json"]
    assert answer["schema"]["items"] == {"$ref": "#/components/schemas/ItemSchemaModel"}
    assert "201" in spec["paths"]["/items/bulk"]["post"]["responses"]
