"""A whole small project through the CLI: the expected tree, then Flask and FastAPI side by side.

`projects/shop/before` is a Flask package; `projects/shop/after` is what `migrate` writes for
it (`UPDATE_CASES=1` regenerates it). The migrated app then gets the same requests as the
Flask app, and must answer with the same status codes, JSON bodies and key headers.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from migrator.cli import main
from migrator.codemod import compat_source
from tests.codemod.migrated import SUPPORT_FILES, imported_from, load

PROJECT = Path(__file__).parent / "cases" / "project" / "shop"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("shop")
    assert main([str(PROJECT / "before" / "shop"), "--out", str(out), "--jobs", "1"]) == 0
    return out


def _tree(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text()
        for path in sorted(root.rglob("*.py"))
        if "__pycache__" not in path.parts and path.name not in SUPPORT_FILES
    }


def test_the_written_tree_is_the_expected_one(migrated: Path) -> None:
    expected = PROJECT / "after"
    if os.environ.get("UPDATE_CASES") == "1":
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(
            migrated, expected, ignore=shutil.ignore_patterns("__pycache__", *SUPPORT_FILES)
        )
    assert _tree(migrated) == _tree(expected)
    assert (migrated / "shop" / "flask_compat.py").read_text() == compat_source()


REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/api/ping", {}),
    ("GET", "/api/orders/", {"headers": {"X-Customer": "ada"}}),
    ("GET", "/api/orders/?offset=x&limit=1", {}),
    ("GET", "/api/orders", {}),
    ("GET", "/api/orders/1", {}),
    ("GET", "/api/orders/99", {}),
    ("GET", "/api/orders/-1", {}),
    ("HEAD", "/api/orders/1", {}),
    ("OPTIONS", "/api/orders/1", {}),
    ("PUT", "/api/orders/1", {}),
    ("POST", "/api/orders/", {"content": b'{"item": "pen"}'}),
    (
        "POST",
        "/api/orders/",
        {"content": b"{oops", "headers": {"Content-Type": "application/json"}},
    ),
    ("DELETE", "/api/orders/2", {}),
    ("GET", "/pages/", {}),
    ("GET", "/pages", {}),
    ("GET", "/old/", {}),
    ("GET", "/pages/go", {}),
]


@pytest.fixture
def apps(migrated: Path) -> Iterator[tuple[Any, Any]]:
    with imported_from(PROJECT / "before", "shop"):
        flask_app = load("shop.wsgi:app")
    with imported_from(migrated, "shop"):
        fastapi_app = load("shop.wsgi:app")
        yield flask_app, fastapi_app


def _comparable(response: httpx.Response) -> tuple[int, object, dict[str, str]]:
    content_type = response.headers.get("content-type", "")
    has_json = "json" in content_type and response.content
    body: object = response.json() if has_json else response.content
    if response.status_code in (301, 302, 307, 308):
        body = None  # redirect pages differ (werkzeug's HTML, Starlette's empty body)
    if response.status_code == 200 and content_type.startswith("text/html"):
        body = response.text
    kept = {k: v for k, v in response.headers.items() if k in ("allow", "location")}
    if "allow" in kept:
        kept["allow"] = ", ".join(sorted(kept["allow"].split(", ")))
    if "location" in kept:
        kept["location"] = httpx.URL(kept["location"]).path
    return response.status_code, body, kept


def _legacy_responses(flask_app: Any) -> list[httpx.Response]:
    wsgi = httpx.Client(transport=httpx.WSGITransport(app=flask_app), base_url="http://shop")
    return [wsgi.request(method, path, **options) for method, path, options in REQUESTS]


async def test_the_migrated_app_answers_like_the_flask_app(apps: tuple[Any, Any]) -> None:
    flask_app, fastapi_app = apps
    legacy = _legacy_responses(flask_app)
    asgi = httpx.AsyncClient(transport=httpx.ASGITransport(app=fastapi_app), base_url="http://shop")
    async with asgi:
        for (method, path, options), expected in zip(REQUESTS, legacy, strict=True):
            migrated = await asgi.request(method, path, **options)
            assert _comparable(migrated) == _comparable(expected), f"{method} {path}"
