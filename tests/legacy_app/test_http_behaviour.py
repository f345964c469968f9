"""What Flask does for free, which clients come to rely on and a migration must keep."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import ACME


def test_head_on_get_route_is_200_without_body(client: FlaskClient) -> None:
    response = client.head("/clients", headers=ACME)
    assert response.status_code == 200
    assert response.data == b""


def test_options_lists_allowed_methods(client: FlaskClient) -> None:
    response = client.options("/clients/1", headers=ACME)
    assert response.status_code == 200
    assert set(response.headers["Allow"].split(", ")) == {
        "GET",
        "HEAD",
        "OPTIONS",
        "PATCH",
        "DELETE",
    }


def test_wrong_method_is_405_json_with_allow(client: FlaskClient) -> None:
    response = client.put("/invoices/1", headers=ACME, json={})
    assert response.status_code == 405
    assert response.is_json
    assert set(response.headers["Allow"].split(", ")) == {
        "GET",
        "HEAD",
        "OPTIONS",
        "PATCH",
        "DELETE",
    }


def test_trailing_slash_is_404(client: FlaskClient) -> None:
    assert client.get("/clients/", headers=ACME).status_code == 404


def test_unknown_path_is_404_json(client: FlaskClient) -> None:
    response = client.get("/nope", headers=ACME)
    assert response.status_code == 404
    assert response.is_json


def test_request_id_is_echoed_or_made(client: FlaskClient) -> None:
    echoed = client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["X-Request-ID"] == "abc-123"
    assert len(client.get("/health").headers["X-Request-ID"]) == 32
