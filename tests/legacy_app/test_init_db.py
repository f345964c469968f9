"""`flask --app legacy_app.wsgi init-db [--seed]` on the configured database."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import create_engine, func, select

from legacy_app.models import Invoice, Tenant
from tests.databases import ScratchDatabases


def test_init_db_creates_and_seeds(scratch_databases: ScratchDatabases) -> None:
    url = scratch_databases.new("initdb")
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, "-m", "flask", "--app", "legacy_app.wsgi", "init-db", "--seed"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "with demo data" in result.stdout

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(Tenant)) == 2
            assert conn.scalar(select(func.count()).select_from(Invoice)) == 8
    finally:
        engine.dispose()

    # Seeding again on a reset database gives the same rows, not duplicates.
    command.append("--reset")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
