"""Every call but the probes needs a token, and a tenant never sees another's data."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import ACME, GLOBEX

WRONG_CREDENTIALS: list[dict[str, str]] = [
    {},
    {"Authorization": "Bearer nope"},
    {"Authorization": "acme-token"},
    {"Authorization": "Bearer "},
    {"Authorization": "Basic YWNtZTp4"},
    {"Authorization": "Bearer globex-token-but-longer"},
]
ACME_RESOURCES = [
    "/clients/1",
    "/clients/2",
    "/clients/3",
    "/invoices/1",
    "/invoices/3",
    "/invoices/5",
]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/me"),
        ("GET", "/clients"),
        ("POST", "/clients"),
        ("GET", "/clients/1"),
        ("PATCH", "/clients/1"),
        ("DELETE", "/clients/1"),
        ("OPTIONS", "/clients/1"),
        ("GET", "/invoices"),
        ("POST", "/invoices"),
        ("GET", "/invoices/export.csv"),
        ("GET", "/invoices/1"),
        ("PATCH", "/invoices/1"),
        ("DELETE", "/invoices/3"),
        ("POST", "/invoices/3/send"),
        ("POST", "/invoices/1/attachments"),
        ("GET", "/invoices/1/attachments/a.txt"),
        ("GET", "/clients/99999999999"),
    ],
)
async def test_missing_or_wrong_token_is_401_json(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    for headers in WRONG_CREDENTIALS:
        response = await client.request(method, path, headers=headers)
        assert response.status_code == 401, headers
        assert response.json() == {"error": "missing or invalid token"}
        assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_auth_comes_before_body_checks(client: httpx.AsyncClient) -> None:
    # Flask authenticated in before_request, before the view read (or refused) the body.
    for content_type in ("application/json", "text/plain"):
        response = await client.post(
            "/clients", content=b"{", headers={"Content-Type": content_type}
        )
        assert response.status_code == 401


async def test_probes_need_no_token(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    assert (await client.get("/ready")).json() == {"status": "ready"}


async def test_token_is_trimmed_and_scheme_case_insensitive(client: httpx.AsyncClient) -> None:
    response = await client.get("/me", headers={"Authorization": "bearer  acme-token "})
    assert response.status_code == 200


async def test_me_names_user_and_tenant(client: httpx.AsyncClient) -> None:
    assert (await client.get("/me", headers=GLOBEX)).json() == {
        "id": 2,
        "email": "gary@globex.test",
        "name": "Gary",
        "tenant": {"id": 2, "slug": "globex", "name": "Globex Inc."},
    }


@pytest.mark.parametrize("path", ACME_RESOURCES)
async def test_other_tenant_reads_404(client: httpx.AsyncClient, path: str) -> None:
    assert (await client.get(path, headers=ACME)).status_code == 200
    response = await client.get(path, headers=GLOBEX)
    assert response.status_code == 404
    assert response.json() in ({"error": "client not found"}, {"error": "invoice not found"})


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "/clients/1", {"name": "Stolen"}),
        ("DELETE", "/clients/3", None),
        ("PATCH", "/invoices/3", {"notes": "stolen"}),
        ("DELETE", "/invoices/3", None),
        ("POST", "/invoices/3/send", None),
    ],
)
async def test_other_tenant_writes_404_and_change_nothing(
    client: httpx.AsyncClient, method: str, path: str, body: dict[str, str] | None
) -> None:
    resource = path.removesuffix("/send")
    before = (await client.get(resource, headers=ACME)).json()
    response = await client.request(method, path, headers=GLOBEX, json=body)
    assert response.status_code == 404
    assert (await client.get(resource, headers=ACME)).json() == before


async def test_lists_hold_only_own_tenant(client: httpx.AsyncClient) -> None:
    acme_clients = {c["id"] for c in (await client.get("/clients", headers=ACME)).json()}
    globex_clients = {c["id"] for c in (await client.get("/clients", headers=GLOBEX)).json()}
    assert acme_clients == {1, 2, 3}
    assert globex_clients == {4, 5}
    globex_invoices = (await client.get("/invoices", headers=GLOBEX)).json()
    assert {i["id"] for i in globex_invoices["items"]} == {6, 7, 8}


async def test_filter_by_other_tenants_client_finds_nothing(client: httpx.AsyncClient) -> None:
    page = (await client.get("/invoices?client_id=4", headers=ACME)).json()
    assert (page["items"], page["total"]) == ([], 0)


async def test_export_holds_only_own_tenant(client: httpx.AsyncClient) -> None:
    text = (await client.get("/invoices/export.csv", headers=ACME)).text
    assert "Hank Scorpio" not in text
    assert len(text.splitlines()) == 1 + 5


async def test_invoice_for_other_tenants_client_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/invoices", headers=GLOBEX, json={"client_id": 1, "amount": "5.00"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": "client_id does not name one of your clients",
        "field": "client_id",
    }


async def test_attachment_of_other_tenant_is_404(client: httpx.AsyncClient) -> None:
    upload = {"file": ("plan.txt", b"secret")}
    response = await client.post("/invoices/1/attachments", headers=ACME, files=upload)
    assert response.status_code == 201
    download = await client.get("/invoices/1/attachments/plan.txt", headers=GLOBEX)
    assert download.status_code == 404
    assert b"secret" not in download.content
    stolen = await client.post("/invoices/1/attachments", headers=GLOBEX, files=upload)
    assert stolen.status_code == 404
