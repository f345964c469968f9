"""Class-based views end to end: a MethodView app and a flask-restful app, migrated, answer
the same requests as the Flask originals (status and JSON body)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from migrator.cli import main
from tests.codemod.migrated import SUPPORT_MODULES, imported_from

CASES = Path(__file__).parent / "cases" / "class_views"


def _module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[name]
    return module


async def _compare(
    case: str, tmp_path: Path, requests: list[tuple[str, str, Any]], accept: str | None = None
) -> None:
    source = tmp_path / f"{case}.py"
    source.write_text((CASES / f"{case}.before.py").read_text())
    out = tmp_path / "out"
    assert main([str(source), "--out", str(out), "--jobs", "1"]) == 0
    flask_client = _module(source, f"legacy_{case}").app.test_client()
    with imported_from(out, *SUPPORT_MODULES):
        migrated = _module(out / f"{case}.py", f"migrated_{case}").app
        transport = httpx.ASGITransport(app=migrated)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            for method, url, body in requests:
                headers = {"Accept": accept} if accept else {}
                expected = flask_client.open(url, method=method, json=body, headers=headers)
                got = await client.request(method, url, json=body, headers=headers)
                if expected.data:  # (Flask also labels an empty 204 text/html)
                    assert got.headers.get("content-type") == expected.content_type, (method, url)
                assert got.status_code == expected.status_code, (method, url)
                if expected.is_json and expected.data:
                    assert got.json() == expected.get_json(), (method, url)
                else:
                    assert got.content == expected.data, (method, url)


async def test_method_view_app_answers_as_flask(tmp_path: Path) -> None:
    await _compare(
        "method_view",
        tmp_path,
        [
            ("GET", "/items/1", None),
            ("GET", "/items/9", None),
            ("GET", "/items/?limit=0", None),
            ("GET", "/items/?limit=x", None),
            ("POST", "/items/", {"name": "two"}),
            ("GET", "/items/", None),
            ("DELETE", "/items/2", None),
            ("PUT", "/items/1", {}),
            ("GET", "/health", None),
            ("POST", "/health", None),
        ],
    )


async def test_restful_app_answers_as_flask(tmp_path: Path) -> None:
    await _compare(
        "restful",
        tmp_path,
        [
            ("GET", "/api/todos", None),
            ("GET", "/api/todos/todo1", None),
            ("GET", "/api/todos/nope", None),
            ("POST", "/api/todos", {"task": "x"}),
            ("PUT", "/api/todos/todo9", {"task": "y"}),
            ("DELETE", "/api/todos/todo9", None),
            ("GET", "/api/count/3", None),
            ("GET", "/api/count/30", None),
            ("GET", "/api/count/x", None),
            ("GET", "/admin/stats", None),
            ("GET", "/api/boom", None),
            ("POST", "/admin/stats", {"task": "t"}),
            ("POST", "/admin/stats", {}),  # reqparse's 400: a required argument missing
            ("POST", "/admin/stats?task=q", None),
        ],
    )


@pytest.mark.parametrize("accept", [None, "text/csv", "application/json", "*/*", "text/*"])
async def test_restful_representations_negotiate_as_flask(
    tmp_path: Path, accept: str | None
) -> None:
    await _compare("representations", tmp_path, [("GET", "/me", None)], accept)


async def test_restx_app_answers_as_flask(tmp_path: Path) -> None:
    await _compare(
        "restx",
        tmp_path,
        [
            ("GET", "/todos/", None),  # marshal_list_with: only the model's keys
            ("GET", "/todos/1", None),
            ("GET", "/todos/2", None),  # api.abort(404, message)
            ("GET", "/todos/x", None),
        ],
    )
