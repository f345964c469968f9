"""The fallback mount: routes the codemod leaves `unsupported` keep serving from Flask.

`cases/fallback/notes/before` is a Flask package whose pages render templates and call
`url_for`; with those rules off (`--disable templates,url-for`) its two page routes are left
behind. The output (`after`, `UPDATE_CASES=1` regenerates it) keeps a copy of the Flask
package (`notes_flask_legacy`, templates included) and mounts it with a2wsgi after every
native route; every request then answers as the Flask original did.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest

from migrator.cli import main
from migrator.transforms.fallback import MOUNT_NOTE, retarget_imports
from tests.codemod.migrated import SUPPORT_FILES, SUPPORT_MODULES, imported_from, load

CASE = Path(__file__).parent / "cases" / "fallback" / "notes"
DISABLE = ["--disable", "templates,url-for"]

REQUESTS = [
    ("GET", "/api/notes"),
    ("GET", "/api/notes?limit=x"),
    ("GET", "/api/notes/2"),
    ("GET", "/api/notes/9"),
    ("GET", "/"),
    ("GET", "/latest"),
    ("HEAD", "/"),
    ("POST", "/"),
    ("GET", "/nope"),
]


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("notes")
    report = out / "r.json"
    args = [str(CASE / "before" / "notes"), "--out", str(out), "--report", str(report)]
    assert main([*args, *DISABLE, "--jobs", "1"]) == 0
    return out, json.loads(report.read_text())


def _tree(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text()
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.name not in (*SUPPORT_FILES, "r.json")
    }


def test_the_written_tree_is_the_expected_one(migrated: tuple[Path, dict[str, Any]]) -> None:
    out, _ = migrated
    expected = CASE / "after"
    if os.environ.get("UPDATE_CASES") == "1":
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(
            out,
            expected,
            ignore=shutil.ignore_patterns("__pycache__", "r.json", *SUPPORT_FILES),
        )
    assert _tree(out) == _tree(expected)
    assert "notes_flask_legacy/templates/index.html" in _tree(out)


def test_the_report_says_which_routes_the_mount_serves(
    migrated: tuple[Path, dict[str, Any]],
) -> None:
    _, report = migrated
    by_function = {route["function"]: route for route in report["routes"]}
    assert by_function["index"]["status"] == "unsupported"
    assert MOUNT_NOTE in by_function["index"]["notes"]
    assert MOUNT_NOTE in by_function["latest"]["notes"]
    assert MOUNT_NOTE not in by_function["get_note"]["notes"]


def _answer(response: Any) -> tuple[int, str, str, str]:
    """Status, content type, location and text of a Flask or an httpx response."""
    text = response.text if isinstance(response, httpx.Response) else response.get_data(True)
    return (
        response.status_code,
        response.headers.get("content-type", ""),
        response.headers.get("location", ""),
        text,
    )


async def test_every_request_answers_as_the_flask_original(
    migrated: tuple[Path, dict[str, Any]],
) -> None:
    out, _ = migrated
    with imported_from(CASE / "before", "notes"):
        flask_factory: Any = load("notes:create_app")  # the Flask original
        flask_app = flask_factory(title="Mine")
        client = flask_app.test_client()
        expected = [_answer(client.open(url, method=method)) for method, url in REQUESTS]
    with imported_from(out, "notes"), imported_from(out, "notes_flask_legacy"):
        factory: Any = load("notes:create_app")  # the migrated copy
        app = factory(title="Mine")
        paths = [getattr(route, "path", None) for route in app.router.routes]
        assert paths[-1] == ""  # the Flask mount, after every native route
        native = set(app.openapi()["paths"])  # the left-behind pages are not served natively
        assert native == {"/api/notes", "/api/notes/{note_id}"}
        transport_asgi = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport_asgi, base_url="http://testserver"
        ) as async_client:
            got = [_answer(await async_client.request(method, url)) for method, url in REQUESTS]
    assert got == expected
    assert expected[4][0] == 200 and "<h1>Mine</h1>" in expected[4][3]


def test_a_second_run_changes_nothing(migrated: tuple[Path, dict[str, Any]]) -> None:
    out, _ = migrated
    assert main([str(out / "notes"), "--check", *DISABLE]) == 0


def test_imports_of_the_package_point_at_the_copy() -> None:
    source = (
        "import os\n"
        "import notes\n"
        "import notes.api as a, os.path\n"
        "import notes.pages\n"
        "from notes.api import api\n"
        "from notes import pages  # kept comment\n"
        "from notesbook import x\n"
        "from . import api\n"
    )
    assert retarget_imports(source, "notes", "notes_flask_legacy", MODULES) == (
        "import os\n"
        "import notes_flask_legacy as notes\n"
        "import notes_flask_legacy.api as a, os.path\n"
        "import notes_flask_legacy.pages, notes_flask_legacy as notes\n"
        "from notes_flask_legacy.api import api\n"
        "from notes_flask_legacy import pages  # kept comment\n"
        "from notesbook import x\n"
        "from . import api\n"
    )


async def test_a_one_file_project_gets_a_module_copy(tmp_path: Path) -> None:
    source = tmp_path / "src" / "tiny.py"
    source.parent.mkdir()
    source.write_text(
        "from flask import Flask, jsonify, render_template_string\n\n"
        "app = Flask(__name__)\n\n\n"
        '@app.route("/api")\ndef api():\n    return jsonify(ok=True)\n\n\n'
        '@app.route("/page")\ndef page():\n'
        '    return render_template_string("<p>{{ n }}</p>", n=1)\n'
    )
    out = tmp_path / "out"
    assert main([str(source), "--out", str(out), "--disable", "templates", "--jobs", "1"]) == 0
    assert (out / "tiny_flask_legacy.py").read_text() == source.read_text()
    assert 'flask_fallback.mount(app, "tiny_flask_legacy:app")' in (out / "tiny.py").read_text()
    with (
        imported_from(out, "tiny"),
        imported_from(out, "tiny_flask_legacy"),
        imported_from(out, "flask_fallback"),
        imported_from(out, *SUPPORT_MODULES),
    ):
        app: Any = load("tiny:app")
        assert set(app.openapi()["paths"]) == {"/api"}  # /page is Flask's, through the mount
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            page = await client.get("/page")
            api = await client.get("/api")
    assert (page.status_code, page.text) == (200, "<p>1</p>")
    assert api.json() == {"ok": True}


async def test_a_class_view_left_behind_is_served_by_flask(tmp_path: Path) -> None:
    source = tmp_path / "src" / "cv.py"
    source.parent.mkdir()
    source.write_text(
        "from flask import Flask, jsonify, render_template_string\n"
        "from flask.views import MethodView\n\n"
        "app = Flask(__name__)\n\n\n"
        "class Page(MethodView):\n    def get(self):\n"
        '        return render_template_string("<p>{{ n }}</p>", n=2)\n\n\n'
        "class Api(MethodView):\n    def get(self):\n        return jsonify(ok=True)\n\n\n"
        'app.add_url_rule("/page", view_func=Page.as_view("page"))\n'
        'app.add_url_rule("/api", view_func=Api.as_view("api"))\n'
    )
    out = tmp_path / "out"
    assert main([str(source), "--out", str(out), "--disable", "templates", "--jobs", "1"]) == 0
    assert '"cv:Page.get"' in (out / "flask_fallback.py").read_text()
    with (
        imported_from(out, "cv"),
        imported_from(out, "cv_flask_legacy"),
        imported_from(out, "flask_fallback"),
        imported_from(out, *SUPPORT_MODULES),
    ):
        app: Any = load("cv:app")
        assert set(app.openapi()["paths"]) == {"/api"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            page = await client.get("/page")
    assert (page.status_code, page.text) == (200, "<p>2</p>")


MODULES = frozenset({"notes", "notes.api", "notes.pages"})


def test_strings_naming_a_module_of_the_package_point_at_the_copy() -> None:
    source = (
        'importlib.import_module("notes.api")\n'
        "app = load('notes.pages:app')\n"
        'if name.startswith("notes.api."):\n    pass\n'
        'LOG = "notes.log"\n'
        'TEXT = f"notes.api {x}"\n'
    )
    assert retarget_imports(source, "notes", "notes_flask_legacy", MODULES) == (
        'importlib.import_module("notes_flask_legacy.api")\n'
        "app = load('notes_flask_legacy.pages:app')\n"
        'if name.startswith("notes_flask_legacy.api."):\n    pass\n'
        'LOG = "notes.log"\n'
        'TEXT = f"notes.api {x}"\n'
    )
