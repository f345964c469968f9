"""The OpenAPI differ: one small hand-made spec pair per kind of change."""

from __future__ import annotations

import copy
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


def test_identical_specs_have_no_changes() -> None:
    assert diff_specs(base(), base()).changes == []


def test_the_contract_against_itself_is_clean() -> None:
    document = yaml.safe_load(CONTRACT.read_text())
    assert diff_specs(document, document).changes == []


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


def test_missing_parameter_breaks() -> None:
    diff = changed(lambda new: at(new, *GET)["parameters"].pop(1))
    assert only_breaking(diff) == [
        "GET /items/{item_id} > query parameter `page`: missing: the new app "
        "would ignore or refuse it"
    ]


def test_parameter_moved_to_another_location_breaks() -> None:
    diff = changed(lambda new: at(new, *GET)["parameters"][1].update({"in": "header"}))
    assert any("query parameter `page`: missing" in line for line in only_breaking(diff))
    assert [str(c) for c in diff.additions] == [
        "GET /items/{item_id} > header parameter `page`: new optional parameter"
    ]


def test_parameter_becoming_required_breaks() -> None:
    diff = changed(lambda new: at(new, *GET)["parameters"][1].update({"required": True}))
    assert only_breaking(diff) == ["GET /items/{item_id} > query parameter `page`: now required"]


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
    narrowed = changed(lambda new: at(new, *GET)["parameters"][1]["schema"].update(type="boolean"))
    assert only_breaking(narrowed) == [
        "GET /items/{item_id} > query parameter `page`: type narrowed from integer to boolean"
    ]
    widened = changed(lambda new: at(new, *GET)["parameters"][1]["schema"].update(type="number"))
    assert widened.ok
    assert "type widened from integer to number" in str(widened.additions[0])


@pytest.mark.parametrize(
    ("bound", "value", "message"),
    [
        ("minimum", 2, "minimum narrowed from 1 to 2"),
        ("maximum", 10, "maximum narrowed from 50 to 10"),
    ],
)
def test_parameter_bounds_narrowed_break(bound: str, value: int, message: str) -> None:
    diff = changed(lambda new: at(new, *GET)["parameters"][1]["schema"].update({bound: value}))
    assert only_breaking(diff) == [f"GET /items/{{item_id}} > query parameter `page`: {message}"]


def test_parameter_bounds_relaxed_are_additions() -> None:
    diff = changed(lambda new: at(new, *GET)["parameters"][1]["schema"].update(maximum=500))
    assert diff.ok
    assert "maximum relaxed from 50 to 500" in str(diff.additions[0])


def test_new_bound_pattern_or_enum_on_a_parameter_breaks() -> None:
    def edit(new: dict[str, Any]) -> None:
        schema = at(new, *GET)["parameters"][1]["schema"]
        schema["exclusiveMaximum"] = 20
        schema["enum"] = [1, 2]

    breaking = only_breaking(changed(edit))
    assert any("new bound exclusiveMaximum=20" in line for line in breaking)
    assert any("enum narrowed" in line for line in breaking)


def test_path_parameter_bound_narrowed_breaks() -> None:
    diff = changed(lambda new: at(new, *GET)["parameters"][0]["schema"].update(minimum=1))
    assert only_breaking(diff) == [
        "GET /items/{item_id} > path parameter `#1`: minimum narrowed from 0 to 1"
    ]


def test_request_body_missing_breaks() -> None:
    diff = changed(lambda new: at(new, *POST).pop("requestBody"))
    assert only_breaking(diff) == [
        "POST /items > request body: missing: the new app does not read a body"
    ]


def test_request_body_media_type_dropped_breaks() -> None:
    def edit(new: dict[str, Any]) -> None:
        content = at(new, *POST)["requestBody"]["content"]
        content["application/x-www-form-urlencoded"] = content.pop("application/json")

    diff = changed(edit)
    assert only_breaking(diff) == [
        "POST /items > request body (application/json): media type no longer accepted"
    ]


def test_request_body_new_required_property_breaks() -> None:
    def edit(new: dict[str, Any]) -> None:
        schema = at(new, *POST)["requestBody"]["content"]["application/json"]["schema"]
        schema["required"] = ["name", "note"]

    diff = changed(edit)
    assert only_breaking(diff) == [
        "POST /items > request body (application/json).note: now required"
    ]


def test_request_body_property_type_narrowed_breaks() -> None:
    def edit(new: dict[str, Any]) -> None:
        schema = at(new, *POST)["requestBody"]["content"]["application/json"]["schema"]
        schema["properties"]["note"] = {"type": "string"}  # null no longer accepted

    diff = changed(edit)
    assert only_breaking(diff) == [
        "POST /items > request body (application/json).note: type narrowed "
        "from null|string to string"
    ]


def test_request_body_property_missing_breaks() -> None:
    def edit(new: dict[str, Any]) -> None:
        schema = at(new, *POST)["requestBody"]["content"]["application/json"]["schema"]
        del schema["properties"]["note"]

    diff = changed(edit)
    assert only_breaking(diff) == [
        "POST /items > request body (application/json).note: property missing: "
        "the new app would ignore it"
    ]


def test_response_status_no_longer_declared_breaks() -> None:
    diff = changed(lambda new: at(new, *GET)["responses"].pop("404"))
    assert only_breaking(diff) == ["GET /items/{item_id} > response 404: no longer declared"]


def test_response_status_not_in_contract_breaks() -> None:
    def edit(new: dict[str, Any]) -> None:
        at(new, *POST)["responses"]["422"] = {"description": "Validation Error"}

    diff = changed(edit)
    assert only_breaking(diff) == ["POST /items > response 422: declared, but not in the contract"]


def test_changed_success_status_breaks_twice() -> None:
    diff = changed(
        lambda new: at(new, *POST)["responses"].update(
            {"200": at(new, *POST)["responses"].pop("201")}
        )
    )
    assert sorted(only_breaking(diff)) == [
        "POST /items > response 200: declared, but not in the contract",
        "POST /items > response 201: no longer declared",
    ]


def test_response_required_property_may_be_missing_breaks() -> None:
    def edit(new: dict[str, Any]) -> None:
        at(new, *GET)["responses"]["200"]["content"]["application/json"]["schema"]["required"] = [
            "id"
        ]

    diff = changed(edit)
    assert only_breaking(diff) == [
        "GET /items/{item_id} > response 200 (application/json).name: required "
        "by the contract, may be missing"
    ]


def test_response_type_widened_breaks() -> None:
    def edit(new: dict[str, Any]) -> None:
        schema = at(new, *GET)["responses"]["200"]["content"]["application/json"]["schema"]
        schema["properties"]["id"] = {"type": "number"}  # ints returned as floats

    diff = changed(edit)
    assert only_breaking(diff) == [
        "GET /items/{item_id} > response 200 (application/json).id: type "
        "widened from integer to number"
    ]


def test_response_field_becoming_nullable_breaks() -> None:
    def edit(new: dict[str, Any]) -> None:
        schema = at(new, *GET)["responses"]["200"]["content"]["application/json"]["schema"]
        schema["properties"]["name"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}

    diff = changed(edit)
    assert only_breaking(diff) == [
        "GET /items/{item_id} > response 200 (application/json).name: type "
        "widened from string to null|string"
    ]


def test_leaked_response_field_breaks() -> None:
    def edit(new: dict[str, Any]) -> None:
        schema = at(new, *GET)["responses"]["200"]["content"]["application/json"]["schema"]
        schema["properties"]["tenant_id"] = {"type": "integer"}

    diff = changed(edit)
    assert only_breaking(diff) == [
        "GET /items/{item_id} > response 200 (application/json).tenant_id: "
        "property the contract forbids (leaked field)"
    ]


def test_new_response_field_is_an_addition_where_the_contract_allows_more() -> None:
    def edit(new: dict[str, Any]) -> None:
        schema = at(new, *GET)["responses"]["200"]["content"]["application/json"]["schema"]
        schema["properties"]["extra"] = {"type": "string"}

    old = base()
    del at(old, *GET)["responses"]["200"]["content"]["application/json"]["schema"][
        "additionalProperties"
    ]
    new = copy.deepcopy(old)
    edit(new)
    diff = diff_specs(old, new)
    assert diff.ok
    assert [str(c) for c in diff.additions] == [
        "GET /items/{item_id} > response 200 (application/json).extra: new property"
    ]


def test_required_response_header_not_promised_breaks() -> None:
    diff = changed(lambda new: at(new, *GET)["responses"]["200"].pop("headers"))
    assert only_breaking(diff) == [
        "GET /items/{item_id} > response 200 > header x-total: required by the "
        "contract, not promised"
    ]


def test_response_media_type_changed_breaks() -> None:
    def edit(new: dict[str, Any]) -> None:
        content = at(new, *GET)["responses"]["200"]["content"]
        content["text/html"] = content.pop("application/json")

    assert sorted(only_breaking(changed(edit))) == [
        "GET /items/{item_id} > response 200 (application/json): media type no longer declared",
        "GET /items/{item_id} > response 200 (text/html): media type not in the contract",
    ]


def test_security_dropped_breaks() -> None:
    diff = changed(lambda new: at(new, *GET).update(security=[]))
    assert only_breaking(diff) == [
        "GET /items/{item_id} > security: the contract requires http bearer, now public"
    ]


def test_security_added_to_a_public_operation_breaks() -> None:
    def edit(new: dict[str, Any]) -> None:
        new["components"]["securitySchemes"]["key"] = {
            "type": "apiKey",
            "in": "header",
            "name": "X",
        }

    old = base()
    at(old, *GET)["security"] = []
    new = copy.deepcopy(old)
    edit(new)
    del at(new, *GET)["security"]
    assert only_breaking(diff_specs(old, new)) == [
        "GET /items/{item_id} > security: public in the contract, now requires http bearer"
    ]


def test_security_scheme_changed_breaks() -> None:
    def edit(new: dict[str, Any]) -> None:
        new["components"]["securitySchemes"]["token"] = {
            "type": "apiKey",
            "in": "header",
            "name": "X-Token",
        }

    assert only_breaking(changed(edit)) == [
        "GET /items/{item_id} > security: requires apiKey header x-token instead of http bearer",
        "POST /items > security: requires apiKey header x-token instead of http bearer",
    ]


def test_refs_are_resolved_on_both_sides() -> None:
    old = base()
    schema = at(old, *GET)["responses"]["200"]["content"]["application/json"]["schema"]
    old["components"]["schemas"] = {"Item": schema}
    at(old, *GET)["responses"]["200"]["content"]["application/json"]["schema"] = {
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
