"""CSV export, attachment upload and download, and the traversal guard."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx
import pytest

from tests.conftest import ACME, GLOBEX
from tests.services.conftest import Service

FIVE_MIB = 5 * 1024 * 1024


async def test_export_streams_every_invoice_of_the_tenant(client: httpx.AsyncClient) -> None:
    response = await client.get("/invoices/export.csv", headers=GLOBEX)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == "attachment; filename=invoices.csv"
    rows = list(csv.reader(io.StringIO(response.text)))
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


async def test_export_pages_through_the_table(service: Service) -> None:
    service.configure(export_page_size=2)
    for n in range(7):
        body = {"client_id": 1, "amount": f"{n + 1}.00"}
        assert (await service.client.post("/invoices", headers=ACME, json=body)).status_code == 201
    response = await service.client.get("/invoices/export.csv", headers=ACME)
    lines = response.text.splitlines()
    assert len(lines) == 1 + 5 + 7
    assert lines[-1].startswith("INV-00012,Wile E. Coyote,7.00,EUR,draft")


async def test_head_on_export_sends_headers_only(client: httpx.AsyncClient) -> None:
    response = await client.head("/invoices/export.csv", headers=ACME)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=invoices.csv"
    assert response.content == b""


async def test_upload_then_download_round_trip(client: httpx.AsyncClient, uploads: Path) -> None:
    content = bytes(range(256)) * 40
    response = await client.post(
        "/invoices/1/attachments",
        headers=ACME,
        files={"file": ("scan 1.pdf", content, "application/pdf")},
    )
    assert response.status_code == 201
    assert response.json() == {
        "name": "scan_1.pdf",
        "size": len(content),
        "content_type": "application/pdf",
    }
    assert (uploads / "1" / "1" / "scan_1.pdf").read_bytes() == content

    download = await client.get("/invoices/1/attachments/scan_1.pdf", headers=ACME)
    assert download.status_code == 200
    assert download.content == content
    assert download.headers["content-type"] == "application/pdf"


def multipart(
    field: str, filename: str, content: bytes, content_type: str | None
) -> tuple[bytes, str]:
    """A one-file multipart body, with no Content-Type for the part when none is given."""
    part_type = f"Content-Type: {content_type}\r\n" if content_type else ""
    body = (
        (
            f'--b0undary\r\nContent-Disposition: form-data; name="{field}";'
            f' filename="{filename}"\r\n{part_type}\r\n'
        ).encode()
        + content
        + b"\r\n--b0undary--\r\n"
    )
    return body, "multipart/form-data; boundary=b0undary"


@pytest.mark.parametrize(
    ("sent_name", "sent_type", "stored_name", "stored_type", "served_type"),
    [
        ("../../x y.txt", None, "x_y.txt", "application/octet-stream", "text/plain; charset=utf-8"),
        (
            "a.weird",
            "Text/Plain; charset=latin-1",
            "a.weird",
            "text/plain",
            "application/octet-stream",
        ),
        ("r\u00e9sum\u00e9.csv", "text/csv", "resume.csv", "text/csv", "text/csv; charset=utf-8"),
    ],
)
async def test_upload_names_and_types(
    client: httpx.AsyncClient,
    sent_name: str,
    sent_type: str | None,
    stored_name: str,
    stored_type: str,
    served_type: str,
) -> None:
    body, content_type = multipart("file", sent_name, b"x", sent_type)
    headers = {**ACME, "Content-Type": content_type}
    response = await client.post("/invoices/1/attachments", headers=headers, content=body)
    assert response.status_code == 201
    assert response.json() == {"name": stored_name, "size": 1, "content_type": stored_type}
    download = await client.get(f"/invoices/1/attachments/{stored_name}", headers=ACME)
    assert download.headers["content-type"] == served_type


async def test_upload_same_name_replaces(client: httpx.AsyncClient) -> None:
    for content in (b"one", b"second"):
        files = {"file": ("a.txt", content)}
        response = await client.post("/invoices/1/attachments", headers=ACME, files=files)
        assert response.status_code == 201
    assert (await client.get("/invoices/1/attachments/a.txt", headers=ACME)).content == b"second"


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"data": {"other": "x"}},
        {"files": {"other": ("a.txt", b"x")}},
        {"files": {"file": ("", b"x")}},
        {"json": {"file": "x"}},
        {"content": b"garbage", "headers": {"Content-Type": "multipart/form-data; boundary=x"}},
        {"content": b"garbage", "headers": {"Content-Type": "multipart/form-data"}},
    ],
)
async def test_upload_without_file_is_400(
    client: httpx.AsyncClient, request_kwargs: dict[str, object]
) -> None:
    headers = {**ACME, **request_kwargs.pop("headers", {})}  # type: ignore[dict-item]
    response = await client.post(
        "/invoices/1/attachments",
        headers=headers,
        **request_kwargs,  # type: ignore[arg-type]
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": "a file is required (multipart field 'file')",
        "field": "file",
    }


async def test_upload_with_unusable_name_is_400(client: httpx.AsyncClient) -> None:
    files = {"file": ("...", b"x")}
    response = await client.post("/invoices/1/attachments", headers=ACME, files=files)
    assert response.status_code == 400
    assert response.json() == {"error": "the file name is not usable", "field": "file"}


async def test_upload_too_large_is_413(client: httpx.AsyncClient, uploads: Path) -> None:
    files = {"file": ("big.bin", b"x" * (FIVE_MIB + 1))}
    response = await client.post("/invoices/1/attachments", headers=ACME, files=files)
    assert response.status_code == 413
    assert response.json() == {"error": "The data value transmitted exceeds the capacity limit."}
    assert not (uploads / "1" / "1" / "big.bin").exists()


async def test_too_large_only_when_the_body_is_read(client: httpx.AsyncClient) -> None:
    # As in Flask: the limit applies when a view reads the body, after auth and lookups.
    big = b"x" * (FIVE_MIB + 1)
    multipart = {**ACME, "Content-Type": "multipart/form-data; boundary=x"}
    assert (
        await client.post("/invoices/999/attachments", headers=multipart, content=big)
    ).status_code == 404
    assert (
        await client.request("DELETE", "/invoices/5", headers=ACME, content=big)
    ).status_code == 204
    json_type = {**ACME, "Content-Type": "application/json"}
    for method, path in [("POST", "/clients"), ("POST", "/invoices"), ("PATCH", "/invoices/3")]:
        response = await client.request(method, path, headers=json_type, content=big)
        assert response.status_code == 413, (method, path)


@pytest.mark.parametrize(
    "name",
    [
        "../../../etc/passwd",
        "..%2F..%2Fsecret.txt",
        "%2e%2e/%2e%2e/secret.txt",
        "%2e%2e%2f%2e%2e%2fsecret.txt",
        "..\\..\\secret.txt",
        "/etc/passwd",
        "ok.txt/../../../secret.txt",
        "%00",
    ],
)
async def test_download_cannot_leave_the_invoice_folder(
    client: httpx.AsyncClient, uploads: Path, name: str
) -> None:
    (uploads / "secret.txt").write_text("top secret")
    files = {"file": ("ok.txt", b"fine")}
    assert (
        await client.post("/invoices/1/attachments", headers=ACME, files=files)
    ).status_code == 201
    # A double slash first gets werkzeug's 308 to the merged path, which then 404s.
    response = await client.get(
        f"/invoices/1/attachments/{name}", headers=ACME, follow_redirects=True
    )
    assert response.status_code == 404
    assert b"secret" not in response.content


async def test_unknown_attachment_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/invoices/1/attachments/nothing.txt", headers=ACME)
    assert (response.status_code, response.json()) == (404, {"error": "attachment not found"})


async def test_attachment_row_without_file_is_404(client: httpx.AsyncClient, uploads: Path) -> None:
    files = {"file": ("gone.txt", b"x")}
    await client.post("/invoices/1/attachments", headers=ACME, files=files)
    (uploads / "1" / "1" / "gone.txt").unlink()
    response = await client.get("/invoices/1/attachments/gone.txt", headers=ACME)
    assert response.status_code == 404


async def test_deleting_a_draft_removes_its_files(client: httpx.AsyncClient, uploads: Path) -> None:
    files = {"file": ("draft.txt", b"x")}
    assert (
        await client.post("/invoices/3/attachments", headers=ACME, files=files)
    ).status_code == 201
    assert (uploads / "1" / "3" / "draft.txt").exists()
    assert (await client.delete("/invoices/3", headers=ACME)).status_code == 204
    assert not (uploads / "1" / "3").exists()
