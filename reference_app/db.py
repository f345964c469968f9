"""The async engine, its session factory, readiness ping and schema set-up."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import anyio
from sqlalchemy import event, exc, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from reference_app.models import Base
from reference_app.observability import get_logger
from reference_app.seed import seed
from reference_app.settings import Settings

log = get_logger(__name__)


def make_engine(settings: Settings) -> AsyncEngine:
    """An engine for `settings.sqlalchemy_url`: asyncpg for PostgreSQL, aiosqlite for SQLite.

    A pooled connection that sat idle is pinged before use (`ping_after_idle`), so a
    database that went away and came back is picked up again without a restart.
    """
    url = settings.sqlalchemy_url
    pool = {"pool_size": settings.db_pool_size, "max_overflow": settings.db_max_overflow}
    if url.startswith("sqlite"):
        engine = create_async_engine(url, **pool)
    else:
        connect_args = {"timeout": settings.db_connect_timeout}
        engine = create_async_engine(url, connect_args=connect_args, **pool)
    ping_after_idle(engine, settings.db_ping_after_idle)
    return engine


def ping_after_idle(engine: AsyncEngine, idle_seconds: float) -> None:
    """Ping a pooled connection before use when it has been idle `idle_seconds` or more.

    `pool_pre_ping` pings on every checkout: one more round trip on every request's path.
    A connection in steady use has just shown it is alive; one that sat in the pool may
    have been cut (a database restart, a firewall's idle timeout). One that dies while in
    use is caught anyway: SQLAlchemy invalidates the pool on the first disconnect error
    (the request answers 503, `errors.database_error`). This is SQLAlchemy's documented
    checkout-event recipe for pessimistic disconnect handling, limited to idle connections.
    """
    sync_engine = engine.sync_engine

    def note_checkin(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_CHECKED_IN_AT] = time.monotonic()

    def ping_if_idle(dbapi_connection: Any, record: ConnectionPoolEntry, proxy: Any) -> None:
        checked_in_at = record.info.get(_CHECKED_IN_AT)
        if checked_in_at is None or time.monotonic() - checked_in_at < idle_seconds:
            return
        try:
            alive = sync_engine.dialect.do_ping(dbapi_connection)
        except Exception:  # any failure of the round trip means the same: not usable
            alive = False
        if not alive:
            raise exc.DisconnectionError("idle connection did not answer a ping")

    event.listen(sync_engine, "checkin", note_checkin)
    event.listen(sync_engine, "checkout", ping_if_idle)


_CHECKED_IN_AT = "reference_app.checked_in_at"


def connection_turns(settings: Settings) -> asyncio.Semaphore:
    """Requests take the pool's connections in arrival order by waiting here first.

    SQLAlchemy's async pool hands a connection that comes back to whichever request asks
    next, even while others are already waiting for one (its queue takes an available item
    without awaiting), so under load a few requests lose their turn again and again. A
    fair semaphore as wide as the pool keeps the order (docs/performance.md).
    """
    return asyncio.Semaphore(settings.db_pool_size + settings.db_max_overflow)


async def ensure_sqlite_folder(url: str) -> None:
    """SQLite creates its file but not the folder around it: make that folder."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        await anyio.Path(Path(parsed.database).parent).mkdir(parents=True, exist_ok=True)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # Objects stay usable after commit: responses are built from them without another query.
    return async_sessionmaker(engine, expire_on_commit=False)


async def ping(engine: AsyncEngine, *, within: float) -> bool:
    """One round trip to the database; False unless it answers `within` seconds."""
    try:
        async with asyncio.timeout(within), engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    # Whatever stops the round trip (refused, reset, timed out, the server still starting,
    # a driver error SQLAlchemy does not wrap) means the same thing here: not ready.
    except Exception as error:
        log.warning("database ping failed", error=f"{type(error).__name__}: {error}")
        return False
    return True


async def init_db(engine: AsyncEngine, *, with_seed: bool = False, reset: bool = False) -> None:
    """Create the tables; `reset` empties them first, `with_seed` adds the demo data."""
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
        if reset:
            await _empty_tables(conn)
    if with_seed:
        async with make_sessionmaker(engine)() as session:
            await seed(session)


async def _empty_tables(conn: AsyncConnection) -> None:
    # DELETE, not TRUNCATE: on tables this small it is faster and steadier (TRUNCATE makes
    # PostgreSQL swap every table's files). Ids start again from 1, as after TRUNCATE … RESTART
    # IDENTITY (SQLite's rowids do so by themselves once a table is empty).
    for table in reversed(Base.metadata.sorted_tables):
        await conn.execute(table.delete())
    if conn.dialect.name == "postgresql":
        for table in Base.metadata.sorted_tables:
            await conn.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), 1, false)")
            )
