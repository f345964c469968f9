"""Invoices: listing with filters and pages, creating, changing, deleting."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.conftest import ACME, GLOBEX


async def ids(client: httpx.AsyncClient, query: str, headers: dict[str, str] = ACME) -> list[int]:
    response = await client.get(f"/invoices{query}", headers=headers)
    assert response.status_code == 200, response.text
    return [i["id"] for i in response.json()["items"]]


async def test_list_first_page_defaults(client: httpx.AsyncClient) -> None:
    page = (await client.get("/invoices", headers=ACME)).json()
    assert (page["page"], page["per_page"], page["total"]) == (1, 20, 5)
    assert [i["id"] for i in page["items"]] == [1, 2, 3, 4, 5]


async def test_invoice_fields_are_public_only(client: httpx.AsyncClient) -> None:
    invoice = (await client.get("/invoices/2", headers=ACME)).json()
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
        ("?page=abc&per_page=xyz", [1, 2, 3, 4, 5]),  # unparsable: defaults, as type=int did
        ("?page=&per_page=", [1, 2, 3, 4, 5]),
        ("?per_page=2&page=2&page=1", [3, 4]),  # the first of repeated values, as werkzeug
        ("?page=" + "9" * 40, []),  # far past the end: empty, not an overflow
    ],
)
async def test_pagination_edges(client: httpx.AsyncClient, query: str, expected: list[int]) -> None:
    assert await ids(client, query) == expected


async def test_pagination_reports_clamped_values(client: httpx.AsyncClient) -> None:
    page = (await client.get("/invoices?per_page=1000&page=-1", headers=ACME)).json()
    assert (page["page"], page["per_page"], page["total"]) == (1, 100, 5)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=draft", [3, 5]),
        ("?client_id=2", [3, 4]),
        ("?client_id=abc", [1, 2, 3, 4, 5]),
        ("?client_id=99999999999", []),
        ("?client_id=-2", []),
        ("?min_amount=250", [1, 4, 5]),
        ("?min_amount=250.001", [1, 4]),
        ("?min_amount=lots", [1, 2, 3, 4, 5]),
        ("?min_amount=NaN", [1, 2, 3, 4, 5]),
        ("?min_amount=1e400", []),
        ("?min_amount=-1e400", [1, 2, 3, 4, 5]),
        ("?since=2024-01-19T00:00:00", [4, 5]),
        ("?since=2024-01-18T12:00:00%2B05:00", [3, 4, 5]),
        ("?since=2024-01-19T00:00:00%2B05:00", [4, 5]),
        ("?since=2024-01-19", [4, 5]),
        ("?since=yesterday", [1, 2, 3, 4, 5]),
        ("?since=0001-01-01T00:00:00%2B05:00", [1, 2, 3, 4, 5]),  # overflows: ignored
        ("?status=draft&min_amount=100", [5]),
    ],
)
async def test_filters(client: httpx.AsyncClient, query: str, expected: list[int]) -> None:
    assert await ids(client, query) == expected


async def test_filter_total_counts_all_pages(client: httpx.AsyncClient) -> None:
    page = (await client.get("/invoices?status=draft&per_page=1", headers=ACME)).json()
    assert page["total"] == 2
    assert len(page["items"]) == 1


@pytest.mark.parametrize("status", ["lost", "", "DRAFT"])
async def test_unknown_status_filter_is_400(client: httpx.AsyncClient, status: str) -> None:
    response = await client.get("/invoices", params={"status": status}, headers=ACME)
    assert response.status_code == 400
    assert response.json() == {"error": "status must be one of draft, sent, paid, void"}


async def test_create_numbers_per_tenant_and_points_at_itself(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/invoices",
        headers=GLOBEX,
        json={"client_id": 4, "amount": "10", "due_date": "2025-01-31", "notes": "n"},
    )
    assert response.status_code == 201
    invoice = response.json()
    assert response.headers["Location"] == f"/invoices/{invoice['id']}"
    assert invoice["number"] == "INV-00004"
    assert (invoice["amount"], invoice["currency"], invoice["status"]) == ("10.00", "EUR", "draft")
    assert invoice["due_date"] == "2025-01-31"
    assert invoice["sent_at"] is None
    assert "tenant_id" not in invoice and "delivery_ref" not in invoice
    assert (await client.get(response.headers["Location"], headers=GLOBEX)).json() == invoice


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "1.00"}, "client_id"),
        ({"client_id": "1", "amount": "1.00"}, "client_id"),
        ({"client_id": True, "amount": "1.00"}, "client_id"),
        ({"client_id": 1.0, "amount": "1.00"}, "client_id"),
        ({"client_id": 0, "amount": "1.00"}, "client_id"),
        ({"client_id": 2**31, "amount": "1.00"}, "client_id"),
        ({"client_id": 999, "amount": "1.00"}, "client_id"),
        ({"client_id": 999, "amount": "bad"}, "client_id"),  # the lookup comes first
        ({"client_id": 1}, "amount"),
        ({"client_id": 1, "amount": 12}, "amount"),
        ({"client_id": 1, "amount": None}, "amount"),
        ({"client_id": 1, "amount": "0"}, "amount"),
        ({"client_id": 1, "amount": "-5"}, "amount"),
        ({"client_id": 1, "amount": "1.234"}, "amount"),
        ({"client_id": 1, "amount": "1e3"}, "amount"),
        ({"client_id": 1, "amount": "NaN"}, "amount"),
        ({"client_id": 1, "amount": "12345678901"}, "amount"),
        ({"client_id": 1, "amount": "bad", "currency": "eur"}, "amount"),
        ({"client_id": 1, "amount": "1.00", "currency": "eur"}, "currency"),
        ({"client_id": 1, "amount": "1.00", "currency": None}, "currency"),
        ({"client_id": 1, "amount": "1.00", "due_date": "2024-02-30"}, "due_date"),
        ({"client_id": 1, "amount": "1.00", "due_date": "20240201"}, "due_date"),
        ({"client_id": 1, "amount": "1.00", "due_date": 20240201}, "due_date"),
        ({"client_id": 1, "amount": "1.00", "notes": ["x"]}, "notes"),
        ({"client_id": 1, "amount": "1.00", "notes": "x" * 2001}, "notes"),
    ],
)
async def test_create_rejects_invalid_body(
    client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    response = await client.post("/invoices", headers=ACME, json=body)
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field


async def test_create_error_messages(client: httpx.AsyncClient) -> None:
    cases = {
        "client_id must be an integer from 1 to 2147483647": {"amount": "1"},
        "amount is required": {"client_id": 1},
        "amount must be a positive decimal string with at most 2 decimals": {
            "client_id": 1,
            "amount": "0.001",
        },
        "currency must be a 3-letter ISO code such as EUR": {
            "client_id": 1,
            "amount": "1",
            "currency": "EURO",
        },
        "due_date must be a date as YYYY-MM-DD": {"client_id": 1, "amount": "1", "due_date": "x"},
        "notes must be a string of at most 2000 characters": {
            "client_id": 1,
            "amount": "1",
            "notes": 5,
        },
    }
    for message, body in cases.items():
        response = await client.post("/invoices", headers=ACME, json=body)
        assert response.json()["error"] == message


@pytest.mark.parametrize(
    ("content_type", "content"),
    [
        ("application/json", b"{"),
        ("application/json", b"[]"),
        ("text/plain", b'{"client_id": 1, "amount": "1"}'),
        (None, b'{"client_id": 1, "amount": "1"}'),
    ],
)
async def test_create_with_non_json_body_is_400(
    client: httpx.AsyncClient, content_type: str | None, content: bytes
) -> None:
    # Unlike the client routes, this one read the body with get_json(silent=True): 400, never 415.
    headers = {**ACME, "Content-Type": content_type} if content_type else ACME
    response = await client.post("/invoices", headers=headers, content=content)
    assert response.status_code == 400
    assert response.json() == {"error": "request body must be a JSON object", "field": "body"}


async def test_patch_updates_fields(client: httpx.AsyncClient) -> None:
    response = await client.patch(
        "/invoices/3", headers=ACME, json={"amount": "20.00", "currency": "USD", "notes": None}
    )
    assert response.status_code == 200
    invoice = response.json()
    assert (invoice["amount"], invoice["currency"], invoice["notes"]) == ("20.00", "USD", None)
    assert invoice["due_date"] is None
    response = await client.patch("/invoices/3", headers=ACME, json={"due_date": "2025-12-31"})
    assert response.json()["due_date"] == "2025-12-31"
    assert response.json()["amount"] == "20.00"


async def test_patch_amount_of_sent_invoice_is_409(client: httpx.AsyncClient) -> None:
    response = await client.patch("/invoices/2", headers=ACME, json={"amount": "1.00"})
    assert response.status_code == 409
    assert response.json() == {"error": "only draft invoices can change their amount"}


async def test_patch_rules_apply_in_the_legacy_order(client: httpx.AsyncClient) -> None:
    # The new status decides whether the amount may change; an invalid amount on a
    # non-draft is a 409 before it is a 400; nothing is saved when the request fails.
    response = await client.patch(
        "/invoices/3", headers=ACME, json={"status": "sent", "amount": "x"}
    )
    assert response.status_code == 409
    response = await client.patch(
        "/invoices/2", headers=ACME, json={"status": "draft", "amount": "7"}
    )
    assert (response.status_code, response.json()["amount"]) == (200, "7.00")
    response = await client.patch("/invoices/3", headers=ACME, json={"status": "paid", "notes": 5})
    assert response.json()["field"] == "notes"
    assert (await client.get("/invoices/3", headers=ACME)).json()["status"] == "draft"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"status": None}, "status"),
        ({"status": ["draft"]}, "status"),
        ({"amount": "-1"}, "amount"),
        ({"currency": None}, "currency"),
        ({"due_date": "2024-13-01"}, "due_date"),
        ({"notes": {"a": 1}}, "notes"),
    ],
)
async def test_patch_rejects_invalid_body(
    client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    response = await client.patch("/invoices/3", headers=ACME, json=body)
    assert response.status_code == 400
    assert response.json()["field"] == field


async def test_patch_wrong_content_type_is_415(client: httpx.AsyncClient) -> None:
    text = {**ACME, "Content-Type": "text/plain"}
    response = await client.patch("/invoices/2", headers=text, content="x")
    assert response.status_code == 415
    assert response.json() == {
        "error": "Did not attempt to load JSON data because the request Content-Type was not"
        " 'application/json'."
    }
    # The lookup comes first here: an unknown invoice is a 404 whatever the body.
    assert (await client.patch("/invoices/999", headers=text, content="x")).status_code == 404


async def test_patch_malformed_json_is_400_without_field(client: httpx.AsyncClient) -> None:
    headers = {**ACME, "Content-Type": "application/json"}
    response = await client.patch("/invoices/2", headers=headers, content=b"{")
    assert response.status_code == 400
    assert "field" not in response.json()
    response = await client.patch("/invoices/2", headers=headers, content=json.dumps([1]))
    assert response.json() == {"error": "request body must be a JSON object", "field": "body"}


async def test_delete_draft_only(client: httpx.AsyncClient) -> None:
    response = await client.delete("/invoices/2", headers=ACME)
    assert response.status_code == 409
    assert response.json() == {"error": "only draft invoices can be deleted"}
    assert (await client.delete("/invoices/3", headers=ACME)).status_code == 204
    assert (await client.get("/invoices/3", headers=ACME)).status_code == 404


@pytest.mark.parametrize("path", ["/invoices/999", "/invoices/2147483648", "/invoices/-1"])
async def test_unknown_invoice_is_404(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path, headers=ACME)
    assert response.status_code == 404
    assert "error" in response.json()
