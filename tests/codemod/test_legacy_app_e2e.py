"""End to end: `migrate legacy_app --out tmp`, then the migrated app answers the legacy contract.

The migrated copy is imported under its own name (`legacy_app`), so the original modules
are set aside while these tests run and put back afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

import legacy_app
from migrator.cli import main
from tests.codemod.migrated import imported_from, load
from tests.conftest import ACME
from tests.databases import ScratchDatabases
from tests.upstream import Upstream

SOURCE = Path(legacy_app.__file__).parent
SPEC = SOURCE / "openapi.yaml"

schema = schemathesis.openapi.from_path(SPEC)
schema.config.generation.update(max_examples=25, deterministic=True)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# Operations the migrated app does not pass untouched, and why (docs/codemod.md).
EXPECTED_FAILURES: dict[str, str] = {}


@pytest.fixture(scope="module", params=["plain", "spec"])
def migration(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[tuple[Path, dict[str, Any]]]:
    """The migrated copy, without and with `--spec` (typed models, the contract's docs)."""
    out = tmp_path_factory.mktemp("migrated")
    report_path = out / "r.json"
    spec = ["--spec", str(SPEC)] if request.param == "spec" else []
    args = [str(SOURCE), "--out", str(out), "--report", str(report_path), "--jobs", "2", *spec]
    assert main(args) == 0
    report = json.loads(report_path.read_text())
    with imported_from(out, "legacy_app"):
        yield out, report


@pytest.fixture(scope="module")
def migrated_once(
    migration: tuple[Path, dict[str, Any]], scratch_databases: ScratchDatabases
) -> Iterator[Any]:
    import legacy_app as migrated_package  # the migrated copy, imported from the output

    app: Any = migrated_package.create_app(scratch_databases.new("migrated"))
    app.state.config["UPSTREAM_RETRIES"] = 0
    yield app
    app.state.extensions["db_engine"].dispose()


@pytest.fixture
def migrated_app(migrated_once: Any, fresh_upstream: Upstream, uploads: Path) -> Any:
    from legacy_app.db import init_db  # the migrated package

    init_db(migrated_once.state.extensions["db_engine"], with_seed=True, reset=True)
    migrated_once.state.config["UPSTREAM_URL"] = fresh_upstream.url
    migrated_once.state.config["UPLOAD_FOLDER"] = str(uploads)
    return migrated_once


def test_every_app_in_the_report_imports(migration: tuple[Path, dict[str, Any]]) -> None:
    from fastapi import FastAPI

    out, report = migration
    assert report["apps"] == ["legacy_app.wsgi:app"]
    for import_string in report["apps"]:
        assert isinstance(load(import_string), FastAPI)
    assert {f["status"] for f in report["files"]} <= {"converted", "unchanged"}
    for path in out.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")
    assert main([str(out / "legacy_app"), "--check"]) == 0  # a second run changes nothing


def test_the_report_lists_every_route(migration: tuple[Path, dict[str, Any]]) -> None:
    _, report = migration
    rules = {(tuple(r["methods"]), r["rule"]) for r in report["routes"]}
    assert (("GET",), "/invoices/<int:invoice_id>") in rules
    assert (("GET", "POST"), "/clients") in rules
    by_function = {r["function"]: r for r in report["routes"]}
    assert by_function["get_invoice"]["path"] == "/invoices/{invoice_id}"
    assert by_function["send_invoice"]["async"] is False  # requests.post keeps it def
    assert any("requests.post" in note for note in by_function["send_invoice"]["notes"])
    assert any(f["call"] == "requests.post" for f in report["findings"])


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_migrated_app_conforms(
    case: schemathesis.Case[Any], migrated_app: Any, request: pytest.FixtureRequest
) -> None:
    reason = EXPECTED_FAILURES.get(f"{case.operation.method.upper()} {case.operation.path}")
    if reason is not None:
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))
    response = case.call(app=migrated_app, headers=ACME)
    case.validate_response(response, checks=CHECKS)


# What Flask did for free, checked on the migrated app (the legacy suite's http tests).


def _client(app: Any) -> Any:
    import httpx

    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_head_and_options_are_answered_like_flask(migrated_app: Any) -> None:
    async with _client(migrated_app) as client:
        head = await client.head("/clients", headers=ACME)
        assert head.status_code == 200
        assert head.content == b""
        options = await client.options("/clients/1", headers=ACME)
        assert options.status_code == 200
        allowed = {"GET", "HEAD", "OPTIONS", "PATCH", "DELETE"}
        assert set(options.headers["Allow"].split(", ")) == allowed


async def test_wrong_method_is_405_json_with_allow(migrated_app: Any) -> None:
    async with _client(migrated_app) as client:
        response = await client.put("/invoices/1", headers=ACME, json={})
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/json"
    assert set(response.headers["Allow"].split(", ")) == {
        "GET",
        "HEAD",
        "OPTIONS",
        "PATCH",
        "DELETE",
    }


async def test_paths_and_converters_route_like_flask(migrated_app: Any) -> None:
    async with _client(migrated_app) as client:
        assert (await client.get("/clients/", headers=ACME)).status_code == 404
        assert (await client.get("/invoices/-1", headers=ACME)).status_code == 404
        unknown = await client.get("/nope", headers=ACME)
        assert unknown.status_code == 404
        assert "error" in unknown.json()


async def test_query_type_falls_back_to_the_default(migrated_app: Any) -> None:
    async with _client(migrated_app) as client:
        bad = await client.get("/invoices", params={"client_id": "abc", "page": "x"}, headers=ACME)
        good = await client.get("/invoices", headers=ACME)
    assert bad.status_code == 200
    assert bad.json() == good.json()


async def test_bodies_flask_rejected_are_rejected_with_the_same_status(migrated_app: Any) -> None:
    async with _client(migrated_app) as client:
        not_json = await client.patch("/clients/1", content=b"x", headers=ACME)
        malformed = await client.patch(
            "/clients/1", content=b"{", headers={**ACME, "Content-Type": "application/json"}
        )
    assert not_json.status_code == 415
    assert malformed.status_code == 400
    assert "error" in not_json.json() and "error" in malformed.json()


async def test_silent_json_on_a_malformed_body_is_none_as_in_flask(migrated_app: Any) -> None:
    async with _client(migrated_app) as client:
        response = await client.post(
            "/invoices", content=b"{", headers={**ACME, "Content-Type": "application/json"}
        )
    assert response.status_code == 400
    assert response.json() == {"error": "request body must be a JSON object", "field": "body"}


async def test_hooks_run_in_flask_order(migrated_app: Any) -> None:
    async with _client(migrated_app) as client:
        echoed = await client.get("/health", headers={"X-Request-ID": "abc-123"})
        unauthorised = await client.get("/me")
    assert echoed.headers["X-Request-ID"] == "abc-123"
    assert unauthorised.status_code == 401
    assert unauthorised.headers["WWW-Authenticate"] == "Bearer"
    assert len(unauthorised.headers["X-Request-ID"]) == 32


def test_with_the_spec_the_docs_are_the_contracts(
    migration: tuple[Path, dict[str, Any]], request: pytest.FixtureRequest
) -> None:
    """`--spec`: models in `api_models.py`, response models on the views, and an
    `/openapi.json` with no breaking change against the contract (bearer security, error
    responses, the parameters helpers read; no 422)."""
    import yaml

    from contract_tests.openapi_diff import diff_specs

    out, report = migration
    models = out / "legacy_app" / "api_models.py"
    if request.node.callspec.params["migration"] == "plain":
        assert not models.exists()  # without --spec nothing is generated from the contract
        return
    assert models.exists()
    import legacy_app as migrated_package  # the migrated copy

    app: Any = migrated_package.create_app("sqlite://")
    document = app.openapi()
    contract = yaml.safe_load(SPEC.read_text())
    assert [str(change) for change in diff_specs(contract, document).breaking] == []
    assert "422" not in json.dumps(document["paths"]["/invoices"]["post"]["responses"])
    invoices = (out / "legacy_app" / "blueprints" / "invoices.py").read_text()
    wired = 'name="invoices.get_invoice", response_model=api_models.Invoice)'
    assert wired in invoices
    by_function = {r["function"]: r for r in report["routes"]}
    assert any("api_models.InvoiceCreate" in n for n in by_function["create_invoice"]["notes"])
