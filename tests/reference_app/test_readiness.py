"""/ready answers 503 while the database is unreachable and recovers by itself, for real:
SQLite whose file cannot be opened, then can; PostgreSQL behind a TCP proxy that the test
starts, stops and restarts (a closed port, an open one, a dropped connection).
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from reference_app.db import init_db
from reference_app.main import create_app
from reference_app.settings import Settings
from tests.conftest import ACME
from tests.reference_app.servers import free_port

READY = (200, {"status": "ready"})
UNAVAILABLE = (503, {"status": "unavailable"})


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


async def readiness(client: httpx.AsyncClient) -> tuple[int, object]:
    response = await client.get("/ready")
    return response.status_code, response.json()


async def test_sqlite_file_that_cannot_be_opened_then_can(tmp_path: Path) -> None:
    database = tmp_path / "data" / "ref.sqlite3"
    database.mkdir(parents=True)  # a directory where the database file should be
    app = create_app(settings=Settings(database_url=f"sqlite:///{database}", ready_timeout=1))
    async with serving(app) as client:
        assert await readiness(client) == UNAVAILABLE
        assert (await client.get("/health")).json() == {"status": "ok"}
        shutil.rmtree(database)
        assert await readiness(client) == READY


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target; `stop` closes the port and cuts every link."""

    def __init__(self, database_url: str) -> None:
        real = make_url(database_url)
        self.port = free_port()
        self.target = (real.host or "127.0.0.1", real.port or 5432)
        # The database's URL through the proxy.
        self.url = real.set(host="127.0.0.1", port=self.port).render_as_string(hide_password=False)
        self.server: asyncio.Server | None = None
        self.links: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._link, "127.0.0.1", self.port)

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in list(self.links):
            writer.transport.abort()
        self.links.clear()
        await self.server.wait_closed()
        self.server = None

    async def _link(
        self, client_reader: asyncio.StreamReader, client: asyncio.StreamWriter
    ) -> None:
        try:
            upstream_reader, upstream = await asyncio.open_connection(*self.target)
        except OSError:
            client.transport.abort()
            return
        self.links |= {client, upstream}
        await asyncio.gather(
            self._pipe(client_reader, upstream), self._pipe(upstream_reader, client)
        )

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.transport.abort()
        self.links.discard(writer)


@pytest_asyncio.fixture(loop_scope="session")
async def proxy(reference_database_url: str) -> AsyncIterator[TcpProxy]:
    """A proxy in front of the test database, not started; stopped at the end if running."""
    proxy = TcpProxy(reference_database_url)
    try:
        yield proxy
    finally:
        if proxy.server is not None:
            await proxy.stop()


@pytest.mark.postgres
async def test_postgresql_down_up_down_up(proxy: TcpProxy) -> None:
    app = create_app(settings=Settings(database_url=proxy.url, ready_timeout=2))
    async with serving(app) as client:
        assert await readiness(client) == UNAVAILABLE  # nothing listens on the port yet
        await proxy.start()
        assert await readiness(client) == READY
        await init_db(app.state.engine, with_seed=True, reset=True)
        assert (await client.get("/me", headers=ACME)).status_code == 200
        await proxy.stop()  # the port closes and the pooled connection is cut
        assert await readiness(client) == UNAVAILABLE
        await proxy.start()
        assert await readiness(client) == READY
        assert (await client.get("/me", headers=ACME)).status_code == 200


@pytest.mark.postgres
@pytest.mark.parametrize(("idle_ping", "status"), [(0.05, 200), (3600.0, 503)])
async def test_an_idle_pooled_connection_cut_meanwhile_is_replaced_before_use(
    proxy: TcpProxy, idle_ping: float, status: int
) -> None:
    """The database restarts while the service is idle, and nobody asks /ready: the next
    request still succeeds, because a connection idle for `db_ping_after_idle` is pinged
    before use. The second case shows what the ping is for: without it, the request meets
    the dead connection and answers 503 (retry), never a 500."""
    settings = Settings(database_url=proxy.url, db_ping_after_idle=idle_ping)
    await proxy.start()
    async with serving(create_app(settings=settings)) as client:
        assert (await client.get("/me", headers=ACME)).status_code == 200
        await proxy.stop()  # the pooled connection is cut while idle
        await proxy.start()
        await asyncio.sleep(0.1)
        assert (await client.get("/me", headers=ACME)).status_code == status


@pytest.mark.postgres
async def test_a_request_while_the_database_is_down_is_503_not_500(proxy: TcpProxy) -> None:
    settings = Settings(database_url=proxy.url, db_connect_timeout=1, ready_timeout=1)
    async with serving(create_app(settings=settings)) as client:
        response = await client.get("/me", headers=ACME)  # nothing listens on the port
        assert (response.status_code, response.headers.get("retry-after")) == (503, "1")
        assert response.json() == {"error": "the database is unavailable: try again"}
