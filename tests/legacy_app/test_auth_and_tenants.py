"""Every call but the probes needs a token, and a tenant never sees another's data."""

from __future__ import annotations

import io

import pytest
from flask.testing import FlaskClient

from tests.conftest import ACME, GLOBEX

ACME_RESOURCES = [f"/clients/{n}" for n in (1, 2, 3)] + [f"/invoices/{n}" for n in range(1, 6)]


@pytest.mark.parametrize("path", ["/me", "/clients", "/invoices", "/invoices/export.csv"])
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer nope"},
        {"Authorization": "acme-token"},
        {"Authorization": "Bearer "},
    ],
)
def test_missing_or_wrong_token_is_401_json(
    client: FlaskClient, path: str, headers: dict[str, str]
) -> None:
    response = client.get(path, headers=headers)
    assert response.status_code == 401
    assert response.get_json() == {"error": "missing or invalid token"}
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_probes_need_no_token(client: FlaskClient) -> None:
    assert client.get("/health").get_json() == {"status": "ok"}
    assert client.get("/ready").get_json() == {"status": "ready"}


def test_me_names_user_and_tenant(client: FlaskClient) -> None:
    assert client.get("/me", headers=GLOBEX).get_json() == {
        "id": 2,
        "email": "gary@globex.test",
        "name": "Gary",
        "tenant": {"id": 2, "slug": "globex", "name": "Globex Inc."},
    }


@pytest.mark.parametrize("path", ACME_RESOURCES)
def test_other_tenant_reads_404(client: FlaskClient, path: str) -> None:
    assert client.get(path, headers=ACME).status_code == 200
    response = client.get(path, headers=GLOBEX)
    assert response.status_code == 404
    assert "error" in response.get_json()


WRITES = [("patch", {"name": "Stolen"}), ("delete", None)]


@pytest.mark.parametrize("path", ACME_RESOURCES)
@pytest.mark.parametrize(("method", "body"), WRITES)
def test_other_tenant_writes_404_and_change_nothing(
    client: FlaskClient, path: str, method: str, body: dict[str, str] | None
) -> None:
    before = client.get(path, headers=ACME).get_json()
    response = getattr(client, method)(path, headers=GLOBEX, json=body)
    assert response.status_code == 404
    assert client.get(path, headers=ACME).get_json() == before


@pytest.mark.parametrize("invoice_id", range(1, 6))
def test_other_tenant_cannot_send_or_attach(client: FlaskClient, invoice_id: int) -> None:
    assert client.post(f"/invoices/{invoice_id}/send", headers=GLOBEX).status_code == 404
    upload = {"file": (io.BytesIO(b"x"), "x.txt")}
    response = client.post(f"/invoices/{invoice_id}/attachments", headers=GLOBEX, data=upload)
    assert response.status_code == 404


def test_lists_hold_only_own_tenant(client: FlaskClient) -> None:
    acme_clients = {c["id"] for c in client.get("/clients", headers=ACME).get_json()}
    globex_clients = {c["id"] for c in client.get("/clients", headers=GLOBEX).get_json()}
    assert acme_clients == {1, 2, 3}
    assert globex_clients == {4, 5}
    globex_invoices = client.get("/invoices", headers=GLOBEX).get_json()
    assert {i["id"] for i in globex_invoices["items"]} == {6, 7, 8}


def test_invoice_for_other_tenants_client_is_400(client: FlaskClient) -> None:
    response = client.post("/invoices", headers=GLOBEX, json={"client_id": 1, "amount": "5.00"})
    assert response.status_code == 400
    assert response.get_json()["field"] == "client_id"


def test_attachment_of_other_tenant_is_404(client: FlaskClient) -> None:
    upload = {"file": (io.BytesIO(b"secret"), "plan.txt")}
    assert client.post("/invoices/1/attachments", headers=ACME, data=upload).status_code == 201
    assert client.get("/invoices/1/attachments/plan.txt", headers=GLOBEX).status_code == 404
