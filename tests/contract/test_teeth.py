"""The suite has teeth: an altered reference app fails exactly the check meant to catch it.

Each alteration is made in the test (a wrapping ASGI app or a monkeypatch), never as a
copy of the code on disk: a changed status code, a leaked field, a 500 on a bad query
parameter, a missing tenant check.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contract_tests import cases
from contract_tests.apps import AppUnderTest
from contract_tests.blocking_watch import ASGIApp, Message, Receive, Scope, Send
from contract_tests.explicit import run_explicit
from contract_tests.invoicing import reseed
from contract_tests.results import OperationResult, Suite
from contract_tests.runner import RunOptions, run_generated
from tests.conftest import ACME
from tests.contract.candidates import build_reference
from tests.contract.conftest import DOCUMENT, ContractRuns

Alteration = Callable[[Scope, int, bytes], tuple[int, bytes]]


class Altered:
    """Serve `app`, then let `alter` change each buffered response's status and body."""

    def __init__(self, app: ASGIApp, alter: Alteration) -> None:
        self.app = app
        self.alter = alter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def buffer(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            status, body = self.alter(scope, start["status"], b"".join(chunks))
            headers = [
                (k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"
            ]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffer)


@pytest.fixture
def reference(contract_runs: ContractRuns, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh reference app of this test's own, on its own database."""
    yield build_reference(contract_runs.environment(f"teeth_{request.node.name[:20]}"))


def run_operation(
    contract_runs: ContractRuns, app: Any, label: str
) -> dict[Suite, OperationResult]:
    schema = cases.load_schema(DOCUMENT, max_examples=cases.max_examples_from_env(), seed=None)
    (operation,) = cases.select_operations(schema, [label])
    new = AppUnderTest("altered", app, setup=lambda _: reseed(getattr(app, "app", app)))
    rows = run_generated(
        operation, new=new, legacy=contract_runs.legacy_app(), options=RunOptions(headers=ACME)
    )
    return {row.suite: row for row in rows}


def test_a_changed_status_code_fails_status_code_conformance(
    contract_runs: ContractRuns, reference: Any
) -> None:
    def created_is_ok(scope: Scope, status: int, body: bytes) -> tuple[int, bytes]:
        return (200 if status == 201 else status), body

    rows = run_operation(contract_runs, Altered(reference, created_is_ok), "POST /clients")
    assert rows[Suite.CONFORMANCE].failures_by_check["status_code_conformance"] > 0
    assert "status: legacy 201, new 200" in rows[Suite.DIFFERENTIAL].first_failure


def test_a_leaked_field_fails_response_schema_conformance(
    contract_runs: ContractRuns, reference: Any
) -> None:
    def leak_tenant(scope: Scope, status: int, body: bytes) -> tuple[int, bytes]:
        if status != 200:
            return status, body
        data = json.loads(body)
        data["tenant_id"] = 1
        return status, json.dumps(data).encode()

    rows = run_operation(contract_runs, Altered(reference, leak_tenant), "GET /clients/{client_id}")
    assert rows[Suite.CONFORMANCE].failures_by_check["response_schema_conformance"] > 0
    assert not rows[Suite.CONFORMANCE].inherited_by_check["response_schema_conformance"]
    assert "body differs" in rows[Suite.DIFFERENTIAL].first_failure


def test_a_500_on_a_bad_query_parameter_fails_not_a_server_error(
    contract_runs: ContractRuns, reference: Any
) -> None:
    def crash_on_bad_page(scope: Scope, status: int, body: bytes) -> tuple[int, bytes]:
        query = scope.get("query_string", b"").decode()
        pages = [p.partition("=")[2] for p in query.split("&") if p.startswith("page=")]
        if any(not page.isdigit() for page in pages):
            return 500, b'{"error": "internal error"}'
        return status, body

    rows = run_operation(contract_runs, Altered(reference, crash_on_bad_page), "GET /invoices")
    conformance = rows[Suite.CONFORMANCE]
    assert conformance.failures_by_check["not_a_server_error"] > 0
    assert not conformance.inherited_by_check["not_a_server_error"]
    assert "the new app failed with 500" in rows[Suite.DIFFERENTIAL].first_failure


def test_a_missing_tenant_check_fails_the_id_sweep(
    contract_runs: ContractRuns, reference: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reference_app.models import Client, Tenant
    from reference_app.routers import clients

    async def any_tenants_client(session: AsyncSession, tenant: Tenant, client_id: int) -> Client:
        client = await session.scalar(select(Client).where(Client.id == client_id))
        if client is None:
            raise HTTPException(404, "client not found")
        return client

    monkeypatch.setattr(clients, "client_or_404", any_tenants_client)
    new = AppUnderTest("altered", reference, setup=reseed)
    (row,) = [
        row
        for row in run_explicit(
            DOCUMENT,
            new=new,
            legacy=contract_runs.legacy_app(),
            headers=ACME,
            families=lambda family: family == "id sweep",
        )
        if row.suite is Suite.EXPLICIT
    ]
    assert row.failed > 0
    assert "status: legacy 404, new 200; body differs: GET /clients/4" in [
        f.title for f in row.regressions
    ]
