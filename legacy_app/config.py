"""Configuration defaults, overridable from the environment (12-factor style)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def database_url_for_psycopg(url: str) -> str:
    """Point a PostgreSQL URL at the sync psycopg 3 driver, whatever driver it named."""
    for prefix in ("postgresql+asyncpg://", "postgresql+psycopg2://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite+aiosqlite://"):
        return "sqlite://" + url.removeprefix("sqlite+aiosqlite://")
    return url


def load_config(instance_path: str, database_url: str | None) -> dict[str, Any]:
    url = database_url or os.environ.get("DATABASE_URL")
    if not url:
        url = f"sqlite:///{Path(instance_path) / 'legacy.sqlite3'}"
    return {
        "DATABASE_URL": database_url_for_psycopg(url),
        "UPSTREAM_URL": os.environ.get("UPSTREAM_URL", "http://127.0.0.1:8900"),
        "UPSTREAM_TIMEOUT": float(os.environ.get("UPSTREAM_TIMEOUT", "5")),
        "UPSTREAM_RETRIES": int(os.environ.get("UPSTREAM_RETRIES", "2")),
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER", str(Path(instance_path) / "uploads")),
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        "EXPORT_PAGE_SIZE": 500,
        "JSON_SORT_KEYS": True,
    }
