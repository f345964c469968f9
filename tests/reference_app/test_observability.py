"""One JSON log line per request, request ids, Prometheus metrics, and the 500 body."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from starlette.types import Message

from reference_app.deps import CurrentUser, get_session, get_tenant
from reference_app.models import Tenant
from tests.conftest import ACME
from tests.reference_app.asgi import http_scope

INTERNAL_ERROR = (
    "The server encountered an internal error and was unable to complete your request."
    " Either the server is overloaded or there is an error in the application."
)


def log_lines(caplog: pytest.LogCaptureFixture, event: str | None = None) -> list[dict[str, Any]]:
    """The app's JSON log lines, those of one `event` when given."""
    lines = [
        json.loads(r.getMessage()) for r in caplog.records if r.name.startswith("reference_app")
    ]
    return [line for line in lines if event is None or line["event"] == event]


async def test_one_json_line_per_request_with_its_fields(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.clear()
    response = await client.get("/invoices/1", headers={**ACME, "X-Request-ID": "trace-42"})
    assert response.status_code == 200
    [line] = log_lines(caplog, "request")
    assert line["method"] == "GET"
    assert line["path"] == "/invoices/1"
    assert line["status"] == 200
    assert line["tenant"] == "acme"
    assert line["request_id"] == "trace-42"
    assert isinstance(line["latency_ms"], float) and line["latency_ms"] >= 0
    assert line["level"] == "info"
    assert line["timestamp"].endswith("Z")


@pytest.mark.parametrize(
    ("method", "path", "headers", "status", "tenant"),
    [
        ("GET", "/nope", {}, 404, None),
        ("PUT", "/clients", {}, 405, None),
        ("GET", "/clients", {}, 401, None),
        ("HEAD", "/clients", ACME, 200, "acme"),
        ("GET", "/health", {}, 200, None),
    ],
)
async def test_log_line_for_every_outcome(
    client: httpx.AsyncClient,
    caplog: pytest.LogCaptureFixture,
    method: str,
    path: str,
    headers: dict[str, str],
    status: int,
    tenant: str | None,
) -> None:
    caplog.clear()
    response = await client.request(method, path, headers=headers)
    [line] = log_lines(caplog, "request")
    assert (line["method"], line["path"], line["status"], line["tenant"]) == (
        method,
        path,
        status,
        tenant,
    )
    assert line["request_id"] == response.headers["X-Request-ID"]


async def test_request_id_is_bound_to_every_log_line_of_the_request(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.clear()
    await client.post("/invoices/3/send", headers={**ACME, "X-Request-ID": "send-7"})
    sent = log_lines(caplog, "invoice sent")
    assert sent and sent[0]["request_id"] == "send-7"
    assert sent[0]["invoice"] == "INV-00003" and sent[0]["user"] == "alice@acme.test"


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    found: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


async def test_metrics_count_and_time_requests_per_route_template(
    client: httpx.AsyncClient,
) -> None:
    before = samples((await client.get("/metrics")).text)
    for invoice_id in (1, 2, 999):
        await client.get(f"/invoices/{invoice_id}", headers=ACME)
    await client.get("/nope")
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    after = samples(response.text)

    def delta(name: str, **labels: str) -> float:
        key = (name, frozenset(labels.items()))
        return after.get(key, 0.0) - before.get(key, 0.0)

    route = {"method": "GET", "route": "/invoices/{invoice_id}"}
    assert delta("http_requests_total", **route, status="200") == 2
    assert delta("http_requests_total", **route, status="404") == 1
    assert delta("http_requests_total", method="GET", route="<unmatched>", status="404") == 1
    assert delta("http_request_duration_seconds_count", **route, status="200") == 2
    assert delta("http_request_duration_seconds_bucket", **route, status="200", le="+Inf") == 2
    assert not any(dict(labels).get("route") == "/invoices/1" for _, labels in after)
    assert after[("db_pool_connections_in_use", frozenset())] == 0


async def test_pool_gauge_counts_connections_in_use(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    seen: list[float | None] = []

    async def tenant_while_connected(user: CurrentUser) -> Tenant:
        # The authenticating query has checked a connection out for this request's session.
        seen.append(app.state.metrics.registry.get_sample_value("db_pool_connections_in_use"))
        return user.tenant

    app.dependency_overrides[get_tenant] = tenant_while_connected
    assert (await client.get("/clients", headers=ACME)).status_code == 200
    assert seen == [1.0]
    assert app.state.metrics.registry.get_sample_value("db_pool_connections_in_use") == 0


async def test_unhandled_error_is_legacy_500_with_request_id(
    app: FastAPI, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken_session() -> Any:
        raise RuntimeError("database exploded")
        yield  # pragma: no cover

    app.dependency_overrides[get_session] = broken_session
    caplog.clear()
    response = await client.get("/clients", headers={**ACME, "X-Request-ID": "boom-1"})
    assert response.status_code == 500
    assert response.json() == {"error": INTERNAL_ERROR}
    assert response.headers["X-Request-ID"] == "boom-1"
    [error] = log_lines(caplog, "unhandled error")
    assert error["request_id"] == "boom-1"
    assert "database exploded" in json.dumps(error["exception"])
    assert log_lines(caplog, "request")[-1]["status"] == 500
    assert "locals" not in json.dumps(error["exception"])  # tokens and bodies stay out of logs


async def test_a_client_gone_before_its_body_is_a_499_line_not_an_error(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    # A body of 100 bytes announced; the client goes before sending any of it.
    headers = {"Host": "testserver", **ACME, "Content-Type": "application/json"}
    scope = http_scope("POST", "/clients", {**headers, "Content-Length": "100"})
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    caplog.clear()
    await app(scope, receive, send)
    lines = log_lines(caplog)
    assert [line["event"] for line in lines] == ["request"]
    assert lines[0]["status"] == 499
    assert not any(m.get("status") == 500 for m in sent)
