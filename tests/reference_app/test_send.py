"""Sending an invoice: the delivery through the real upstream, and the notification after it."""

from __future__ import annotations

import socket
import time
from typing import Any

import aiohttp
import httpx
import pytest
from fastapi import FastAPI

from reference_app.deps import get_settings
from reference_app.settings import Settings
from reference_app.upstream import notify_sent
from tests.conftest import ACME
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


class TimedList(list[dict[str, Any]]):
    """A list that notes when each item arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def append(self, item: dict[str, Any]) -> None:
        self.times.append(time.monotonic())
        super().append(item)


async def test_notification_is_sent_after_the_response(
    app: FastAPI, fresh_upstream: Upstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The response is complete before the notification is even posted."""
    notifications = TimedList()
    monkeypatch.setattr(fresh_upstream.behaviour, "notifications", notifications)
    response_done: list[float] = []

    async def recording_app(scope: Any, receive: Any, send: Any) -> None:
        async def recording_send(message: Any) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                response_done.append(time.monotonic())

        await app(scope, receive, recording_send)

    transport = httpx.ASGITransport(app=recording_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.post("/invoices/3/send", headers=ACME)
    assert response.status_code == 200
    assert list(notifications) == [
        {"event": "invoice.sent", "tenant": "acme", "invoice": "INV-00003"}
    ]
    assert len(response_done) == 1
    assert notifications.times[0] > response_done[0]


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


async def test_send_retries_then_gives_up(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings, fresh_upstream: Upstream
) -> None:
    retrying = settings.model_copy(update={"upstream_retries": 2})
    app.dependency_overrides[get_settings] = lambda: retrying
    fresh_upstream.behaviour.status = 500
    assert (await client.post("/invoices/3/send", headers=ACME)).status_code == 502
    assert len(fresh_upstream.behaviour.received) == 3


@pytest.mark.parametrize("failure", ["times out", "garbled"])
async def test_transport_errors_are_retried_then_502(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    fresh_upstream: Upstream,
    failure: str,
) -> None:
    fresh_upstream.behaviour.delay_s = 0.5 if failure == "times out" else 0.0
    fresh_upstream.behaviour.garbled = failure == "garbled"
    retrying = settings.model_copy(update={"upstream_retries": 1, "upstream_timeout": 0.2})
    app.dependency_overrides[get_settings] = lambda: retrying
    response = await client.post("/invoices/3/send", headers=ACME)
    assert (response.status_code, response.json()) == (502, {"error": "upstream unavailable"})
    assert len(fresh_upstream.behaviour.received) == 2


async def test_unreachable_upstream_is_502(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings
) -> None:
    unreachable = settings.model_copy(
        update={"upstream_url": f"http://127.0.0.1:{closed_port()}", "upstream_retries": 1}
    )
    app.dependency_overrides[get_settings] = lambda: unreachable
    response = await client.post("/invoices/3/send", headers=ACME)
    assert (response.status_code, response.json()) == (502, {"error": "upstream unavailable"})
    assert (await client.get("/invoices/3", headers=ACME)).json()["status"] == "draft"


async def test_unreadable_upstream_answer_counts_as_unavailable(
    client: httpx.AsyncClient, fresh_upstream: Upstream
) -> None:
    fresh_upstream.behaviour.reply = {"id": "x"}
    response = await client.post("/invoices/3/send", headers=ACME)
    assert response.status_code == 502


async def test_failed_notification_is_only_logged(caplog: pytest.LogCaptureFixture) -> None:
    async with aiohttp.ClientSession() as session:
        url = f"http://127.0.0.1:{closed_port()}"
        await notify_sent(session, url, {"invoice": "INV-00003"}, attempt_timeout=1)
    assert any("notification failed" in record.getMessage() for record in caplog.records)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
