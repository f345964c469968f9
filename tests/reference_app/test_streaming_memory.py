"""The CSV export streams: a real uvicorn server's peak memory does not grow with the table.

httpx's ASGITransport collects a whole body before returning it, so this needs a real
server: the test starts uvicorn on 127.0.0.1, exports a tenant's invoices twice (a first
batch, then four times as many), reads each body in chunks, and compares the server's
peak resident memory (VmHWM) after each. A body kept in memory, or a query loading every
row, would raise the peak by at least the size of the extra rows.
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import httpx
from sqlalchemy import create_engine, insert, text

import legacy_app.db
from legacy_app.models import Invoice
from tests.conftest import ACME
from tests.databases import ScratchDatabases
from tests.reference_app.servers import free_port, running_server

FIRST = 20_000
MORE = 60_000


def add_invoices(url: str, start: int, count: int) -> None:
    """Bulk-insert `count` draft invoices for tenant 1 (server-side on PostgreSQL: fast)."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(
                    text(
                        "INSERT INTO invoices (tenant_id, client_id, number, amount, currency,"
                        " status, created_at)"
                        " SELECT 1, 1 + n % 3, 'BULK-' || lpad(n::text, 7, '0'),"
                        " (n % 100000) / 100.0 + 1, 'EUR', 'draft', '2024-03-01T00:00:00+00:00'"
                        " FROM generate_series(CAST(:first AS integer), CAST(:last AS integer))"
                        " AS n"
                    ),
                    {"first": start, "last": start + count - 1},
                )
                # Fresh statistics, as autovacuum would soon give a table loaded in bulk.
                conn.execute(text("ANALYZE invoices"))
                return
            created = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
            rows = [
                {
                    "tenant_id": 1,
                    "client_id": 1 + n % 3,
                    "number": f"BULK-{n:07d}",
                    "amount": Decimal(n % 100000) / 100 + 1,
                    "currency": "EUR",
                    "status": "draft",
                    "created_at": created,
                }
                for n in range(start, start + count)
            ]
            conn.execute(insert(Invoice), rows)
    finally:
        engine.dispose()


def export(url: str) -> tuple[int, int, int]:
    """(bytes, lines, chunks) of one export, read as it arrives."""
    size = lines = chunks = 0
    with httpx.stream("GET", f"{url}/invoices/export.csv", headers=ACME, timeout=120) as response:
        assert response.status_code == 200
        for chunk in response.iter_bytes():
            size += len(chunk)
            lines += chunk.count(b"\n")
            chunks += 1
    return size, lines, chunks


def test_export_memory_stays_flat(scratch_databases: ScratchDatabases, tmp_path: Path) -> None:
    url = scratch_databases.new("stream")
    engine = legacy_app.db.make_engine(url)
    legacy_app.db.init_db(engine, with_seed=True)
    engine.dispose()
    add_invoices(url, 0, FIRST)

    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "reference_app.main:app"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    env = {"DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    with running_server(command, port, env, tmp_path / "uvicorn.log") as server:
        export(server.url)  # warm-up: code paths, pools and caches reach their working size
        small_size, small_lines, _ = export(server.url)
        small_peak = server.memory_peak_kib()

        add_invoices(url, FIRST, MORE)
        large_size, large_lines, large_chunks = export(server.url)
        large_peak = server.memory_peak_kib()

    assert small_lines == 1 + 5 + FIRST
    assert large_lines == 1 + 5 + FIRST + MORE
    extra_kib = (large_size - small_size) // 1024
    growth_kib = large_peak - small_peak
    print(
        f"\nexport of {small_lines - 1} rows ({small_size // 1024} KiB): peak RSS {small_peak} KiB;"
        f" of {large_lines - 1} rows ({large_size // 1024} KiB, {large_chunks} chunks):"
        f" peak RSS {large_peak} KiB (+{growth_kib} KiB)"
    )
    assert large_chunks > 10  # it did arrive piece by piece
    # The extra rows alone are MiBs of CSV; streaming keeps the peak where it was.
    assert extra_kib > 3 * 1024
    assert growth_kib < extra_kib // 4
