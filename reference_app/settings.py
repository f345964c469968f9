"""Configuration: one pydantic-settings object, read from the environment (12-factor style)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

# Where a newcomer's SQLite database and uploads live when nothing else is configured,
# relative to the directory the service is started from (the repository root in a checkout).
DEFAULT_INSTANCE_PATH = Path("instance")


class Settings(BaseSettings):
    """Every knob of the service; environment variables use the upper-case field names."""

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str | None = None
    instance_path: Path = DEFAULT_INSTANCE_PATH
    upload_folder: Path | None = None
    upstream_url: str = "http://127.0.0.1:8900"
    upstream_timeout: float = Field(default=5.0, gt=0)
    upstream_retries: int = Field(default=2, ge=0)
    max_content_length: int = Field(default=5 * 1024 * 1024, ge=0)
    export_page_size: int = Field(default=500, ge=1)
    ready_timeout: float = Field(default=2.0, gt=0)
    db_connect_timeout: float = Field(default=5.0, gt=0)
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    db_ping_after_idle: float = Field(default=5.0, ge=0)
    log_level: str = "INFO"

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL with the async driver this service uses (asyncpg or aiosqlite)."""
        url = self.database_url or f"sqlite:///{self.instance_path / 'reference.sqlite3'}"
        return async_database_url(url)

    @property
    def attachments_root(self) -> Path:
        return self.upload_folder or self.instance_path / "reference-uploads"


def async_database_url(url: str) -> str:
    """Point a database URL at the async driver, whatever driver it named.

    `postgresql://`, `postgres://` and `postgresql+psycopg://` become `postgresql+asyncpg://`;
    `sqlite://` becomes `sqlite+aiosqlite://`. libpq's `sslmode` becomes asyncpg's `ssl`.
    """
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        parsed = parsed.set(drivername="postgresql+asyncpg")
        if "sslmode" in parsed.query:
            sslmode = parsed.query["sslmode"]
            parsed = parsed.difference_update_query(["sslmode"]).update_query_dict(
                {"ssl": sslmode if isinstance(sslmode, str) else sslmode[0]}
            )
    elif backend == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    return parsed.render_as_string(hide_password=False)
