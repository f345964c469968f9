"""Fixtures: each test here runs once against each app, through the same HTTP client.

The legacy app (Flask) and the reference app (FastAPI) must answer clients the same way, so
what a client sees is tested once, against both. Each app runs on its own freshly seeded
database (tests/conftest.py). The reference app is called through ASGI; the legacy app
through WSGI in a worker thread, as a threaded server calls it, so that the same async test
drives either.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote_to_bytes

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from flask import Flask

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

BASE_URL = "http://testserver"


@dataclass(frozen=True)
class Service:
    """One app under test: a client to it, and how a test changes the app's settings.

    `configure` takes the reference app's setting names (`upstream_retries=2`); the change
    lasts until the end of the test.
    """

    client: httpx.AsyncClient
    configure: Callable[..., None]


class WsgiInThread(httpx.AsyncBaseTransport):
    """httpx's WSGI transport for an async client: the app runs in a worker thread, and
    its whole body is read there (a streamed body may need the app context it runs in)."""

    def __init__(self, app: WSGIApplication) -> None:
        self._app = app

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return await asyncio.to_thread(self._call, request)

    def _call(self, request: httpx.Request) -> httpx.Response:
        # PATH_INFO as a server passes it (PEP 3333): the path's bytes read as latin-1.
        # httpx's transport passes the decoded text, which werkzeug cannot read past latin-1.
        path_info = unquote_to_bytes(request.url.raw_path.partition(b"?")[0]).decode("latin-1")

        def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
            environ["PATH_INFO"] = path_info
            return self._app(environ, start_response)

        response = httpx.WSGITransport(app=app).handle_request(request)
        body = response.read()
        return httpx.Response(
            response.status_code, headers=response.headers, stream=httpx.ByteStream(body)
        )


@pytest_asyncio.fixture(loop_scope="session")
async def legacy_service(fresh_legacy_app: Flask) -> AsyncIterator[Service]:
    app = fresh_legacy_app
    replaced: dict[str, object] = {}

    def configure(**settings: object) -> None:
        for name, value in settings.items():
            key = name.upper()
            replaced.setdefault(key, app.config[key])
            app.config[key] = value

    async with httpx.AsyncClient(transport=WsgiInThread(app), base_url=BASE_URL) as client:
        yield Service(client, configure)
    app.config.update(replaced)


@pytest_asyncio.fixture(loop_scope="session")
async def reference_service(fresh_reference_app: FastAPI) -> AsyncIterator[Service]:
    app = fresh_reference_app

    def configure(**settings: object) -> None:
        # fresh_reference_app gives the next test its own settings again.
        app.state.settings = app.state.settings.model_copy(update=settings)

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        yield Service(client, configure)


@pytest.fixture(params=["legacy", "reference"])
def service(request: pytest.FixtureRequest) -> Service:
    """Each app in turn: a test asking for it (or for `client`) runs once per app."""
    chosen: Service = request.getfixturevalue(f"{request.param}_service")
    return chosen


@pytest.fixture
def client(service: Service) -> httpx.AsyncClient:
    return service.client
