"""Fresh databases for a test run: SQLite files, or PostgreSQL databases beside $DATABASE_URL's.

Without $DATABASE_URL the tests run on SQLite. With it, each run creates its own scratch
databases on that server (so parallel runs cannot collide) and drops them at the end.
With REQUIRE_POSTGRES=1 (CI), a missing or unreachable server fails the run instead.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url


def postgres_configured() -> bool:
    """Whether this run has a PostgreSQL server (tests marked `postgres` need one)."""
    return bool(os.environ.get("DATABASE_URL"))


class ScratchDatabases:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.server_url = os.environ.get("DATABASE_URL") or None
        self._created: list[str] = []
        if os.environ.get("REQUIRE_POSTGRES") == "1" and not self.server_url:
            raise RuntimeError("REQUIRE_POSTGRES=1 but DATABASE_URL is not set")
        if self.server_url and make_url(self.server_url).get_backend_name() != "postgresql":
            raise RuntimeError(f"DATABASE_URL must name a PostgreSQL server: {self.server_url}")

    @property
    def backend(self) -> str:
        return "postgresql" if self.server_url else "sqlite"  # see postgres_configured()

    def new(self, label: str) -> str:
        """A URL (sync driver form) of a new, empty database."""
        name = f"{label}_{uuid.uuid4().hex[:10]}"
        if self.server_url is None:
            return f"sqlite:///{self.directory / name}.sqlite3"
        url = make_url(self.server_url)
        name = f"{url.database}_{name}"
        with self._admin_connection() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self._created.append(name)
        return url.set(drivername="postgresql+psycopg", database=name).render_as_string(
            hide_password=False
        )

    def drop_all(self) -> None:
        if not self._created:
            return
        with self._admin_connection() as conn:
            for name in self._created:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._created.clear()

    def _admin_connection(self) -> psycopg.Connection[tuple[object, ...]]:
        assert self.server_url is not None
        url = make_url(self.server_url)
        return psycopg.connect(
            host=url.host or "127.0.0.1",
            port=url.port or 5432,
            user=url.username,
            password=url.password,
            dbname=url.database,
            autocommit=True,
        )
