"""The generated support modules: every migrated project gets the core, `flask_compat.py`;
`flask_templates.py` and `flask_views.py` are written beside it only when its converted code
imports them, and they import the core (never the other way round)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import httpx

from migrator import templates
from migrator.cli import main
from tests.codemod.migrated import imported_from, load

JSON_API = """\
from flask import Flask, abort, jsonify, request

app = Flask(__name__)
ITEMS = {1: "pen"}


@app.get("/items/<int:item_id>")
def item(item_id):
    if item_id not in ITEMS:
        abort(404)
    return jsonify(id=item_id, name=ITEMS[item_id])


@app.post("/items")
def create():
    ITEMS[len(ITEMS) + 1] = request.get_json()["name"]
    return jsonify(id=len(ITEMS)), 201
"""

METHOD_VIEW_API = """\
from flask import Flask, jsonify, request
from flask.views import MethodView

app = Flask(__name__)


class Counter(MethodView):
    count = 0

    def get(self):
        return jsonify(count=Counter.count)

    def post(self):
        Counter.count += request.get_json()["by"]
        return jsonify(count=Counter.count), 201


app.add_url_rule("/counter", view_func=Counter.as_view("counter"))
"""


def _migrate(tmp_path: Path, package: str, source: str) -> Path:
    """`migrate` a one-module package; the folder of the migrated package."""
    src = tmp_path / "src" / package
    src.mkdir(parents=True)
    (src / "__init__.py").write_text(source)
    out = tmp_path / "out"
    assert main([str(src), "--out", str(out), "--jobs", "1"]) == 0
    return out / package


def _client(app: object) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://localhost")


def _python_files(folder: Path) -> set[str]:
    return {path.name for path in folder.glob("*.py")}


async def test_a_plain_json_api_gets_the_core_only(tmp_path: Path) -> None:
    migrated = _migrate(tmp_path, "items_api", JSON_API)

    assert _python_files(migrated) == {"__init__.py", "flask_compat.py"}
    core = ast.parse((migrated / "flask_compat.py").read_text())
    defined = {
        node.name
        for node in core.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }
    assert not defined & set(templates.provided_by())  # MethodView, render_template, ...
    with imported_from(migrated.parent, "items_api"):
        async with _client(load("items_api:app")) as client:
            assert (await client.get("/items/1")).json() == {"id": 1, "name": "pen"}
            assert (await client.get("/items/9")).status_code == 404
            assert (await client.post("/items", json={"name": "ink"})).status_code == 201


async def test_a_method_view_project_gets_the_views_module(tmp_path: Path) -> None:
    migrated = _migrate(tmp_path, "counter_api", METHOD_VIEW_API)

    assert _python_files(migrated) == {"__init__.py", "flask_compat.py", "flask_views.py"}
    views = (migrated / "flask_views.py").read_text()
    assert "from counter_api.flask_compat import" in views
    assert "migrator" not in views
    with imported_from(migrated.parent, "counter_api"):
        async with _client(load("counter_api:app")) as client:
            assert (await client.get("/counter")).json() == {"count": 0}
            posted = await client.post("/counter", json={"by": 2})
            assert (posted.status_code, posted.json()) == (201, {"count": 2})
            assert (await client.put("/counter")).status_code == 405
            assert (await client.head("/counter")).status_code == 200

    again = tmp_path / "again"
    assert main([str(migrated), "--out", str(again), "--jobs", "1"]) == 0
    assert (again / "counter_api" / "flask_views.py").read_text() == views


def _imported(tree: ast.Module) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            found.add(node.module)
    return found


def test_optional_modules_import_the_core_and_never_the_reverse() -> None:
    core = _imported(ast.parse(templates.source(templates.CORE)))
    for optional in templates.OPTIONAL:
        assert not any(name.rpartition(".")[2] == optional for name in core)
        assert f"migrator.templates.{templates.CORE}" in _imported(
            ast.parse(templates.source(optional))
        )


def test_every_name_an_optional_module_provides_is_defined_there() -> None:
    for name, optional in templates.provided_by().items():
        module = importlib.import_module(f"migrator.templates.{optional}")
        assert getattr(module, name, None) is not None, (optional, name)
