"""bench/floor_app.py: the bare-ASGI floor answers the DB read like the legacy service."""

from __future__ import annotations

import contextlib
import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.floor_app import async_database_url
from legacy_app import create_app
from legacy_app.db import init_db
from migrator import bench_services as services
from tests.databases import ScratchDatabases

ACME = {"Authorization": "Bearer acme-token"}


def _get(url: str, headers: dict[str, str]) -> tuple[int, object]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, None


@pytest.fixture(scope="module")
def seeded_url(scratch_databases: ScratchDatabases) -> Iterator[str]:
    url = scratch_databases.new("floor")
    app = create_app(url)
    init_db(app.extensions["db_engine"], with_seed=True)
    app.extensions["db_engine"].dispose()
    yield url


def _floor(
    app: str, url: str, tmp_path: Path, stops: contextlib.ExitStack
) -> tuple[services.RunningProcess, int]:
    port = services.free_port()
    argv = services.service_argv(f"uvicorn --no-access-log bench.floor_app:{app}", port, 1)
    env = {**os.environ, "DATABASE_URL": url}
    return services.start_process(app, argv, env, tmp_path / "f.log", stops), port


@pytest.mark.parametrize(
    "app", ["orm_app", pytest.param("asyncpg_app", marks=pytest.mark.postgres)]
)
def test_floor_answers_like_the_legacy_read(app: str, seeded_url: str, tmp_path: Path) -> None:
    legacy = create_app(seeded_url)
    expected = legacy.test_client().get("/invoices/1", headers=ACME).get_json()
    legacy.extensions["db_engine"].dispose()
    with contextlib.ExitStack() as stops:
        process, port = _floor(app, seeded_url, tmp_path, stops)
        base = f"http://127.0.0.1:{port}"
        services.wait_healthy(process, base + "/health", timeout_s=30)
        assert _get(base + "/invoices/1", ACME) == (200, expected)
        assert _get(base + "/invoices/1", {})[0] == 401
        assert _get(base + "/invoices/1", {"Authorization": "Bearer nobody"})[0] == 401
        assert _get(base + "/invoices/6", ACME)[0] == 404  # globex's
        assert _get(base + "/invoices/99999999999", ACME)[0] == 404


def test_async_database_url() -> None:
    assert async_database_url("postgresql://u@h/db", "asyncpg") == "postgresql+asyncpg://u@h/db"
    assert async_database_url("postgresql+psycopg://u@h/db", "") == "postgresql://u@h/db"
    assert async_database_url("sqlite:///x.db", "asyncpg") == "sqlite+aiosqlite:///x.db"
    with pytest.raises(ValueError, match="unsupported"):
        async_database_url("mysql://x", "asyncpg")
