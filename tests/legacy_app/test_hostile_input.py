"""Input that once made the service fail with a 500: each is a 4xx now, on every database."""

from __future__ import annotations

import io

import pytest
from flask.testing import FlaskClient
from sqlalchemy import update

from legacy_app.db import get_db
from legacy_app.models import Invoice
from tests.conftest import ACME
from tests.upstream import Upstream


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/clients", {"name": "\u0000"}, "name"),
        ("/clients", {"name": "ok", "email": "a\u0000@b.test"}, "email"),
        ("/invoices", {"client_id": 1, "amount": "1.00", "notes": "\u0000"}, "notes"),
        ("/invoices", {"client_id": 1, "amount": "1.00", "currency": "EUR\n"}, "currency"),
    ],
)
def test_text_the_database_cannot_store_is_400(
    client: FlaskClient, path: str, body: dict[str, object], field: str
) -> None:
    response = client.post(path, headers=ACME, json=body)
    assert response.status_code == 400
    assert response.get_json()["field"] == field


def test_nul_in_token_is_401(client: FlaskClient) -> None:
    assert client.get("/me", headers={"Authorization": "Bearer acme\u0000"}).status_code == 401


def test_nul_in_attachment_name_is_404(client: FlaskClient) -> None:
    assert client.get("/invoices/1/attachments/a%00b", headers=ACME).status_code == 404


@pytest.mark.parametrize("path", ["/invoices", "/clients/1"])
def test_deeply_nested_json_is_400(client: FlaskClient, path: str) -> None:
    body = "[" * 100_000 + "]" * 100_000
    method = client.post if path == "/invoices" else client.patch
    response = method(path, headers=ACME, data=body, content_type="application/json")
    assert response.status_code == 400
    assert "error" in response.get_json()


def test_huge_page_is_an_empty_page(client: FlaskClient) -> None:
    page = client.get(f"/invoices?page={2**80}", headers=ACME).get_json()
    assert (page["items"], page["total"]) == ([], 5)


def test_file_name_too_long_is_400(client: FlaskClient) -> None:
    data = {"file": (io.BytesIO(b"x"), "a" * 300 + ".txt")}
    response = client.post("/invoices/1/attachments", headers=ACME, data=data)
    assert response.status_code == 400
    assert response.get_json() == {"error": "the file name is not usable", "field": "file"}


def test_content_type_too_long_is_stored_as_octet_stream(client: FlaskClient) -> None:
    data = {"file": (io.BytesIO(b"x"), "a.bin", "application/" + "x" * 200)}
    response = client.post("/invoices/1/attachments", headers=ACME, data=data)
    assert response.status_code == 201
    assert response.get_json()["content_type"] == "application/octet-stream"


def test_upstream_reply_that_is_not_an_object_is_502(
    client: FlaskClient, fresh_upstream: Upstream
) -> None:
    fresh_upstream.behaviour.reply = [1, 2]
    response = client.post("/invoices/3/send", headers=ACME)
    assert response.status_code == 502
    assert response.get_json() == {"error": "upstream unavailable"}


def test_numbers_keep_counting_past_five_digits(client: FlaskClient) -> None:
    with client.application.app_context():
        get_db().execute(update(Invoice).where(Invoice.id == 5).values(number="INV-99999"))
        get_db().commit()
    first = client.post("/invoices", headers=ACME, json={"client_id": 1, "amount": "1.00"})
    second = client.post("/invoices", headers=ACME, json={"client_id": 1, "amount": "1.00"})
    assert first.get_json()["number"] == "INV-100000"
    assert second.get_json()["number"] == "INV-100001"
