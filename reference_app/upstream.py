"""The notification service that delivers invoices, called with the shared httpx.AsyncClient."""

from __future__ import annotations

import asyncio
import functools
import ssl
from typing import Any

import certifi
import httpx

from reference_app.observability import get_logger

log = get_logger(__name__)


class UpstreamError(Exception):
    """The notification service could not be reached or refused the delivery."""


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle takes tens of milliseconds; once per process is enough.
    return ssl.create_default_context(cafile=certifi.where())


def make_client(timeout: float) -> httpx.AsyncClient:
    """The one client the app shares (connection pool included); made and closed by the lifespan."""
    return httpx.AsyncClient(
        verify=_tls_context(),
        timeout=httpx.Timeout(timeout),
        follow_redirects=True,
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
    )


async def deliver_invoice(
    client: httpx.AsyncClient, base_url: str, payload: dict[str, Any], *, retries: int
) -> str:
    """POST the invoice to `{base_url}/deliveries`; returns its delivery reference.

    Like the legacy service: a 4xx is a refusal (no retry); a 5xx, an unreadable answer or a
    transport error is retried `retries` times with a short back-off, then "unavailable".
    """
    url = base_url.rstrip("/") + "/deliveries"
    attempts = retries + 1
    for attempt in range(attempts):
        try:
            response = await client.post(url, json=payload)
            if 400 <= response.status_code < 500:
                raise UpstreamError(f"upstream refused the delivery: {_client_error(response)}")
            if response.status_code < 500:
                return str(response.json()["reference"])
        except (httpx.HTTPError, ValueError, KeyError, TypeError):
            pass
        if attempt + 1 < attempts:
            await asyncio.sleep(0.05 * (attempt + 1))  # back off before retrying
    raise UpstreamError("upstream unavailable")


def _client_error(response: httpx.Response) -> str:
    # The wording of requests' HTTPError, which the legacy service passed on to its clients.
    return f"{response.status_code} Client Error: {response.reason_phrase} for url: {response.url}"


async def notify_sent(client: httpx.AsyncClient, base_url: str, event: dict[str, Any]) -> None:
    """Tell the notification service an invoice went out; a failure here is only logged.

    Runs as a background task after the response: it gets plain values, never the
    request's session or objects.
    """
    url = base_url.rstrip("/") + "/notifications"
    try:
        await client.post(url, json=event)
    except httpx.HTTPError as error:
        log.warning("notification failed", invoice=event.get("invoice"), error=str(error))
