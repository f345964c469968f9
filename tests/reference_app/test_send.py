"""Sending an invoice, as only the reference app does it: the notification after the
response, and a failed notification that is only logged."""

from __future__ import annotations

import time
from typing import Any

import aiohttp
import httpx
import pytest
from fastapi import FastAPI

from reference_app.upstream import notify_sent
from tests.conftest import ACME
from tests.reference_app.servers import free_port
from tests.upstream import Upstream


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


async def test_failed_notification_is_only_logged(caplog: pytest.LogCaptureFixture) -> None:
    async with aiohttp.ClientSession() as session:
        url = f"http://127.0.0.1:{free_port()}"
        await notify_sent(session, url, {"invoice": "INV-00003"}, attempt_timeout=1)
    assert any("notification failed" in record.getMessage() for record in caplog.records)
