"""CSV export, attachment upload and download, and the traversal guard."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.conftest import ACME, GLOBEX


def test_export_streams_every_invoice_of_the_tenant(client: FlaskClient) -> None:
    response = client.get("/invoices/export.csv", headers=GLOBEX)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == "attachment; filename=invoices.csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows == [
        ["number", "client", "amount", "currency", "status", "due_date", "created_at"],
        [
            "INV-00001",
            "Hank Scorpio",
            "1000000.00",
            "USD",
            "sent",
            "2024-06-01",
            "2024-01-21T09:00:00+00:00",
        ],
        ["INV-00002", "Cypress Creek", "42.00", "USD", "draft", "", "2024-01-22T09:00:00+00:00"],
        [
            "INV-00003",
            "Cypress Creek",
            "310.25",
            "EUR",
            "paid",
            "2024-02-01",
            "2024-01-23T09:00:00+00:00",
        ],
    ]


def test_export_pages_through_the_table(client: FlaskClient) -> None:
    client.application.config["EXPORT_PAGE_SIZE"] = 2
    try:
        for n in range(7):
            body = {"client_id": 1, "amount": f"{n + 1}.00"}
            assert client.post("/invoices", headers=ACME, json=body).status_code == 201
        response = client.get("/invoices/export.csv", headers=ACME)
    finally:
        client.application.config["EXPORT_PAGE_SIZE"] = 500
    lines = response.get_data(as_text=True).splitlines()
    assert len(lines) == 1 + 5 + 7
    assert lines[-1].startswith("INV-00012,Wile E. Coyote,7.00,EUR,draft")


def test_upload_then_download_round_trip(client: FlaskClient, uploads: Path) -> None:
    content = bytes(range(256)) * 40
    response = client.post(
        "/invoices/1/attachments",
        headers=ACME,
        data={"file": (io.BytesIO(content), "scan 1.pdf", "application/pdf")},
    )
    assert response.status_code == 201
    assert response.get_json() == {
        "name": "scan_1.pdf",
        "size": len(content),
        "content_type": "application/pdf",
    }
    assert (uploads / "1" / "1" / "scan_1.pdf").read_bytes() == content

    with client.get("/invoices/1/attachments/scan_1.pdf", headers=ACME) as download:
        assert download.status_code == 200
        assert download.data == content
        assert download.mimetype == "application/pdf"


def test_upload_same_name_replaces(client: FlaskClient) -> None:
    for content in (b"one", b"second"):
        data = {"file": (io.BytesIO(content), "a.txt")}
        assert client.post("/invoices/1/attachments", headers=ACME, data=data).status_code == 201
    with client.get("/invoices/1/attachments/a.txt", headers=ACME) as download:
        assert download.data == b"second"


def test_upload_without_file_is_400(client: FlaskClient) -> None:
    response = client.post("/invoices/1/attachments", headers=ACME, data={"other": "x"})
    assert response.status_code == 400
    assert response.get_json()["field"] == "file"


def test_upload_too_large_is_413(client: FlaskClient) -> None:
    # Encoded in memory: the test client would spool a body this large to a file it never closes.
    big = FileStorage(io.BytesIO(b"x" * (5 * 1024 * 1024 + 1)), "big.bin")
    boundary, body = encode_multipart({"file": big})
    response = client.post(
        "/invoices/1/attachments",
        headers=ACME,
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    assert response.is_json


@pytest.mark.parametrize(
    "name",
    ["../../../etc/passwd", "..%2F..%2Fsecret.txt", "%2e%2e/%2e%2e/secret.txt", "/etc/passwd"],
)
def test_download_cannot_leave_the_invoice_folder(
    client: FlaskClient, uploads: Path, name: str
) -> None:
    (uploads / "secret.txt").write_text("top secret")
    data = {"file": (io.BytesIO(b"fine"), "ok.txt")}
    client.post("/invoices/1/attachments", headers=ACME, data=data)
    # A double slash first gets werkzeug's 308 to the merged path, which then 404s.
    response = client.get(f"/invoices/1/attachments/{name}", headers=ACME, follow_redirects=True)
    assert response.status_code == 404
    assert b"secret" not in response.data


def test_unknown_attachment_is_404(client: FlaskClient) -> None:
    assert client.get("/invoices/1/attachments/nothing.txt", headers=ACME).status_code == 404
