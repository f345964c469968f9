"""`python -m reference_app init-db`, and the schema and demo data matching the legacy app's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, func, select
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.schema import CreateIndex, CreateTable

import legacy_app.db
import legacy_app.models
import reference_app.models
from reference_app.db import init_db, make_engine
from reference_app.settings import Settings
from tests.databases import ScratchDatabases

ROOT = Path(__file__).parents[2]


def run_init_db(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "reference_app", "init-db", *args]
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run(
        command, env=environment, cwd=cwd, capture_output=True, text=True, check=False
    )


def counts(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tenants = conn.scalar(select(func.count()).select_from(legacy_app.models.Tenant))
            invoices = conn.scalar(select(func.count()).select_from(legacy_app.models.Invoice))
            return tenants or 0, invoices or 0
    finally:
        engine.dispose()


def test_init_db_creates_and_seeds(scratch_databases: ScratchDatabases) -> None:
    url = scratch_databases.new("refinit")
    result = run_init_db("--seed", DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert "with demo data" in result.stdout
    assert counts(url) == (2, 8)
    # Seeding again on a reset database gives the same rows, not duplicates.
    result = run_init_db("--seed", "--reset", DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert counts(url) == (2, 8)


def test_init_db_defaults_to_sqlite_in_the_instance_folder(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "reference_app", "init-db", "--seed"],
        env={**environment, "PYTHONPATH": str(ROOT)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "initialised sqlite+aiosqlite:///instance/reference.sqlite3 with demo data"
    )
    assert counts(f"sqlite:///{tmp_path / 'instance' / 'reference.sqlite3'}") == (2, 8)


def test_init_db_unreachable_database_is_one_line_error() -> None:
    result = run_init_db(DATABASE_URL="postgresql://nobody:secret@127.0.0.1:1/none")
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot initialise postgresql+asyncpg://nobody:***@")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "secret" not in result.stderr


def ddl(metadata: MetaData, dialect: Dialect) -> list[str]:
    statements = []
    for table in metadata.sorted_tables:
        statements.append(str(CreateTable(table).compile(dialect=dialect)).strip())
        statements.extend(
            str(CreateIndex(index).compile(dialect=dialect)).strip()
            for index in sorted(table.indexes, key=lambda i: str(i.name))
        )
    return statements


@pytest.mark.parametrize("backend", ["sqlite", "postgresql+psycopg"])
def test_same_ddl_as_the_legacy_schema(backend: str) -> None:
    dialect = make_url(f"{backend}://").get_dialect()()
    legacy = ddl(legacy_app.models.Base.metadata, dialect)
    reference = ddl(reference_app.models.Base.metadata, dialect)
    assert reference == legacy
    assert len(reference) == 5 + 6  # five tables, six indexes


def dump(url: str) -> dict[str, list[dict[str, Any]]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                table.name: [
                    dict(row._mapping) for row in conn.execute(select(table).order_by(table.c.id))
                ]
                for table in legacy_app.models.Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


async def test_same_demo_rows_as_the_legacy_seed(scratch_databases: ScratchDatabases) -> None:
    legacy_url = scratch_databases.new("seedlegacy")
    reference_url = scratch_databases.new("seedref")
    legacy_engine = legacy_app.db.make_engine(legacy_url)
    legacy_app.db.init_db(legacy_engine, with_seed=True)
    legacy_engine.dispose()
    engine = make_engine(Settings(database_url=reference_url))
    await init_db(engine, with_seed=True)
    await engine.dispose()

    legacy_rows, reference_rows = dump(legacy_url), dump(reference_url)
    assert reference_rows == legacy_rows
    assert {name: len(rows) for name, rows in reference_rows.items()} == {
        "tenants": 2,
        "users": 2,
        "clients": 5,
        "invoices": 8,
        "attachments": 0,
    }
