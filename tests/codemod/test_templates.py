"""A templates + forms + session app through the CLI, then Flask and FastAPI side by side.

`cases/project/guestbook/before` renders Jinja templates (`url_for`, `get_flashed_messages`,
`config`, `request`, a context processor and a filter), flashes messages across redirects,
keeps a user in the session and serves a static file. The migrated copy must render the
same HTML for the same requests, flashes included.
"""

from __future__ import annotations

import io
import os
import shutil
import types
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request

from migrator.cli import main
from migrator.templates import flask_compat, flask_test_client
from tests.codemod.migrated import SUPPORT_FILES, imported_from, load

PROJECT = Path(__file__).parent / "cases" / "project" / "guestbook"

# (method, path, form); `{location}` is the previous answer's Location header.
REQUESTS: list[tuple[str, str, dict[str, str] | None]] = [
    ("GET", "/", None),
    ("GET", "/notes/1", None),
    ("GET", "/notes/9", None),
    ("POST", "/notes", {"text": ""}),
    ("GET", "/", None),  # the flash, once
    ("GET", "/", None),  # and gone
    ("POST", "/notes", {"text": "two & <more>"}),
    ("GET", "{location}", None),  # /notes/2?ref=new, with the flash
    ("GET", "/login", None),
    ("POST", "/login", {"name": "ann"}),
    ("GET", "/", None),  # the session's user, through the context processor
    ("GET", "/logout", None),
    ("GET", "/", None),
    ("GET", "/static/style.css", None),
]


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("guestbook")
    assert main([str(PROJECT / "before" / "guestbook"), "--out", str(out), "--jobs", "1"]) == 0
    return out


def _tree(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and path.name not in SUPPORT_FILES
    }


def test_the_written_tree_is_the_expected_one(migrated: Path) -> None:
    expected = PROJECT / "after"
    if os.environ.get("UPDATE_CASES") == "1":
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(
            migrated, expected, ignore=shutil.ignore_patterns("__pycache__", *SUPPORT_FILES)
        )
    assert _tree(migrated) == _tree(expected)
    generated = {path.name for path in (migrated / "guestbook").glob("flask_*.py")}
    assert generated == {"flask_compat.py", "flask_templates.py"}  # no class views here


def test_a_second_run_changes_nothing(migrated: Path, tmp_path: Path) -> None:
    assert main([str(migrated / "guestbook"), "--out", str(tmp_path), "--jobs", "1"]) == 0
    assert _tree(tmp_path) == _tree(migrated)


def _answer(response: httpx.Response) -> tuple[int, str, str | None, str]:
    body = response.text
    content_type = response.headers.get("content-type", "")
    if response.status_code == 302:  # redirect pages differ (werkzeug's HTML, Starlette's none)
        body = content_type = ""
    return response.status_code, content_type, response.headers.get("location"), body


def _flask_answers() -> list[tuple[int, str, str | None, str]]:
    with imported_from(PROJECT / "before", "guestbook"):
        flask_app: Any = load("guestbook.app:app")
        wsgi = httpx.Client(transport=httpx.WSGITransport(app=flask_app), base_url="http://x")
        expected: list[tuple[int, str, str | None, str]] = []
        with wsgi:
            for method, path, form in REQUESTS:
                url = path.format(location=expected[-1][2] if expected else "")
                expected.append(_answer(wsgi.request(method, url, data=form)))
    return expected


async def test_pages_flashes_and_session_answer_as_in_flask(migrated: Path) -> None:
    expected = _flask_answers()
    with imported_from(migrated, "guestbook"):
        fastapi_app: Any = load("guestbook.app:app")
        transport = httpx.ASGITransport(app=fastapi_app)
        got: list[tuple[int, str, str | None, str]] = []
        async with httpx.AsyncClient(transport=transport, base_url="http://x") as asgi:
            for method, path, form in REQUESTS:
                url = path.format(location=got[-1][2] if got else "")
                got.append(_answer(await asgi.request(method, url, data=form)))
    assert [answer[:3] for answer in got] == [answer[:3] for answer in expected]
    for (method, path, _), mine, theirs in zip(REQUESTS, got, expected, strict=True):
        assert mine[3] == theirs[3], f"{method} {path}"
    assert 'class="flash error">Text is required' in expected[4][3]
    assert "Text is required" not in expected[5][3]
    assert "Note saved" in expected[7][3] and "two &amp; &lt;more&gt;" in expected[7][3]
    assert "Hello ann" in expected[10][3] and "Hello ann" not in expected[12][3]


# the support module's url_for, session and test_body on their own ---------------------------


@pytest.fixture
def tiny_app() -> FastAPI:
    app = FastAPI()
    flask_compat.install(app, __name__)
    router = APIRouter(prefix="/shop")

    @router.get("/items/{item_id:int}", name="shop.item")
    def item(item_id: int) -> dict[str, str]:
        return {
            "relative": flask_compat.url_for(".item", item_id=item_id + 1, q="a b"),
            "external": flask_compat.url_for("shop.item", item_id=1, _external=True),
            "anchored": flask_compat.url_for("shop.item", item_id="7", _anchor="top"),
        }

    @app.get("/remember/{value}")
    def remember(value: str) -> dict[str, Any]:
        before = flask_compat.session.get("value")
        flask_compat.session["value"] = value
        return {"before": before}

    @app.get("/peek")
    def peek(request: Request) -> dict[str, Any]:
        return {"user": request.session.get("user")}

    @app.get("/unknown")
    def unknown() -> str:
        return flask_compat.url_for("nowhere")

    app.include_router(router)
    return app


async def test_url_for_gives_flask_paths(tiny_app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=tiny_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        urls = (await client.get("/shop/items/1")).json()
        tiny_app.state.config["TESTING"] = True  # exceptions propagate, as in Flask
        with pytest.raises(flask_compat.BuildError):
            await client.get("/unknown")
    assert urls == {
        "relative": "/shop/items/2?q=a+b",
        "external": "http://t/shop/items/1",
        "anchored": "/shop/items/7#top",
    }


async def test_the_session_needs_a_secret_key_and_then_keeps_values(tiny_app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=tiny_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.get("/remember/a")).status_code == 500  # as Flask: no SECRET_KEY
        assert (await client.get("/peek")).json() == {"user": None}  # reading is fine
        tiny_app.state.config["SECRET_KEY"] = "s3cret"
        first = await client.get("/remember/a")
        second = await client.get("/remember/b")
    assert first.json() == {"before": None} and second.json() == {"before": "a"}
    assert "session=" in first.headers["set-cookie"]


def test_a_test_request_context_gives_request_url_for_and_g(tiny_app: FastAPI) -> None:
    path = "/shop/items/3?q=x"
    with flask_test_client.test_request_context(tiny_app, path, method="POST", json={"a": 1}):
        assert flask_compat.request.args["q"] == "x"
        assert flask_compat.request.get_json() == {"a": 1}
        assert flask_compat.request.method == "POST"
        flask_compat.g.user = "ann"
        assert flask_compat.g.user == "ann"
    with flask_test_client.test_request_context(tiny_app, path):  # GET: the route matches
        assert flask_compat.url_for(".item", item_id=4) == "/shop/items/4"
    assert not flask_compat.current_app


async def test_session_transaction_reads_and_writes_the_cookie(tiny_app: FastAPI) -> None:
    tiny_app.state.config["SECRET_KEY"] = "s3cret"
    transport = httpx.ASGITransport(app=tiny_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        await client.get("/remember/a")
        like_test_client = types.SimpleNamespace(app=tiny_app, cookies=client.cookies)
        with flask_test_client.session_transaction(like_test_client) as session:
            assert session == {"value": "a"}
            session["value"] = "z"
        assert (await client.get("/remember/b")).json() == {"before": "z"}


def test_test_body_splits_fields_files_and_content() -> None:
    upload = io.BytesIO(b"x")
    body = flask_test_client.test_body({"name": "a", "file": (upload, "a.txt", "text/plain")})
    assert body == {"data": {"name": ["a"]}, "files": [("file", ("a.txt", upload, "text/plain"))]}
    assert flask_test_client.test_body("raw") == {"content": "raw"}


async def test_endpoints_named_for_templates_that_build_urls(tmp_path: Path) -> None:
    """`url_for('pages.about')` in a template only: the blueprint's routes still get Flask's
    endpoint names, so the page renders as in Flask; the blueprint's own template folder is
    searched after the app's."""
    package = tmp_path / "src" / "brochure"
    (package / "pages").mkdir(parents=True)
    (package / "__init__.py").write_text(
        "from flask import Blueprint, Flask, render_template\n\n"
        'pages = Blueprint("pages", __name__, template_folder="pages")\n\n\n'
        '@pages.route("/about")\ndef about():\n    return render_template("about.html")\n\n\n'
        'app = Flask(__name__)\napp.register_blueprint(pages, url_prefix="/p")\n'
    )
    (package / "pages" / "about.html").write_text(
        "<a href=\"{{ url_for('pages.about', lang='en') }}\">{{ url_for('.about') }}</a>"
    )
    out = tmp_path / "out"
    assert main([str(package), "--out", str(out), "--jobs", "1"]) == 0
    converted = (out / "brochure" / "__init__.py").read_text()
    assert 'name="pages.about"' in converted
    assert 'flask_compat.template_folder(__name__, "pages")' in converted
    with imported_from(out, "brochure"):
        app: Any = load("brochure:app")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            page = await client.get("/p/about")
    assert page.text == '<a href="/p/about?lang=en">/p/about</a>'
