"""The floor for the DB read: `GET /invoices/{id}` as a bare ASGI app, no framework at all.

Two apps, the same request handling:

- `orm_app`: the read through SQLAlchemy's async ORM (asyncpg or aiosqlite), the way the
  reference service reads. Its distance to the reference service is what the framework
  (routing, dependencies, validation, response models) costs.
- `asyncpg_app`: the same three queries as raw asyncpg statements (PostgreSQL only). Its
  distance to `orm_app` is what the ORM costs.

Both do what the legacy read does: find the user by bearer token (401 when unknown), load
their tenant, load the invoice of that tenant (404 when not theirs), answer the same JSON.
`uvicorn bench.floor_app:orm_app`; DATABASE_URL as for the services.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Awaitable, Callable, MutableMapping
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from legacy_app.models import Invoice, Tenant, User

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_INVOICE_PATH = re.compile(r"/invoices/(\d{1,10})")
_MAX_ID = 2**31 - 1
_UNAUTHORIZED = object()


def async_database_url(url: str, driver: str) -> str:
    """DATABASE_URL with the async driver SQLAlchemy needs (`asyncpg` or `aiosqlite`)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError(f"not a database URL: {url}")
    backend = scheme.split("+")[0]
    if backend in ("postgres", "postgresql"):
        return f"postgresql+{driver}://{rest}" if driver else f"postgresql://{rest}"
    if backend == "sqlite":
        return f"sqlite+aiosqlite://{rest}"
    raise ValueError(f"unsupported database: {scheme}")


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat()


def invoice_json(row: MutableMapping[str, Any] | Any) -> bytes:
    """The legacy service's invoice JSON (sorted keys), from a row or an ORM object."""

    def field(name: str) -> Any:
        return row[name] if isinstance(row, MutableMapping) else getattr(row, name)

    amount: Decimal = field("amount")
    body = {
        "amount": f"{amount:.2f}",
        "client_id": field("client_id"),
        "created_at": _iso(field("created_at")),
        "currency": field("currency"),
        "due_date": _iso(field("due_date")),
        "id": field("id"),
        "notes": field("notes"),
        "number": field("number"),
        "sent_at": _iso(field("sent_at")),
        "status": field("status"),
    }
    return json.dumps(body).encode()


class InvoiceReader(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def invoice(self, token: str, invoice_id: int) -> bytes | object | None:
        """The invoice JSON, None when not found, `_UNAUTHORIZED` for an unknown token."""
        ...


class OrmReader:
    """The read through SQLAlchemy's async ORM, pool sized like the legacy service's."""

    def __init__(self, url: str) -> None:
        self.url = async_database_url(url, "asyncpg")
        self.engine: AsyncEngine | None = None
        self.sessions: async_sessionmaker[Any] | None = None

    async def start(self) -> None:
        options: dict[str, Any] = {}
        if not self.url.startswith("sqlite"):
            options = {"pool_size": 10, "max_overflow": 10}
        self.engine = create_async_engine(self.url, **options)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    async def stop(self) -> None:
        if self.engine is not None:
            await self.engine.dispose()

    async def invoice(self, token: str, invoice_id: int) -> bytes | object | None:
        assert self.sessions is not None
        async with self.sessions() as session:
            user = (await session.scalars(select(User).where(User.api_token == token))).first()
            if user is None:
                return _UNAUTHORIZED
            tenant = await session.get(Tenant, user.tenant_id)
            assert tenant is not None
            invoice = (
                await session.scalars(
                    select(Invoice).where(Invoice.id == invoice_id, Invoice.tenant_id == tenant.id)
                )
            ).first()
            return invoice_json(invoice) if invoice is not None else None


class AsyncpgReader:
    """The same three queries as prepared asyncpg statements on a pool."""

    USER = "SELECT id, tenant_id FROM users WHERE api_token = $1"
    TENANT = "SELECT id, slug, name FROM tenants WHERE id = $1"
    INVOICE = (
        "SELECT id, number, client_id, amount, currency, status, due_date, notes, created_at,"
        " sent_at FROM invoices WHERE id = $1 AND tenant_id = $2"
    )

    def __init__(self, url: str) -> None:
        self.dsn = async_database_url(url, "")
        if not self.dsn.startswith("postgresql://"):
            raise SystemExit("asyncpg_app needs a PostgreSQL DATABASE_URL")
        self.pool: Any = None

    async def start(self) -> None:
        import asyncpg  # type: ignore[import-untyped]

        self.pool = await asyncpg.create_pool(self.dsn, min_size=10, max_size=20)

    async def stop(self) -> None:
        if self.pool is not None:
            await self.pool.close()

    async def invoice(self, token: str, invoice_id: int) -> bytes | object | None:
        async with self.pool.acquire() as conn:
            user = await conn.fetchrow(self.USER, token)
            if user is None:
                return _UNAUTHORIZED
            tenant = await conn.fetchrow(self.TENANT, user["tenant_id"])
            row = await conn.fetchrow(self.INVOICE, invoice_id, tenant["id"])
            return invoice_json(dict(row)) if row is not None else None


async def _answer(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _bearer(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" and token.strip() else None
    return None


def make_app(reader_factory: Callable[[str], InvoiceReader]) -> Callable[..., Awaitable[None]]:
    """A bare ASGI app serving /health and GET /invoices/{id} with the given reader."""
    state: dict[str, InvoiceReader] = {}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    reader = reader_factory(os.environ.get("DATABASE_URL") or "sqlite:///floor.db")
                    await reader.start()
                    state["reader"] = reader
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    if "reader" in state:
                        await state["reader"].stop()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        path = scope["path"]
        if path == "/health":
            await _answer(send, 200, b'{"status": "ok"}')
            return
        match = _INVOICE_PATH.fullmatch(path)
        if match is None or scope["method"] != "GET":
            await _answer(send, 404, b'{"error": "not found"}')
            return
        token = _bearer(scope)
        found = None
        if token is not None:
            invoice_id = int(match.group(1))
            found = (
                await state["reader"].invoice(token, invoice_id) if invoice_id <= _MAX_ID else None
            )
        if token is None or found is _UNAUTHORIZED:
            await _answer(send, 401, b'{"error": "missing or invalid token"}')
        elif isinstance(found, bytes):
            await _answer(send, 200, found)
        else:
            await _answer(send, 404, b'{"error": "invoice not found"}')

    return app


orm_app = make_app(OrmReader)
asyncpg_app = make_app(AsyncpgReader)
