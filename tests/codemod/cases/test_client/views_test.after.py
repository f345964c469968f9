"""A Flask test-client test module → TestClient tests."""

import io

import pytest

from shop import create_app
from fastapi.testclient import TestClient
import flask_compat
import flask_test_client


@pytest.fixture
def app():
    app = create_app()
    app.config.update(TESTING=True)
    return app


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app, follow_redirects=False)


def test_query_and_json(client: TestClient) -> None:
    rv = client.get("/items", params={"page": 2}, headers={"X-Id": "1"})
    assert rv.status_code == 200
    assert rv.json()["page"] == 2
    assert rv.json() == rv.json()
    assert rv.headers.get("content-type", "").partition(";")[0].endswith(("/json", "+json")) and rv.headers.get("content-type", "").partition(";")[0] == "application/json"


def test_bodies(client: TestClient) -> None:
    assert client.post("/items", json={"name": "x"}).status_code == 201
    rv = client.post("/items", content="{", headers={"Content-Type": "application/json"})
    assert rv.status_code == 400
    form = client.post("/login", data={"name": "ann"}, follow_redirects=True)
    assert b"ann" in form.content
    assert "ann" in form.text


def test_upload_and_download(client: TestClient) -> None:
    upload = {"file": (io.BytesIO(b"hello"), "a.txt")}
    assert client.post("/files", **flask_test_client.test_body(upload)).status_code == 201
    download = client.get("/files/a.txt")
    assert download.content == b"hello"
    assert download.headers.get("content-type") == "text/plain; charset=utf-8"


def test_methods(client: TestClient) -> None:
    assert client.request("PUT", "/items").status_code == 405
    assert client.request("DELETE", "/items/1", json={"why": "test"}).status_code == 204
    send = client.post if client else client.patch
    assert send("/items/1", content="x", headers={"Content-Type": "text/plain"}).status_code == 415
    for method in ("get", "head"):
        assert client.request(method.upper(), "/items").status_code == 200


def test_session(client: TestClient) -> None:
    with flask_test_client.session_transaction(client) as sess:
        sess["user"] = "ann"
    assert client.get("/me").json() == {"user": "ann"}


def test_app_state(app) -> None:
    with TestClient(app, follow_redirects=False) as c:
        flask_compat.flask_app(c.app).config["LIMIT"] = 1
        assert c.get("/items").headers.get("location") is None
    with flask_compat.flask_app(app).app_context():
        pass
    with flask_test_client.test_request_context(app, "/items?page=2", method="POST", json={"a": 1}):
        pass
