"""The OpenAPI differ: one small hand-made spec pair per kind of change."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi import FastAPI
from pydantic import BaseModel

import legacy_app
from contract_tests.openapi_diff import (
    Severity,
    SpecDiff,
    diff_specs,
    iter_lines,
    resolve_refs,
    type_set,
)

CONTRACT = Path(legacy_app.__file__).parent / "openapi.yaml"


def spec(paths: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths, **extra}


ITEM = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
    "additionalProperties": False,
}


def base() -> dict[str, Any]:
    """One GET with a query and a path parameter, one POST with a JSON body."""
    document = spec(
        {
            "/items/{item_id}": {
                "get": {
                    "parameters": [
                        {
                            "name": "item_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 0, "maximum": 100},
                        },
                        {
                            "name": "page",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 50},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "headers": {
                                "X-Total": {"required": True, "schema": {"type": "string"}}
                            },
                            "content": {"application/json": {"schema": ITEM}},
                        },
                        "404": {"description": "missing"},
                    },
                }
            },
            "/items": {
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["name"],
                                    "properties": {
                                        "name": {"type": "string"},
                                        "note": {"type": ["string", "null"]},
                                    },
                                }
                            }
                        },
                    },
                    "responses": {"201": {"description": "created"}},
                }
            },
        },
        security=[{"token": []}],
        components={"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
    )
    return copy.deepcopy(document)


def changed(edit: Any) -> SpecDiff:
    new = base()
    edit(new)
    return diff_specs(base(), new)


def only_breaking(diff: SpecDiff) -> list[str]:
    return [str(change) for change in diff.breaking]


GET = ("paths", "/items/{item_id}", "get")
POST = ("paths", "/items", "post")


def at(document: dict[str, Any], *keys: str) -> Any:
    node: Any = document
    for key in keys:
        node = node[key]
    return node


def page_schema(document: dict[str, Any]) -> dict[str, Any]:
    """The schema of GET's query parameter `page`."""
    schema: dict[str, Any] = at(document, *GET)["parameters"][1]["schema"]
    return schema


def body_schema(document: dict[str, Any]) -> dict[str, Any]:
    """The schema of POST's JSON body."""
    schema: dict[str, Any] = at(document, *POST, "requestBody", "content", "application/json")[
        "schema"
    ]
    return schema


def item_schema(document: dict[str, Any]) -> dict[str, Any]:
    """The schema of GET's 200 JSON response."""
    schema: dict[str, Any] = at(document, *GET, "responses", "200", "content", "application/json")[
        "schema"
    ]
    return schema


def rename(mapping: dict[str, Any], old: str, new: str) -> None:
    mapping[new] = mapping.pop(old)


def test_identical_specs_have_no_changes() -> None:
    assert diff_specs(base(), base()).changes == []


def test_the_contract_against_itself_is_clean() -> None:
    document = yaml.safe_load(CONTRACT.read_text())
    assert diff_specs(document, document).changes == []


# Where the differ reports a change: an operation, then a part of it.
PAGE = "GET /items/{item_id} > query parameter `page`"
BODY = "POST /items > request body (application/json)"
RESPONSE = "GET /items/{item_id} > response 200 (application/json)"
X_TOKEN = "security: requires apiKey header x-token instead of http bearer"

# One edit of the new spec each, and every breaking change the differ reports for it (in
# any order: an edit on both sides of an operation may be reported either way round).
BREAKING_EDITS = [
    pytest.param(
        lambda new: at(new, *GET)["parameters"].pop(1),
        [f"{PAGE}: missing: the new app would ignore or refuse it"],
        id="missing parameter",
    ),
    pytest.param(
        lambda new: at(new, *GET)["parameters"][1].update(required=True),
        [f"{PAGE}: now required"],
        id="parameter becoming required",
    ),
    pytest.param(
        lambda new: page_schema(new).update(minimum=2),
        [f"{PAGE}: minimum narrowed from 1 to 2"],
        id="parameter minimum narrowed",
    ),
    pytest.param(
        lambda new: page_schema(new).update(maximum=10),
        [f"{PAGE}: maximum narrowed from 50 to 10"],
        id="parameter maximum narrowed",
    ),
    pytest.param(
        lambda new: at(new, *GET)["parameters"][0]["schema"].update(minimum=1),
        ["GET /items/{item_id} > path parameter `#1`: minimum narrowed from 0 to 1"],
        id="path parameter bound narrowed",
    ),
    pytest.param(
        lambda new: at(new, *POST).pop("requestBody"),
        ["POST /items > request body: missing: the new app does not read a body"],
        id="request body missing",
    ),
    pytest.param(
        lambda new: rename(
            at(new, *POST, "requestBody", "content"),
            "application/json",
            "application/x-www-form-urlencoded",
        ),
        [f"{BODY}: media type no longer accepted"],
        id="request body media type dropped",
    ),
    pytest.param(
        lambda new: body_schema(new).update(required=["name", "note"]),
        [f"{BODY}.note: now required"],
        id="request body new required property",
    ),
    pytest.param(
        lambda new: body_schema(new)["properties"].update(note={"type": "string"}),
        [f"{BODY}.note: type narrowed from null|string to string"],
        id="request body property no longer nullable",
    ),
    pytest.param(
        lambda new: body_schema(new)["properties"].pop("note"),
        [f"{BODY}.note: property missing: the new app would ignore it"],
        id="request body property missing",
    ),
    pytest.param(
        lambda new: at(new, *GET)["responses"].pop("404"),
        ["GET /items/{item_id} > response 404: no longer declared"],
        id="response status no longer declared",
    ),
    pytest.param(
        lambda new: at(new, *POST)["responses"].update(
            {"422": {"description": "Validation Error"}}
        ),
        ["POST /items > response 422: declared, but not in the contract"],
        id="response status not in the contract",
    ),
    pytest.param(
        lambda new: rename(at(new, *POST)["responses"], "201", "200"),
        [
            "POST /items > response 200: declared, but not in the contract",
            "POST /items > response 201: no longer declared",
        ],
        id="success status changed",
    ),
    pytest.param(
        lambda new: item_schema(new).update(required=["id"]),
        [f"{RESPONSE}.name: required by the contract, may be missing"],
        id="response required property may be missing",
    ),
    pytest.param(
        lambda new: item_schema(new)["properties"].update(id={"type": "number"}),
        [f"{RESPONSE}.id: type widened from integer to number"],
        id="response type widened (ints returned as floats)",
    ),
    pytest.param(
        lambda new: item_schema(new)["properties"].update(
            name={"anyOf": [{"type": "string"}, {"type": "null"}]}
        ),
        [f"{RESPONSE}.name: type widened from string to null|string"],
        id="response field becoming nullable",
    ),
    pytest.param(
        lambda new: item_schema(new)["properties"].update(tenant_id={"type": "integer"}),
        [f"{RESPONSE}.tenant_id: property the contract forbids (leaked field)"],
        id="leaked response field",
    ),
    pytest.param(
        lambda new: at(new, *GET)["responses"]["200"].pop("headers"),
        [
            "GET /items/{item_id} > response 200 > header x-total: required by the contract, "
            "not promised"
        ],
        id="required response header not promised",
    ),
    pytest.param(
        lambda new: rename(
            at(new, *GET, "responses", "200", "content"), "application/json", "text/html"
        ),
        [
            f"{RESPONSE}: media type no longer declared",
            "GET /items/{item_id} > response 200 (text/html): media type not in the contract",
        ],
        id="response media type changed",
    ),
    pytest.param(
        lambda new: at(new, *GET).update(security=[]),
        ["GET /items/{item_id} > security: the contract requires http bearer, now public"],
        id="security dropped",
    ),
    pytest.param(
        lambda new: new["components"]["securitySchemes"].update(
            token={"type": "apiKey", "in": "header", "name": "X-Token"}
        ),
        [f"GET /items/{{item_id}} > {X_TOKEN}", f"POST /items > {X_TOKEN}"],
        id="security scheme changed",
    ),
]


@pytest.mark.parametrize(("edit", "breaking"), BREAKING_EDITS)
def test_breaking_edit(edit: Callable[[dict[str, Any]], object], breaking: list[str]) -> None:
    assert sorted(only_breaking(changed(edit))) == breaking


def test_missing_operation_breaks_and_new_operation_is_an_addition() -> None:
    def edit(new: dict[str, Any]) -> None:
        new["paths"]["/other"] = new["paths"].pop("/items")

    diff = changed(edit)
    assert only_breaking(diff) == ["POST /items: operation is missing"]
    assert [str(c) for c in diff.additions] == ["POST /other: new operation"]


def test_renamed_path_parameter_is_not_a_change() -> None:
    def edit(new: dict[str, Any]) -> None:
        new["paths"]["/items/{id}"] = new["paths"].pop("/items/{item_id}")
        at(new, "paths", "/items/{id}", "get")["parameters"][0]["name"] = "id"

    assert changed(edit).changes == []


def test_parameter_moved_to_another_location_breaks() -> None:
    diff = changed(lambda new: at(new, *GET)["parameters"][1].update({"in": "header"}))
    assert any("query parameter `page`: missing" in line for line in only_breaking(diff))
    assert [str(c) for c in diff.additions] == [
        "GET /items/{item_id} > header parameter `page`: new optional parameter"
    ]


def test_new_required_parameter_breaks_new_optional_one_is_an_addition() -> None:
    def edit(new: dict[str, Any]) -> None:
        params = at(new, *GET)["parameters"]
        params.append({"name": "q", "in": "query", "required": True, "schema": {"type": "string"}})
        params.append({"name": "sort", "in": "query", "schema": {"type": "string"}})

    diff = changed(edit)
    assert only_breaking(diff) == [
        "GET /items/{item_id} > query parameter `q`: new required parameter"
    ]
    assert "GET /items/{item_id} > query parameter `sort`: new optional parameter" in [
        str(c) for c in diff.additions
    ]


def test_parameter_type_narrowed_breaks_widened_is_an_addition() -> None:
    narrowed = changed(lambda new: page_schema(new).update(type="boolean"))
    assert only_breaking(narrowed) == [
        "GET /items/{item_id} > query parameter `page`: type narrowed from integer to boolean"
    ]
    widened = changed(lambda new: page_schema(new).update(type="number"))
    assert widened.ok
    assert "type widened from integer to number" in str(widened.additions[0])


def test_parameter_bounds_relaxed_are_additions() -> None:
    diff = changed(lambda new: page_schema(new).update(maximum=500))
    assert diff.ok
    assert "maximum relaxed from 50 to 500" in str(diff.additions[0])


def test_new_bound_pattern_or_enum_on_a_parameter_breaks() -> None:
    breaking = only_breaking(
        changed(lambda new: page_schema(new).update(exclusiveMaximum=20, enum=[1, 2]))
    )
    assert any("new bound exclusiveMaximum=20" in line for line in breaking)
    assert any("enum narrowed" in line for line in breaking)


def test_new_response_field_is_an_addition_where_the_contract_allows_more() -> None:
    old = base()
    del item_schema(old)["additionalProperties"]
    new = copy.deepcopy(old)
    item_schema(new)["properties"]["extra"] = {"type": "string"}
    diff = diff_specs(old, new)
    assert diff.ok
    assert [str(c) for c in diff.additions] == [
        "GET /items/{item_id} > response 200 (application/json).extra: new property"
    ]


def test_security_added_to_a_public_operation_breaks() -> None:
    old = base()
    at(old, *GET)["security"] = []
    new = copy.deepcopy(old)
    new["components"]["securitySchemes"]["key"] = {"type": "apiKey", "in": "header", "name": "X"}
    del at(new, *GET)["security"]
    assert only_breaking(diff_specs(old, new)) == [
        "GET /items/{item_id} > security: public in the contract, now requires http bearer"
    ]


def test_refs_are_resolved_on_both_sides() -> None:
    old = base()
    old["components"]["schemas"] = {"Item": item_schema(old)}
    at(old, *GET, "responses", "200", "content", "application/json")["schema"] = {
        "$ref": "#/components/schemas/Item"
    }
    assert diff_specs(old, base()).changes == []
    assert diff_specs(base(), old).changes == []


def test_reference_cycles_terminate() -> None:
    document = {
        "components": {
            "schemas": {
                "Node": {
                    "type": "object",
                    "properties": {"next": {"$ref": "#/components/schemas/Node"}},
                }
            }
        }
    }
    resolved = resolve_refs(document)
    node = resolved["components"]["schemas"]["Node"]
    assert node["properties"]["next"]["properties"]["next"] == {"$ref": "#/components/schemas/Node"}


def test_type_sets_read_3_1_lists_pydantic_optionals_and_3_0_nullable() -> None:
    assert type_set({"type": ["string", "null"]}) == {"string", "null"}
    assert type_set({"anyOf": [{"type": "integer"}, {"type": "null"}]}) == {"integer", "null"}
    assert type_set({"type": "string", "nullable": True}) == {"string", "null"}
    assert type_set({"enum": ["a", 1]}) == {"string", "integer"}
    assert len(type_set({})) == 7


def test_a_fastapi_app_that_matches_is_clean_and_its_422_is_reported() -> None:
    class Item(BaseModel):
        id: int
        name: str

    app = FastAPI()

    @app.get("/items/{item_id}", response_model=Item)
    async def get_item(item_id: int) -> Item:
        return Item(id=item_id, name="x")

    contract = spec(
        {
            "/items/{item_id}": {
                "get": {
                    "parameters": [
                        {
                            "name": "item_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {**ITEM, "additionalProperties": True}
                                }
                            },
                        }
                    },
                }
            }
        }
    )
    diff = diff_specs(contract, app.openapi())
    assert only_breaking(diff) == [
        "GET /items/{item_id} > response 422: declared, but not in the contract"
    ]


def test_lines_put_breaking_changes_first() -> None:
    def edit(new: dict[str, Any]) -> None:
        new["paths"]["/extra"] = {"get": {"responses": {"200": {"description": "x"}}}}
        at(new, *GET)["responses"].pop("404")

    lines = list(iter_lines(changed(edit)))
    assert lines[0].startswith("BREAKING")
    assert lines[-1].startswith("added")
    assert str(Severity.BREAKING) == "breaking"
