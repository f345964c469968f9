"""The export sent page by page, and the file-name rules (werkzeug's) behind attachments."""

from __future__ import annotations

from pathlib import Path

import anyio
import httpx
import pytest
from fastapi import FastAPI
from starlette.types import Message

from reference_app.attachments import path_inside, secure_filename
from reference_app.deps import get_settings
from reference_app.settings import Settings
from tests.conftest import ACME
from tests.reference_app.asgi import http_scope


async def test_export_is_sent_page_by_page(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings
) -> None:
    small_pages = settings.model_copy(update={"export_page_size": 2})
    app.dependency_overrides[get_settings] = lambda: small_pages
    for n in range(7):
        body = {"client_id": 1, "amount": f"{n + 1}.00"}
        assert (await client.post("/invoices", headers=ACME, json=body)).status_code == 201
    chunks = await body_messages(app, "/invoices/export.csv", ACME)
    # One body message per page of two (the header rides with the first): sent as it is read.
    assert [len(chunk.decode().splitlines()) for chunk in chunks if chunk] == [3, 2, 2, 2, 2, 2]


async def body_messages(app: FastAPI, path: str, headers: dict[str, str]) -> list[bytes]:
    """The body as the app sends it, message by message (httpx's ASGITransport joins them)."""
    scope = http_scope("GET", path, headers)
    chunks: list[bytes] = []
    requested = False
    finished = anyio.Event()

    async def receive() -> Message:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b""}
        await finished.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.body":
            body = message.get("body", b"")
            assert isinstance(body, bytes)
            chunks.append(body)
            if not message.get("more_body"):
                finished.set()

    await app(scope, receive, send)
    return chunks


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("My cool movie.mov", "My_cool_movie.mov"),
        ("../../../etc/passwd", "etc_passwd"),
        ("i contain cool \u00fcml\u00e4uts.txt", "i_contain_cool_umlauts.txt"),
        ("...", ""),
        ("a\x00b.txt", "ab.txt"),
        ("x" * 251 + ".txt", "x" * 251 + ".txt"),
        ("x" * 252 + ".txt", ""),  # too long to store: unusable
    ],
)
def test_secure_filename_is_werkzeugs(raw: str, safe: str) -> None:
    assert secure_filename(raw) == safe


@pytest.mark.parametrize("name", ["../x", "/etc/passwd", "a/../../x", "..", "a\\b", "a\x00"])
def test_path_inside_refuses_escapes(tmp_path: Path, name: str) -> None:
    assert path_inside(tmp_path, name) is None


def test_path_inside_keeps_plain_names(tmp_path: Path) -> None:
    assert path_inside(tmp_path, "a.txt") == tmp_path / "a.txt"
