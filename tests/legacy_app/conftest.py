from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient


@pytest.fixture
def app(fresh_legacy_app: Flask) -> Flask:
    return fresh_legacy_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
