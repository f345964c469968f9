"""Clients: create, read, change, delete, and what the API refuses."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import ACME


def test_create_then_read(client: FlaskClient) -> None:
    response = client.post(
        "/clients", headers=ACME, json={"name": " Elmer ", "email": "e@fudd.test"}
    )
    assert response.status_code == 201
    created = response.get_json()
    assert created["name"] == "Elmer"
    assert created["email"] == "e@fudd.test"
    assert client.get(f"/clients/{created['id']}", headers=ACME).get_json() == created


def test_list_is_ordered_by_id(client: FlaskClient) -> None:
    names = [c["name"] for c in client.get("/clients", headers=ACME).get_json()]
    assert names == ["Wile E. Coyote", "Road Runner Ltd", "Bugs Bunny"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": 7}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Ok", "email": "not-an-email"}, "email"),
        ({"name": "Ok", "email": 5}, "email"),
        ([1, 2], "body"),
        ("just a string", "body"),
    ],
)
def test_create_rejects_invalid_body(client: FlaskClient, body: object, field: str) -> None:
    response = client.post("/clients", headers=ACME, json=body)
    assert response.status_code == 400
    assert response.get_json()["field"] == field


def test_create_needs_json_content_type(client: FlaskClient) -> None:
    response = client.post("/clients", headers=ACME, data="name=x", content_type="text/plain")
    assert response.status_code == 415
    assert response.get_json() == {"error": "request body must be application/json"}


def test_malformed_json_is_400(client: FlaskClient) -> None:
    response = client.post("/clients", headers=ACME, data="{", content_type="application/json")
    assert response.status_code == 400
    assert "error" in response.get_json()


def test_patch_changes_only_given_fields(client: FlaskClient) -> None:
    response = client.patch("/clients/1", headers=ACME, json={"email": None})
    assert response.status_code == 200
    assert response.get_json()["email"] is None
    assert response.get_json()["name"] == "Wile E. Coyote"


def test_delete_client_without_invoices(client: FlaskClient) -> None:
    created = client.post("/clients", headers=ACME, json={"name": "Temp"}).get_json()
    response = client.delete(f"/clients/{created['id']}", headers=ACME)
    assert response.status_code == 204
    assert response.data == b""
    assert client.get(f"/clients/{created['id']}", headers=ACME).status_code == 404


def test_delete_client_with_invoices_is_409(client: FlaskClient) -> None:
    response = client.delete("/clients/1", headers=ACME)
    assert response.status_code == 409
    assert response.get_json() == {"error": "client has invoices"}


@pytest.mark.parametrize("path", ["/clients/999", "/clients/-1", "/clients/abc", "/clients/1.0"])
def test_unknown_or_malformed_id_is_404(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers=ACME)
    assert response.status_code == 404
    assert response.is_json
