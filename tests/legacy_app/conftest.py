from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from legacy_app import create_app
from legacy_app.db import init_db
from tests.databases import ScratchDatabases
from tests.upstream import Upstream


@pytest.fixture(scope="session")
def legacy_app_once(scratch_databases: ScratchDatabases) -> Iterator[Flask]:
    """One app (one engine and pool) for the session; each test resets its data."""
    app = create_app(scratch_databases.new("legacy"))
    app.config["UPSTREAM_RETRIES"] = 0
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def app(legacy_app_once: Flask, fresh_upstream: Upstream, uploads: Path) -> Flask:
    init_db(legacy_app_once.extensions["db_engine"], with_seed=True, reset=True)
    legacy_app_once.config["UPSTREAM_URL"] = fresh_upstream.url
    legacy_app_once.config["UPLOAD_FOLDER"] = str(uploads)
    return legacy_app_once


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
