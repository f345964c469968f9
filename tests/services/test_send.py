"""Sending an invoice: the delivery through the real upstream, and each way the upstream fails."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import ACME
from tests.reference_app.servers import free_port
from tests.services.conftest import Service
from tests.upstream import Upstream


async def test_send_delivers_to_upstream_and_marks_sent(
    client: httpx.AsyncClient, fresh_upstream: Upstream
) -> None:
    response = await client.post("/invoices/3/send", headers=ACME)
    assert response.status_code == 200
    invoice = response.json()
    assert invoice["status"] == "sent"
    assert invoice["sent_at"] is not None and invoice["sent_at"].endswith("+00:00")
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
    assert (await client.get("/invoices/3", headers=ACME)).json() == invoice


async def test_sending_a_sent_invoice_again_delivers_again(
    client: httpx.AsyncClient, fresh_upstream: Upstream
) -> None:
    assert (await client.post("/invoices/2/send", headers=ACME)).status_code == 200
    assert [d["invoice"] for d in fresh_upstream.behaviour.received] == ["INV-00002"]


async def test_send_when_upstream_fails_is_502(
    client: httpx.AsyncClient, fresh_upstream: Upstream
) -> None:
    fresh_upstream.behaviour.status = 503
    response = await client.post("/invoices/3/send", headers=ACME)
    assert response.status_code == 502
    assert response.json() == {"error": "upstream unavailable"}
    assert (await client.get("/invoices/3", headers=ACME)).json()["status"] == "draft"
    assert fresh_upstream.behaviour.notifications == []


async def test_send_when_upstream_refuses_is_502(
    client: httpx.AsyncClient, fresh_upstream: Upstream
) -> None:
    fresh_upstream.behaviour.status = 422
    response = await client.post("/invoices/3/send", headers=ACME)
    assert response.status_code == 502
    assert response.json() == {
        "error": "upstream refused the delivery: 422 Client Error: Unprocessable Entity"
        f" for url: {fresh_upstream.url}/deliveries"
    }


async def test_send_paid_invoice_is_409(
    client: httpx.AsyncClient, fresh_upstream: Upstream
) -> None:
    response = await client.post("/invoices/1/send", headers=ACME)
    assert response.status_code == 409
    assert response.json() == {"error": "a paid invoice cannot be sent"}
    assert fresh_upstream.behaviour.received == []


async def test_send_retries_then_gives_up(service: Service, fresh_upstream: Upstream) -> None:
    service.configure(upstream_retries=2)
    fresh_upstream.behaviour.status = 500
    assert (await service.client.post("/invoices/3/send", headers=ACME)).status_code == 502
    assert len(fresh_upstream.behaviour.received) == 3


@pytest.mark.parametrize("failure", ["times out", "garbled"])
async def test_transport_errors_are_retried_then_502(
    service: Service, fresh_upstream: Upstream, failure: str
) -> None:
    fresh_upstream.behaviour.delay_s = 0.5 if failure == "times out" else 0.0
    fresh_upstream.behaviour.garbled = failure == "garbled"
    service.configure(upstream_retries=1, upstream_timeout=0.2)
    response = await service.client.post("/invoices/3/send", headers=ACME)
    assert (response.status_code, response.json()) == (502, {"error": "upstream unavailable"})
    assert len(fresh_upstream.behaviour.received) == 2


async def test_unreachable_upstream_is_502(service: Service) -> None:
    service.configure(upstream_url=f"http://127.0.0.1:{free_port()}", upstream_retries=1)
    response = await service.client.post("/invoices/3/send", headers=ACME)
    assert (response.status_code, response.json()) == (502, {"error": "upstream unavailable"})
    assert (await service.client.get("/invoices/3", headers=ACME)).json()["status"] == "draft"


async def test_unreadable_upstream_answer_counts_as_unavailable(
    client: httpx.AsyncClient, fresh_upstream: Upstream
) -> None:
    fresh_upstream.behaviour.reply = {"id": "x"}
    response = await client.post("/invoices/3/send", headers=ACME)
    assert response.status_code == 502
