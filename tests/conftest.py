from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from fastapi import FastAPI
from flask import Flask
from sqlalchemy import Engine

import legacy_app
import legacy_app.db
import legacy_app.models
import reference_app.db
import reference_app.main
from reference_app.settings import Settings
from tests.databases import ScratchDatabases, postgres_configured
from tests.upstream import Upstream, running_upstream

ACME = {"Authorization": "Bearer acme-token"}
GLOBEX = {"Authorization": "Bearer globex-token"}

# Async tests here share one event loop for the session: the reference app's async engine,
# made once for the session, belongs to the loop that made it.
SESSION_LOOP_FOLDERS = (Path(__file__).parent / "reference_app", Path(__file__).parent / "services")


# Tests marked `postgres` exercise what only a PostgreSQL server shows (a TCP proxy cutting
# connections, asyncpg). Without $DATABASE_URL (a laptop on SQLite) they are skipped, and
# said so; CI sets DATABASE_URL and REQUIRE_POSTGRES=1, so there they always run.
NEEDS_POSTGRES = pytest.mark.skipif(
    not postgres_configured(), reason="needs PostgreSQL: set DATABASE_URL (CI always does)"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    session_loop = pytest.mark.asyncio(loop_scope="session")
    for item in items:
        if item.get_closest_marker("postgres") is not None:
            item.add_marker(NEEDS_POSTGRES)
        in_folder = any(folder in item.path.parents for folder in SESSION_LOOP_FOLDERS)
        if in_folder and pytest_asyncio.is_async_test(item):
            item.add_marker(session_loop, append=False)


@pytest.fixture(scope="session")
def scratch_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScratchDatabases]:
    databases = ScratchDatabases(tmp_path_factory.mktemp("databases"))
    try:
        yield databases
    finally:
        databases.drop_all()


@pytest.fixture(scope="session")
def upstream() -> Iterator[Upstream]:
    with running_upstream() as server:
        yield server


@pytest.fixture
def fresh_upstream(upstream: Upstream) -> Upstream:
    """The shared upstream, its behaviour reset for this test."""
    upstream.behaviour.reset()
    return upstream


@pytest.fixture
def uploads(tmp_path: Path) -> Path:
    folder = tmp_path / "uploads"
    folder.mkdir()
    return folder


@pytest.fixture(scope="session")
def legacy_app_once(scratch_databases: ScratchDatabases) -> Iterator[Flask]:
    """One legacy app (one engine and pool) for the session; each test reseeds its data."""
    app = legacy_app.create_app(scratch_databases.new("legacy"))
    app.config["UPSTREAM_RETRIES"] = 0
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def fresh_legacy_app(legacy_app_once: Flask, fresh_upstream: Upstream, uploads: Path) -> Flask:
    """The legacy app on fresh demo data, with this test's upstream and upload folder."""
    reseed_legacy(legacy_app_once.extensions["db_engine"])
    legacy_app_once.config["UPSTREAM_URL"] = fresh_upstream.url
    legacy_app_once.config["UPLOAD_FOLDER"] = str(uploads)
    return legacy_app_once


def reseed_legacy(engine: Engine) -> None:
    """The legacy demo data again. Emptied with DELETE rather than legacy's TRUNCATE, which
    takes PostgreSQL a hundred milliseconds and more on every call."""
    legacy_app.models.Base.metadata.create_all(engine)
    with engine.begin() as conn:
        for table in reversed(legacy_app.models.Base.metadata.sorted_tables):
            conn.execute(table.delete())
    legacy_app.db.init_db(engine, with_seed=True)


@pytest.fixture(scope="session")
def reference_database_url(scratch_databases: ScratchDatabases) -> str:
    """One scratch database for the suite (sync URL form); each test resets and reseeds it."""
    return scratch_databases.new("reference")


@pytest.fixture
def reference_settings(
    reference_database_url: str, fresh_upstream: Upstream, uploads: Path
) -> Settings:
    return Settings(
        database_url=reference_database_url,
        upstream_url=fresh_upstream.url,
        upstream_retries=0,
        upload_folder=uploads,
    )


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def reference_app_once(reference_database_url: str) -> AsyncIterator[FastAPI]:
    """The reference app with its lifespan running (engine, warm pool, HTTP client) for the
    session, as the legacy app is one app for the session."""
    application = reference_app.main.create_app(
        settings=Settings(database_url=reference_database_url)
    )
    async with application.router.lifespan_context(application):
        yield application


@pytest_asyncio.fixture(loop_scope="session")
async def fresh_reference_app(
    reference_app_once: FastAPI, reference_settings: Settings
) -> AsyncIterator[FastAPI]:
    """The running reference app with this test's settings, on fresh demo data, without
    dependency overrides."""
    reference_app_once.state.settings = reference_settings
    await reference_app.db.init_db(reference_app_once.state.engine, with_seed=True, reset=True)
    try:
        yield reference_app_once
    finally:
        reference_app_once.dependency_overrides.clear()
