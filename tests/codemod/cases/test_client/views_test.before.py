"""A Flask test-client test module → TestClient tests."""

import io

import pytest
from flask.testing import FlaskClient

from shop import create_app


@pytest.fixture
def app():
    app = create_app()
    app.config.update(TESTING=True)
    return app


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


def test_query_and_json(client: FlaskClient) -> None:
    rv = client.get("/items", query_string={"page": 2}, headers={"X-Id": "1"})
    assert rv.status_code == 200
    assert rv.get_json()["page"] == 2
    assert rv.json == rv.get_json()
    assert rv.is_json and rv.mimetype == "application/json"


def test_bodies(client: FlaskClient) -> None:
    assert client.post("/items", json={"name": "x"}).status_code == 201
    rv = client.post("/items", data="{", content_type="application/json")
    assert rv.status_code == 400
    form = client.post("/login", data={"name": "ann"}, follow_redirects=True)
    assert b"ann" in form.data
    assert "ann" in form.get_data(as_text=True)


def test_upload_and_download(client: FlaskClient) -> None:
    upload = {"file": (io.BytesIO(b"hello"), "a.txt")}
    assert client.post("/files", data=upload).status_code == 201
    with client.get("/files/a.txt") as download:
        assert download.data == b"hello"
        assert download.content_type == "text/plain; charset=utf-8"


def test_methods(client: FlaskClient) -> None:
    assert client.open("/items", method="PUT").status_code == 405
    assert client.delete("/items/1", json={"why": "test"}).status_code == 204
    send = client.post if client else client.patch
    assert send("/items/1", data="x", content_type="text/plain").status_code == 415
    for method in ("get", "head"):
        assert getattr(client, method)("/items").status_code == 200


def test_session(client: FlaskClient) -> None:
    with client.session_transaction() as sess:
        sess["user"] = "ann"
    assert client.get("/me").get_json() == {"user": "ann"}


def test_app_state(app) -> None:
    with app.test_client() as c:
        c.application.config["LIMIT"] = 1
        assert c.get("/items").location is None
    with app.app_context():
        pass
    with app.test_request_context("/items?page=2", method="POST", json={"a": 1}):
        pass
