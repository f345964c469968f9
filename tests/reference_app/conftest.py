"""Fixtures: in this folder `app`, `settings` and `client` are the reference app's, on a
freshly seeded scratch database (tests/conftest.py), reached through ASGI."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI

from reference_app.settings import Settings


@pytest.fixture
def settings(reference_settings: Settings) -> Settings:
    return reference_settings


@pytest.fixture
def app(fresh_reference_app: FastAPI) -> FastAPI:
    return fresh_reference_app


@pytest_asyncio.fixture(loop_scope="session")
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
