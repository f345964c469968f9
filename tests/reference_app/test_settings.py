"""Configuration from the environment, and the database URL pointed at the async drivers."""

from __future__ import annotations

from pathlib import Path

import pytest

from reference_app.main import create_app
from reference_app.settings import Settings, async_database_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///instance/x.sqlite3", "sqlite+aiosqlite:///instance/x.sqlite3"),
        ("sqlite:////abs/x.sqlite3", "sqlite+aiosqlite:////abs/x.sqlite3"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("postgresql://u:p@h:5433/db", "postgresql+asyncpg://u:p@h:5433/db"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql+psycopg2://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql://u@h/db?sslmode=require", "postgresql+asyncpg://u@h/db?ssl=require"),
    ],
)
def test_async_database_url(given: str, expected: str) -> None:
    assert async_database_url(given) == expected


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://app@db/invoices")
    monkeypatch.setenv("UPSTREAM_URL", "http://notify:8900")
    monkeypatch.setenv("UPSTREAM_RETRIES", "5")
    monkeypatch.setenv("UPLOAD_FOLDER", "/data/uploads")
    settings = Settings()
    assert settings.sqlalchemy_url == "postgresql+asyncpg://app@db/invoices"
    assert (settings.upstream_url, settings.upstream_retries) == ("http://notify:8900", 5)
    assert settings.attachments_root == Path("/data/uploads")


def test_default_is_sqlite_in_the_instance_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings()
    assert settings.sqlalchemy_url == "sqlite+aiosqlite:///instance/reference.sqlite3"
    assert settings.attachments_root == Path("instance/reference-uploads")


def test_create_app_database_url_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://ignored@db/x")
    app = create_app("sqlite:///chosen.sqlite3")
    assert app.state.settings.sqlalchemy_url == "sqlite+aiosqlite:///chosen.sqlite3"
