"""The generated support module on its own: the Flask behaviours it keeps, on a tiny app."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from migrator.templates import flask_compat


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "note.txt").write_text("hello")
    (tmp_path / "secret.txt").write_text("no")
    app = FastAPI()
    flask_compat.install(app, __name__)

    @app.get("/files/{name:path}")
    def download(name: str) -> object:
        return flask_compat.send_from_directory(folder, name)

    @app.get("/page")
    def page(n: int | None = None) -> object:
        return flask_compat.make_response("<p>hi</p>", 201, {"X-Kind": "page"})

    return app


async def test_send_from_directory_refuses_traversal_and_names_the_file(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        ok = await client.get("/files/note.txt")
        escaped = await client.get("/files/..%2Fsecret.txt")
        missing = await client.get("/files/nope.txt")
    assert ok.status_code == 200 and ok.text == "hello"
    assert ok.headers["content-disposition"] == "inline; filename=note.txt"
    assert escaped.status_code == 404
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "text/html; charset=utf-8"  # werkzeug's page


async def test_make_response_and_werkzeug_pages(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        page = await client.get("/page")
        head = await client.head("/page")
        options = await client.options("/page")
        wrong = await client.post("/page")
    assert (page.status_code, page.headers["x-kind"], page.text) == (201, "page", "<p>hi</p>")
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert head.status_code == 201 and head.content == b""
    assert options.status_code == 200 and options.headers["allow"] == "GET, HEAD, OPTIONS"
    assert wrong.status_code == 405 and "<h1>Method Not Allowed</h1>" in wrong.text


def test_multidict_and_jsonify_are_werkzeugs() -> None:
    args = flask_compat.MultiDict([("a", "1"), ("a", "2"), ("n", "x")])
    assert args["a"] == "1" and args.getlist("a") == ["1", "2"]
    assert args.get("n", 5, type=int) == 5
    assert dict(args) == {"a": ["1", "2"], "n": ["x"]}
    with pytest.raises(KeyError):
        args["missing"]
    body = flask_compat.JSONResponse({"b": 1, "a": "é"}).body
    assert body == b'{"a":"\\u00e9","b":1}\n'


async def test_requests_holding_what_a_hook_took_never_wait_for_each_others_threads() -> None:
    # A pool of two "connections" taken in a sync before_request hook and given back at
    # teardown, as an app keeping a database session in `g` does; four pool threads and
    # sixteen requests at once. Were each sync step to queue for a thread on its own, the
    # two requests holding connections would wait for threads held by requests waiting
    # for those connections, until the pool timed out.
    import threading

    import anyio.to_thread

    connections = threading.BoundedSemaphore(2)
    app = FastAPI()
    flask_compat.install(app, __name__)

    @flask_compat.before_request(app)
    def take_connection() -> None:
        if not connections.acquire(timeout=3):
            raise RuntimeError("pool timed out")
        flask_compat.g.connection = True

    @flask_compat.teardown_request(app)
    def give_back(error: BaseException | None) -> None:
        if flask_compat.g.get("connection"):
            connections.release()

    @app.get("/work")
    def work() -> dict[str, bool]:
        return {"connection": flask_compat.g.connection}

    anyio.to_thread.current_default_thread_limiter().total_tokens = 4
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        with anyio.fail_after(10):
            async with anyio.create_task_group() as group:
                answers: list[httpx.Response] = []

                async def ask() -> None:
                    answers.append(await client.get("/work"))

                for _ in range(16):
                    group.start_soon(ask)
    assert [a.status_code for a in answers] == [200] * 16
