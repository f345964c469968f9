"""The legacy app and the reference app give the same answers to a fixed list of requests.

Every operation of the contract, its happy path and each documented error (400s with their
`field`, 401, 404, 409, 413, 415, 502), plus the HTTP behaviour Flask gave for free. Each
app runs on its own freshly seeded database; the legacy app is called through WSGI, the
reference app through ASGI, both with httpx. Status, JSON body (or raw body) and the
headers clients rely on must match. Only values generated at request time are normalised:
timestamps of rows created by the request, and the request id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ACME, GLOBEX
from tests.services.conftest import Service
from tests.upstream import Upstream

NO_BODY = object()
COMPARED_HEADERS = ("location", "www-authenticate", "content-disposition", "content-type")


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=lambda: dict(ACME))
    json: Any = NO_BODY
    content: bytes | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    upstream_status: int | None = None

    def send_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"headers": self.headers}
        if self.json is not NO_BODY:
            kwargs["content"] = json.dumps(self.json).encode()
            kwargs["headers"] = {**self.headers, "Content-Type": "application/json"}
        if self.content is not None:
            kwargs["content"] = self.content
        if self.files is not None:
            kwargs["files"] = self.files
        return kwargs


def post(path: str, body: Any, headers: dict[str, str] = ACME) -> Call:
    return Call("POST", path, dict(headers), json=body)


def patch(path: str, body: Any) -> Call:
    return Call("PATCH", path, json=body)


def upload(name: str, content: bytes = b"hello", invoice: int = 1) -> Call:
    return Call(
        "POST", f"/invoices/{invoice}/attachments", files={"file": (name, content, "text/plain")}
    )


TEXT = {**ACME, "Content-Type": "text/plain"}
JSON = {**ACME, "Content-Type": "application/json"}
BIG = b"x" * (5 * 1024 * 1024 + 1)

CASES: dict[str, list[Call]] = {
    # probes and the caller
    "health": [Call("GET", "/health", {})],
    "ready": [Call("GET", "/ready", {})],
    "me": [Call("GET", "/me"), Call("GET", "/me", dict(GLOBEX))],
    "401 no token": [Call("GET", "/me", {})],
    "401 unknown token": [Call("GET", "/clients", {"Authorization": "Bearer nope"})],
    "401 wrong scheme": [Call("GET", "/invoices", {"Authorization": "Basic eDp5"})],
    "401 before 404": [Call("GET", "/clients/999", {})],
    "401 before body": [
        Call("POST", "/clients", {"Content-Type": "application/json"}, content=b"{")
    ],
    # clients
    "list clients": [Call("GET", "/clients"), Call("GET", "/clients", dict(GLOBEX))],
    "get client": [Call("GET", "/clients/1"), Call("GET", "/clients/4", dict(GLOBEX))],
    "create client": [
        post("/clients", {"name": " Elmer ", "email": "e@fudd.test"}),
        Call("GET", "/clients"),
    ],
    "create client no email": [post("/clients", {"name": "Daffy", "email": None})],
    "create client 400 name missing": [post("/clients", {})],
    "create client 400 name blank": [post("/clients", {"name": "  "})],
    "create client 400 name type": [post("/clients", {"name": 7})],
    "create client 400 name long": [post("/clients", {"name": "x" * 201})],
    "create client 400 email": [post("/clients", {"name": "Ok", "email": "nope"})],
    "create client 400 email type": [post("/clients", {"name": "Ok", "email": 5})],
    "create client 400 body list": [post("/clients", [1, 2])],
    "create client 400 body string": [post("/clients", "text")],
    "create client 400 malformed": [Call("POST", "/clients", JSON, content=b"{")],
    "create client 400 empty": [Call("POST", "/clients", JSON, content=b"")],
    "create client 415": [Call("POST", "/clients", TEXT, content=b"name=x")],
    "create client 415 no type": [Call("POST", "/clients", content=b'{"name": "x"}')],
    "create client 413": [Call("POST", "/clients", JSON, content=BIG)],
    "update client": [
        patch("/clients/1", {"name": " Wile ", "email": None}),
        Call("GET", "/clients/1"),
    ],
    "update client email only": [patch("/clients/2", {"email": "new@desert.test"})],
    "update client 400 name null": [patch("/clients/1", {"name": None})],
    "update client 400 email": [patch("/clients/1", {"email": "x"})],
    "update client 415": [Call("PATCH", "/clients/1", TEXT, content=b"x")],
    "update client 415 before 404": [Call("PATCH", "/clients/999", TEXT, content=b"x")],
    "update client 404 before body": [Call("PATCH", "/clients/999", JSON, content=b"{")],
    "update client 404 other tenant": [patch("/clients/4", {"name": "Stolen"})],
    "delete client": [
        post("/clients", {"name": "Temp"}),
        Call("DELETE", "/clients/6"),
        Call("GET", "/clients/6"),
    ],
    "delete client 409": [Call("DELETE", "/clients/1")],
    "delete client 404": [Call("DELETE", "/clients/4")],
    "client 404 unknown": [Call("GET", "/clients/999")],
    "client 404 huge id": [Call("GET", "/clients/99999999999")],
    "client 404 malformed ids": [
        Call("GET", "/clients/-1"),
        Call("GET", "/clients/abc"),
        Call("GET", "/clients/1.0"),
    ],
    # invoices: listing
    "list invoices": [Call("GET", "/invoices"), Call("GET", "/invoices", dict(GLOBEX))],
    "list pages": [
        Call("GET", "/invoices?per_page=2&page=2"),
        Call("GET", "/invoices?per_page=2&page=4"),
    ],
    "list clamped": [
        Call("GET", "/invoices?per_page=1000&page=-1"),
        Call("GET", "/invoices?per_page=0"),
    ],
    "list lenient": [
        Call("GET", "/invoices?page=abc&per_page=xyz&client_id=x&min_amount=lots&since=yesterday")
    ],
    "list repeated parameter": [Call("GET", "/invoices?per_page=2&page=2&page=1")],
    "list filters": [
        Call("GET", "/invoices?status=draft"),
        Call("GET", "/invoices?client_id=2"),
        Call("GET", "/invoices?client_id=99999999999"),
        Call("GET", "/invoices?min_amount=250"),
        Call("GET", "/invoices?min_amount=250.001"),
        Call("GET", "/invoices?since=2024-01-19T00:00:00"),
        Call("GET", "/invoices?since=2024-01-18T12:00:00%2B05:00"),
        Call("GET", "/invoices?status=draft&min_amount=100&per_page=1"),
    ],
    "list 400 status": [Call("GET", "/invoices?status=lost"), Call("GET", "/invoices?status=")],
    # invoices: one
    "get invoice": [Call("GET", "/invoices/2"), Call("GET", "/invoices/8", dict(GLOBEX))],
    "get invoice 404": [Call("GET", "/invoices/6"), Call("GET", "/invoices/2147483648")],
    "create invoice": [
        post("/invoices", {"client_id": 1, "amount": "10", "due_date": "2025-01-31", "notes": "n"}),
        post("/invoices", {"client_id": 4, "amount": "0.5", "currency": "USD"}, GLOBEX),
        Call("GET", "/invoices?per_page=100"),
    ],
    "create invoice 400 client_id missing": [post("/invoices", {"amount": "1.00"})],
    "create invoice 400 client_id string": [
        post("/invoices", {"client_id": "1", "amount": "1.00"})
    ],
    "create invoice 400 client_id bool": [post("/invoices", {"client_id": True, "amount": "1.00"})],
    "create invoice 400 client_id zero": [post("/invoices", {"client_id": 0, "amount": "1.00"})],
    "create invoice 400 client_id unknown": [post("/invoices", {"client_id": 999, "amount": "x"})],
    "create invoice 400 other tenant's client": [
        post("/invoices", {"client_id": 4, "amount": "1"})
    ],
    "create invoice 400 amount missing": [post("/invoices", {"client_id": 1})],
    "create invoice 400 amount number": [post("/invoices", {"client_id": 1, "amount": 12})],
    "create invoice 400 amount zero": [post("/invoices", {"client_id": 1, "amount": "0"})],
    "create invoice 400 amount decimals": [post("/invoices", {"client_id": 1, "amount": "1.234"})],
    "create invoice 400 amount big": [post("/invoices", {"client_id": 1, "amount": "12345678901"})],
    "create invoice 400 currency": [
        post("/invoices", {"client_id": 1, "amount": "1", "currency": "eur"})
    ],
    "create invoice 400 currency null": [
        post("/invoices", {"client_id": 1, "amount": "1", "currency": None})
    ],
    "create invoice 400 due_date": [
        post("/invoices", {"client_id": 1, "amount": "1", "due_date": "2024-02-30"})
    ],
    "create invoice 400 notes": [
        post("/invoices", {"client_id": 1, "amount": "1", "notes": ["x"]})
    ],
    "create invoice 400 notes long": [
        post("/invoices", {"client_id": 1, "amount": "1", "notes": "x" * 2001})
    ],
    "create invoice 400 body": [
        post("/invoices", [1]),
        Call("POST", "/invoices", JSON, content=b"{"),
    ],
    "create invoice 400 not json": [Call("POST", "/invoices", TEXT, content=b'{"client_id": 1}')],
    "create invoice 413": [Call("POST", "/invoices", JSON, content=BIG)],
    # input that once made the legacy service fail with a 500
    "400 NUL in text": [
        post("/clients", {"name": "\u0000"}),
        post("/clients", {"name": "ok", "email": "a\u0000@b.test"}),
        post("/invoices", {"client_id": 1, "amount": "1", "notes": "\u0000"}),
    ],
    "400 currency with newline": [
        post("/invoices", {"client_id": 1, "amount": "1", "currency": "EUR\n"})
    ],
    "400 deeply nested json": [
        Call("POST", "/invoices", JSON, content=b"[" * 100_000 + b"]" * 100_000),
        Call("PATCH", "/clients/1", JSON, content=b"[" * 100_000 + b"]" * 100_000),
    ],
    "401 NUL in token": [Call("GET", "/me", {"Authorization": "Bearer acme\u0000"})],
    "empty page past the end": [Call("GET", f"/invoices?page={2**80}")],
    "400 file name too long": [upload("a" * 300 + ".txt")],
    "update invoice": [
        patch(
            "/invoices/3",
            {"amount": "20.00", "currency": "USD", "notes": None, "due_date": "2025-12-31"},
        )
    ],
    "update invoice status": [
        patch("/invoices/2", {"status": "paid"}),
        patch("/invoices/2", {"status": "draft", "amount": "7"}),
    ],
    "update invoice 409": [
        patch("/invoices/2", {"amount": "1.00"}),
        patch("/invoices/3", {"status": "sent", "amount": "x"}),
    ],
    "update invoice 400 status": [
        patch("/invoices/2", {"status": "lost"}),
        patch("/invoices/2", {"status": None}),
    ],
    "update invoice 400 fields": [
        patch("/invoices/3", {"amount": "-1"}),
        patch("/invoices/3", {"currency": None}),
        patch("/invoices/3", {"due_date": "20240101"}),
        patch("/invoices/3", {"notes": 5}),
        patch("/invoices/3", {"status": "paid", "notes": 5}),
        Call("GET", "/invoices/3"),
    ],
    "update invoice 400 body": [
        patch("/invoices/3", [1]),
        Call("PATCH", "/invoices/3", JSON, content=b"{"),
    ],
    "update invoice 415": [Call("PATCH", "/invoices/2", TEXT, content=b"x")],
    "update invoice 404 before 415": [Call("PATCH", "/invoices/999", TEXT, content=b"x")],
    "update invoice 413": [Call("PATCH", "/invoices/3", JSON, content=BIG)],
    "delete invoice": [
        Call("DELETE", "/invoices/3"),
        Call("GET", "/invoices/3"),
        Call("GET", "/invoices"),
    ],
    "delete invoice 409": [Call("DELETE", "/invoices/2")],
    "delete invoice 404": [Call("DELETE", "/invoices/7")],
    "delete ignores a big body": [Call("DELETE", "/invoices/5", content=BIG)],
    # sending
    "send invoice": [Call("POST", "/invoices/3/send"), Call("POST", "/invoices/3/send")],
    "send invoice 409": [Call("POST", "/invoices/1/send"), Call("POST", "/invoices/4/send")],
    "send invoice 404": [Call("POST", "/invoices/6/send")],
    "send invoice 502 unavailable": [
        Call("POST", "/invoices/3/send", upstream_status=503),
        Call("GET", "/invoices/3"),
    ],
    "send invoice 502 refused": [Call("POST", "/invoices/3/send", upstream_status=422)],
    # export and files
    "export": [
        Call("GET", "/invoices/export.csv"),
        Call("GET", "/invoices/export.csv", dict(GLOBEX)),
    ],
    "upload and download": [
        upload("scan 1.txt", b"content"),
        Call("GET", "/invoices/1/attachments/scan_1.txt"),
        upload("scan 1.txt", b"replaced"),
        Call("GET", "/invoices/1/attachments/scan_1.txt"),
    ],
    "upload 400 no file": [Call("POST", "/invoices/1/attachments", files=None, json={"file": "x"})],
    "upload 400 other field": [
        Call("POST", "/invoices/1/attachments", files={"other": ("a.txt", b"x", "text/plain")})
    ],
    "upload 400 unusable name": [upload("...")],
    "upload 404": [upload("a.txt", invoice=6)],
    "upload 413": [upload("big.bin", BIG)],
    "upload 404 before 413": [upload("big.bin", BIG, invoice=999)],
    "download 404": [
        Call("GET", "/invoices/1/attachments/none.txt"),
        Call("GET", "/invoices/6/attachments/a.txt"),
    ],
    "download traversal": [
        upload("ok.txt"),
        Call("GET", "/invoices/1/attachments/..%2F..%2Fok.txt"),
    ],
    "download other tenant": [
        upload("ok.txt"),
        Call("GET", "/invoices/1/attachments/ok.txt", dict(GLOBEX)),
    ],
    # what Flask did for free
    "head": [
        Call("HEAD", "/clients"),
        Call("HEAD", "/invoices/export.csv"),
        Call("HEAD", "/me", {}),
    ],
    "options": [
        Call("OPTIONS", "/clients/1"),
        Call("OPTIONS", "/health", {}),
        Call("OPTIONS", "/me", {}),
    ],
    "405": [
        Call("PUT", "/invoices/1"),
        Call("GET", "/invoices/1/send"),
        Call("HEAD", "/invoices/1/send"),
    ],
    "404 unknown path": [
        Call("GET", "/nope", {}),
        Call("GET", "/clients/"),
        Call("GET", "/invoices/1/attachments/"),
    ],
    # (Unicode digits, also served like werkzeug, cannot pass httpx's WSGI transport.)
    "int converter": [
        Call("GET", "/clients/007"),
        Call("GET", "/clients/+1"),
        Call("GET", "/invoices/" + "9" * 5000),
    ],
    "merged slashes": [
        Call("GET", "/clients//1?x=1"),
        Call("POST", "/clients//1"),
        Call("GET", "/clients//1/"),
    ],
}


def normalised(body: Any, generated: bool) -> Any:
    """Timestamps of rows made by the request itself differ by nature; nothing else does."""
    if isinstance(body, list):
        return [normalised(item, generated) for item in body]
    if isinstance(body, dict):
        return {
            key: "<generated>"
            if key in ("created_at", "sent_at")
            and isinstance(value, str)
            and not value.startswith("2024-")
            else normalised(value, generated)
            for key, value in body.items()
        }
    return body


def answer(response: httpx.Response) -> dict[str, Any]:
    headers = {name: response.headers.get(name) for name in COMPARED_HEADERS}
    if response.status_code == 204:
        del headers["content-type"]  # Flask labelled its empty 204 text/html; nothing reads it
    if "allow" in response.headers:
        headers["allow"] = sorted(response.headers["allow"].split(", "))
    if response.headers.get("content-type") == "application/json" and response.content:
        body: Any = normalised(response.json(), generated=True)
    else:
        body = response.content
    return {"status": response.status_code, "headers": headers, "body": body}


@pytest.mark.parametrize("calls", CASES.values(), ids=CASES.keys())
async def test_same_answers(
    calls: list[Call],
    legacy_service: Service,
    reference_service: Service,
    fresh_upstream: Upstream,
    tmp_path: Path,
) -> None:
    # Each app its own files, as each has its own database.
    legacy_service.configure(upload_folder=str(tmp_path / "legacy-uploads"))
    for call in calls:
        fresh_upstream.behaviour.status = call.upstream_status or 201
        legacy = await legacy_service.client.request(call.method, call.path, **call.send_kwargs())
        fresh_upstream.behaviour.status = call.upstream_status or 201
        reference = await reference_service.client.request(
            call.method, call.path, **call.send_kwargs()
        )
        assert answer(reference) == answer(legacy), f"{call.method} {call.path}"
