"""Clients: create, read, change, delete, and what the API refuses."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.conftest import ACME


async def test_create_then_read(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/clients", headers=ACME, json={"name": " Elmer ", "email": "e@fudd.test"}
    )
    assert response.status_code == 201
    created = response.json()
    assert set(created) == {"id", "name", "email", "created_at"}
    assert created["name"] == "Elmer"
    assert created["email"] == "e@fudd.test"
    assert created["created_at"].endswith("+00:00")
    assert "Location" not in response.headers
    assert (await client.get(f"/clients/{created['id']}", headers=ACME)).json() == created


async def test_list_is_ordered_by_id(client: httpx.AsyncClient) -> None:
    clients = (await client.get("/clients", headers=ACME)).json()
    assert [c["name"] for c in clients] == ["Wile E. Coyote", "Road Runner Ltd", "Bugs Bunny"]
    assert clients[0] == {
        "id": 1,
        "name": "Wile E. Coyote",
        "email": "wile@desert.test",
        "created_at": "2024-01-15T10:00:00+00:00",
    }


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "name", "name is required"),
        ({"name": ""}, "name", "name must be a non-empty string of at most 200 characters"),
        ({"name": "   "}, "name", "name must be a non-empty string of at most 200 characters"),
        ({"name": 7}, "name", "name must be a non-empty string of at most 200 characters"),
        ({"name": None}, "name", "name must be a non-empty string of at most 200 characters"),
        ({"name": "x" * 201}, "name", "name must be a non-empty string of at most 200 characters"),
        ({"name": "Ok", "email": "not-an-email"}, "email", "email must be a valid address"),
        ({"name": "Ok", "email": 5}, "email", "email must be a valid address"),
        (
            {"name": "", "email": 5},
            "name",
            "name must be a non-empty string of at most 200 characters",
        ),
        ([1, 2], "body", "request body must be a JSON object"),
        ("just a string", "body", "request body must be a JSON object"),
        (None, "body", "request body must be a JSON object"),
    ],
)
async def test_create_rejects_invalid_body(
    client: httpx.AsyncClient, body: object, field: str, message: str
) -> None:
    headers = {**ACME, "Content-Type": "application/json"}
    response = await client.post("/clients", headers=headers, content=json.dumps(body))
    assert response.status_code == 400
    assert response.json() == {"error": message, "field": field}


@pytest.mark.parametrize("name", ["x" * 200, "\u00e9l\u00e8ve", "a\nb"])
async def test_create_accepts_what_legacy_accepts(client: httpx.AsyncClient, name: str) -> None:
    response = await client.post("/clients", headers=ACME, json={"name": name, "email": None})
    assert response.status_code == 201
    assert response.json()["name"] == name.strip()


async def test_create_needs_json_content_type(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/clients", headers={**ACME, "Content-Type": "text/plain"}, content="name=x"
    )
    assert response.status_code == 415
    assert response.json() == {"error": "request body must be application/json"}


async def test_json_suffix_content_types_count_as_json(client: httpx.AsyncClient) -> None:
    headers = {**ACME, "Content-Type": "application/merge-patch+json; charset=utf-8"}
    response = await client.post("/clients", headers=headers, content=b'{"name": "Merge"}')
    assert response.status_code == 201


@pytest.mark.parametrize("content", [b"{", b"", b'{"name": "\xff"}', b"[" * 100_000])
async def test_malformed_json_is_400(client: httpx.AsyncClient, content: bytes) -> None:
    headers = {**ACME, "Content-Type": "application/json"}
    response = await client.post("/clients", headers=headers, content=content)
    assert response.status_code == 400
    assert response.json() == {
        "error": "The browser (or proxy) sent a request that this server could not understand."
    }


async def test_patch_changes_only_given_fields(client: httpx.AsyncClient) -> None:
    response = await client.patch("/clients/1", headers=ACME, json={"email": None})
    assert response.status_code == 200
    assert response.json()["email"] is None
    assert response.json()["name"] == "Wile E. Coyote"
    response = await client.patch("/clients/1", headers=ACME, json={"name": " Wile "})
    assert response.json() == {**response.json(), "name": "Wile", "email": None}


async def test_patch_checks_json_then_client_then_body(client: httpx.AsyncClient) -> None:
    # The legacy order: 415 (decorator), then 404 (lookup), then the body.
    text = {**ACME, "Content-Type": "text/plain"}
    assert (await client.patch("/clients/999", headers=text, content="{")).status_code == 415
    json_type = {**ACME, "Content-Type": "application/json"}
    missing = await client.patch("/clients/999", headers=json_type, content="{")
    assert (missing.status_code, missing.json()) == (404, {"error": "client not found"})
    response = await client.patch("/clients/1", headers=ACME, json={"name": None})
    assert response.json()["field"] == "name"


async def test_delete_client_without_invoices(client: httpx.AsyncClient) -> None:
    created = (await client.post("/clients", headers=ACME, json={"name": "Temp"})).json()
    response = await client.delete(f"/clients/{created['id']}", headers=ACME)
    assert response.status_code == 204
    assert response.content == b""
    assert (await client.get(f"/clients/{created['id']}", headers=ACME)).status_code == 404


async def test_delete_client_with_invoices_is_409(client: httpx.AsyncClient) -> None:
    response = await client.delete("/clients/1", headers=ACME)
    assert response.status_code == 409
    assert response.json() == {"error": "client has invoices"}


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/clients/999", "client not found"),
        ("/clients/2147483648", "client not found"),
        ("/clients/99999999999999999999999", "client not found"),
        ("/clients/-1", None),
        ("/clients/+1", None),
        ("/clients/abc", None),
        ("/clients/1.0", None),
    ],
)
async def test_unknown_or_malformed_id_is_404(
    client: httpx.AsyncClient, path: str, message: str | None
) -> None:
    response = await client.get(path, headers=ACME)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    if message is not None:
        assert response.json() == {"error": message}
