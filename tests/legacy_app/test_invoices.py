"""Invoices: listing with filters and pages, creating, changing, deleting, sending."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import ACME, GLOBEX
from tests.upstream import Upstream


def ids(client: FlaskClient, query: str, headers: dict[str, str] = ACME) -> list[int]:
    return [i["id"] for i in client.get(f"/invoices{query}", headers=headers).get_json()["items"]]


def test_list_first_page_defaults(client: FlaskClient) -> None:
    page = client.get("/invoices", headers=ACME).get_json()
    assert (page["page"], page["per_page"], page["total"]) == (1, 20, 5)
    assert [i["id"] for i in page["items"]] == [1, 2, 3, 4, 5]


def test_invoice_fields_are_public_only(client: FlaskClient) -> None:
    invoice = client.get("/invoices/2", headers=ACME).get_json()
    assert invoice == {
        "id": 2,
        "number": "INV-00002",
        "client_id": 1,
        "amount": "89.90",
        "currency": "USD",
        "status": "sent",
        "due_date": "2024-03-01",
        "notes": None,
        "created_at": "2024-01-17T09:00:00+00:00",
        "sent_at": "2024-01-17T10:00:00+00:00",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?per_page=2", [1, 2]),
        ("?per_page=2&page=3", [5]),
        ("?per_page=2&page=4", []),
        ("?per_page=0", [1]),  # clamped up to 1
        ("?per_page=1000", [1, 2, 3, 4, 5]),  # clamped down to 100
        ("?page=0", [1, 2, 3, 4, 5]),
        ("?page=-3", [1, 2, 3, 4, 5]),
        ("?page=abc&per_page=xyz", [1, 2, 3, 4, 5]),  # unparsable: defaults, as type=int does
    ],
)
def test_pagination_edges(client: FlaskClient, query: str, expected: list[int]) -> None:
    assert ids(client, query) == expected


def test_pagination_reports_clamped_values(client: FlaskClient) -> None:
    page = client.get("/invoices?per_page=1000&page=-1", headers=ACME).get_json()
    assert (page["page"], page["per_page"], page["total"]) == (1, 100, 5)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=draft", [3, 5]),
        ("?client_id=2", [3, 4]),
        ("?client_id=abc", [1, 2, 3, 4, 5]),
        ("?min_amount=250", [1, 4, 5]),
        ("?min_amount=lots", [1, 2, 3, 4, 5]),
        ("?since=2024-01-19T00:00:00", [4, 5]),
        ("?since=2024-01-18T12:00:00%2B05:00", [3, 4, 5]),
        ("?since=2024-01-19T00:00:00%2B05:00", [4, 5]),
        ("?since=yesterday", [1, 2, 3, 4, 5]),
        ("?status=draft&min_amount=100", [5]),
    ],
)
def test_filters(client: FlaskClient, query: str, expected: list[int]) -> None:
    assert ids(client, query) == expected


def test_filter_total_counts_all_pages(client: FlaskClient) -> None:
    page = client.get("/invoices?status=draft&per_page=1", headers=ACME).get_json()
    assert page["total"] == 2
    assert len(page["items"]) == 1


def test_unknown_status_filter_is_400(client: FlaskClient) -> None:
    response = client.get("/invoices?status=lost", headers=ACME)
    assert response.status_code == 400
    assert response.get_json() == {"error": "status must be one of draft, sent, paid, void"}


def test_create_numbers_per_tenant_and_points_at_itself(client: FlaskClient) -> None:
    response = client.post(
        "/invoices",
        headers=GLOBEX,
        json={"client_id": 4, "amount": "10", "due_date": "2025-01-31", "notes": "n"},
    )
    assert response.status_code == 201
    invoice = response.get_json()
    assert response.headers["Location"] == f"/invoices/{invoice['id']}"
    assert invoice["number"] == "INV-00004"
    assert (invoice["amount"], invoice["currency"], invoice["status"]) == ("10.00", "EUR", "draft")
    assert invoice["due_date"] == "2025-01-31"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "1.00"}, "client_id"),
        ({"client_id": "1", "amount": "1.00"}, "client_id"),
        ({"client_id": True, "amount": "1.00"}, "client_id"),
        ({"client_id": 0, "amount": "1.00"}, "client_id"),
        ({"client_id": 999, "amount": "1.00"}, "client_id"),
        ({"client_id": 1}, "amount"),
        ({"client_id": 1, "amount": 12}, "amount"),
        ({"client_id": 1, "amount": "0"}, "amount"),
        ({"client_id": 1, "amount": "-5"}, "amount"),
        ({"client_id": 1, "amount": "1.234"}, "amount"),
        ({"client_id": 1, "amount": "1e3"}, "amount"),
        ({"client_id": 1, "amount": "NaN"}, "amount"),
        ({"client_id": 1, "amount": "12345678901"}, "amount"),
        ({"client_id": 1, "amount": "1.00", "currency": "eur"}, "currency"),
        ({"client_id": 1, "amount": "1.00", "currency": None}, "currency"),
        ({"client_id": 1, "amount": "1.00", "due_date": "2024-02-30"}, "due_date"),
        ({"client_id": 1, "amount": "1.00", "due_date": "20240201"}, "due_date"),
        ({"client_id": 1, "amount": "1.00", "notes": ["x"]}, "notes"),
        ({"client_id": 1, "amount": "1.00", "notes": "x" * 2001}, "notes"),
    ],
)
def test_create_rejects_invalid_body(client: FlaskClient, body: dict[str, Any], field: str) -> None:
    response = client.post("/invoices", headers=ACME, json=body)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["field"] == field


def test_create_with_non_json_body_is_400(client: FlaskClient) -> None:
    response = client.post("/invoices", headers=ACME, data="{", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["field"] == "body"


def test_patch_updates_fields(client: FlaskClient) -> None:
    response = client.patch(
        "/invoices/3", headers=ACME, json={"amount": "20.00", "currency": "USD", "notes": None}
    )
    assert response.status_code == 200
    invoice = response.get_json()
    assert (invoice["amount"], invoice["currency"], invoice["notes"]) == ("20.00", "USD", None)


def test_patch_amount_of_sent_invoice_is_409(client: FlaskClient) -> None:
    response = client.patch("/invoices/2", headers=ACME, json={"amount": "1.00"})
    assert response.status_code == 409


def test_patch_unknown_status_is_400(client: FlaskClient) -> None:
    response = client.patch("/invoices/2", headers=ACME, json={"status": "lost"})
    assert response.status_code == 400
    assert response.get_json()["field"] == "status"


def test_patch_wrong_content_type_is_415(client: FlaskClient) -> None:
    response = client.patch("/invoices/2", headers=ACME, data="x", content_type="text/plain")
    assert response.status_code == 415


def test_delete_draft_only(client: FlaskClient) -> None:
    assert client.delete("/invoices/2", headers=ACME).status_code == 409
    assert client.delete("/invoices/3", headers=ACME).status_code == 204
    assert client.get("/invoices/3", headers=ACME).status_code == 404


def test_send_delivers_to_upstream_and_marks_sent(
    client: FlaskClient, fresh_upstream: Upstream
) -> None:
    response = client.post("/invoices/3/send", headers=ACME)
    assert response.status_code == 200
    invoice = response.get_json()
    assert invoice["status"] == "sent"
    assert invoice["sent_at"] is not None
    assert "delivery_ref" not in invoice
    assert fresh_upstream.behaviour.received == [
        {
            "tenant": "acme",
            "invoice": "INV-00003",
            "amount": "15.50",
            "currency": "EUR",
            "client_email": "beep@desert.test",
        }
    ]
    assert fresh_upstream.behaviour.notifications == [
        {"event": "invoice.sent", "tenant": "acme", "invoice": "INV-00003"}
    ]


def test_send_when_upstream_fails_is_502(client: FlaskClient, fresh_upstream: Upstream) -> None:
    fresh_upstream.behaviour.status = 503
    response = client.post("/invoices/3/send", headers=ACME)
    assert response.status_code == 502
    assert response.get_json() == {"error": "upstream unavailable"}
    assert client.get("/invoices/3", headers=ACME).get_json()["status"] == "draft"
    assert fresh_upstream.behaviour.notifications == []


def test_send_when_upstream_refuses_is_502(client: FlaskClient, fresh_upstream: Upstream) -> None:
    fresh_upstream.behaviour.status = 422
    response = client.post("/invoices/3/send", headers=ACME)
    assert response.status_code == 502
    assert response.get_json()["error"].startswith("upstream refused the delivery")


def test_send_paid_invoice_is_409(client: FlaskClient, fresh_upstream: Upstream) -> None:
    assert client.post("/invoices/1/send", headers=ACME).status_code == 409
    assert fresh_upstream.behaviour.received == []


def test_send_retries_then_gives_up(client: FlaskClient, fresh_upstream: Upstream) -> None:
    client.application.config["UPSTREAM_RETRIES"] = 2
    try:
        fresh_upstream.behaviour.status = 500
        assert client.post("/invoices/3/send", headers=ACME).status_code == 502
        assert len(fresh_upstream.behaviour.received) == 3
    finally:
        client.application.config["UPSTREAM_RETRIES"] = 0
