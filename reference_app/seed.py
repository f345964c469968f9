"""Demo data: the legacy service's two tenants, clients and invoices, fixed values throughout."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from reference_app.models import Client, Invoice, Tenant, User

_T0 = dt.datetime(2024, 1, 15, 9, 0, tzinfo=dt.UTC)

TENANTS: list[dict[str, Any]] = [
    {"id": 1, "slug": "acme", "name": "Acme Corporation"},
    {"id": 2, "slug": "globex", "name": "Globex Inc."},
]
USERS: list[dict[str, Any]] = [
    {
        "id": 1,
        "tenant_id": 1,
        "email": "alice@acme.test",
        "name": "Alice",
        "api_token": "acme-token",
    },
    {
        "id": 2,
        "tenant_id": 2,
        "email": "gary@globex.test",
        "name": "Gary",
        "api_token": "globex-token",
    },
]
CLIENTS: list[dict[str, Any]] = [
    {"id": 1, "tenant_id": 1, "name": "Wile E. Coyote", "email": "wile@desert.test"},
    {"id": 2, "tenant_id": 1, "name": "Road Runner Ltd", "email": "beep@desert.test"},
    {"id": 3, "tenant_id": 1, "name": "Bugs Bunny", "email": None},
    {"id": 4, "tenant_id": 2, "name": "Hank Scorpio", "email": "hank@globex.test"},
    {"id": 5, "tenant_id": 2, "name": "Cypress Creek", "email": "info@cypress.test"},
]
INVOICES: list[dict[str, Any]] = [
    {
        "id": 1,
        "tenant_id": 1,
        "client_id": 1,
        "number": "INV-00001",
        "amount": "1200.00",
        "currency": "USD",
        "status": "paid",
        "due_date": dt.date(2024, 2, 15),
        "notes": "Rockets",
    },
    {
        "id": 2,
        "tenant_id": 1,
        "client_id": 1,
        "number": "INV-00002",
        "amount": "89.90",
        "currency": "USD",
        "status": "sent",
        "due_date": dt.date(2024, 3, 1),
        "notes": None,
    },
    {
        "id": 3,
        "tenant_id": 1,
        "client_id": 2,
        "number": "INV-00003",
        "amount": "15.50",
        "currency": "EUR",
        "status": "draft",
        "due_date": None,
        "notes": "Bird seed",
    },
    {
        "id": 4,
        "tenant_id": 1,
        "client_id": 2,
        "number": "INV-00004",
        "amount": "4999.99",
        "currency": "EUR",
        "status": "void",
        "due_date": dt.date(2024, 4, 30),
        "notes": None,
    },
    {
        "id": 5,
        "tenant_id": 1,
        "client_id": 3,
        "number": "INV-00005",
        "amount": "250.00",
        "currency": "GBP",
        "status": "draft",
        "due_date": dt.date(2024, 5, 1),
        "notes": "Carrots",
    },
    {
        "id": 6,
        "tenant_id": 2,
        "client_id": 4,
        "number": "INV-00001",
        "amount": "1000000.00",
        "currency": "USD",
        "status": "sent",
        "due_date": dt.date(2024, 6, 1),
        "notes": "Doomsday",
    },
    {
        "id": 7,
        "tenant_id": 2,
        "client_id": 5,
        "number": "INV-00002",
        "amount": "42.00",
        "currency": "USD",
        "status": "draft",
        "due_date": None,
        "notes": None,
    },
    {
        "id": 8,
        "tenant_id": 2,
        "client_id": 5,
        "number": "INV-00003",
        "amount": "310.25",
        "currency": "EUR",
        "status": "paid",
        "due_date": dt.date(2024, 2, 1),
        "notes": None,
    },
]


async def seed(session: AsyncSession) -> None:
    """Insert the demo data into empty tables; every timestamp is fixed, so runs compare equal."""
    session.add_all(Tenant(**row) for row in TENANTS)
    await session.flush()
    session.add_all(User(**row) for row in USERS)
    session.add_all(
        Client(**row, created_at=_T0 + dt.timedelta(hours=row["id"])) for row in CLIENTS
    )
    await session.flush()
    for row in INVOICES:
        created = _T0 + dt.timedelta(days=row["id"])
        sent = created + dt.timedelta(hours=1) if row["status"] in ("sent", "paid") else None
        session.add(
            Invoice(**{**row, "amount": Decimal(row["amount"])}, created_at=created, sent_at=sent)
        )
    await session.flush()
    await _advance_sequences(session)
    await session.commit()


async def _advance_sequences(session: AsyncSession) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the seeded rows."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in ("tenants", "users", "clients", "invoices"):
        await session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT max(id) FROM {table}))"
            )
        )
