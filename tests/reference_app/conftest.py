"""Fixtures: the reference app on a freshly seeded scratch database, reached through ASGI.

Like tests/legacy_app, one app (one engine and pool) serves the whole session and every
test resets and reseeds the data. An async engine belongs to the event loop that made it,
so these tests share one session-wide loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI

from reference_app.db import init_db
from reference_app.main import create_app
from reference_app.settings import Settings
from tests.databases import ScratchDatabases
from tests.upstream import Upstream

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    session_loop = pytest.mark.asyncio(loop_scope="session")
    for item in items:
        if HERE in item.path.parents and pytest_asyncio.is_async_test(item):
            item.add_marker(session_loop, append=False)


@pytest.fixture(scope="session")
def reference_database_url(scratch_databases: ScratchDatabases) -> str:
    """One scratch database for the suite (sync URL form); each test resets and reseeds it."""
    return scratch_databases.new("reference")


@pytest.fixture
def settings(reference_database_url: str, fresh_upstream: Upstream, uploads: Path) -> Settings:
    return Settings(
        database_url=reference_database_url,
        upstream_url=fresh_upstream.url,
        upstream_retries=0,
        upload_folder=uploads,
    )


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def running_app(reference_database_url: str) -> AsyncIterator[FastAPI]:
    """The app with its lifespan running (engine, warm pool, HTTP client) for the session."""
    application = create_app(settings=Settings(database_url=reference_database_url))
    async with application.router.lifespan_context(application):
        yield application


@pytest_asyncio.fixture(loop_scope="session")
async def app(running_app: FastAPI, settings: Settings) -> AsyncIterator[FastAPI]:
    """The running app with this test's settings, on fresh demo data, without overrides."""
    running_app.state.settings = settings
    await init_db(running_app.state.engine, with_seed=True, reset=True)
    try:
        yield running_app
    finally:
        running_app.dependency_overrides.clear()


@pytest_asyncio.fixture(loop_scope="session")
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
