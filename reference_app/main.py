"""The invoicing service, the FastAPI way: `uvicorn reference_app.main:app`.

`create_app()` builds the app; the lifespan opens the database engine (warming its pool)
and the shared upstream HTTP client, and closes both on shutdown.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.engine import make_url

from reference_app import http_compat
from reference_app.db import (
    connection_turns,
    ensure_sqlite_folder,
    make_engine,
    make_sessionmaker,
    ping,
)
from reference_app.errors import install_error_handlers
from reference_app.observability import (
    Metrics,
    RequestObservability,
    configure_logging,
    flush_logs,
    get_logger,
)
from reference_app.routers import clients, health, invoices, me
from reference_app.settings import Settings
from reference_app.upstream import make_client, tls_context

log = get_logger(__name__)

DESCRIPTION = (
    "The legacy invoicing API, served by FastAPI. Every call but the probes needs"
    " `Authorization: Bearer <token>`; every query is scoped to the caller's tenant, so another"
    ' tenant\'s ids answer 404. Errors are JSON `{"error": message}`, with `field` on validation'
    " errors."
)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    await ensure_sqlite_folder(settings.sqlalchemy_url)
    engine = make_engine(settings)
    app.state.metrics.watch_pool(engine)
    # Building the TLS context reads the CA bundle from disk: off the event loop.
    http_client = make_client(await run_in_threadpool(tls_context))
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.connection_turns = connection_turns(settings)
    app.state.http_client = http_client
    # Warm the pool with one connection; a database that is not up yet is not fatal:
    # /ready answers 503 until it is.
    if not await ping(engine, within=settings.ready_timeout):
        log.warning("database not reachable at startup", url=_safe_url(settings.sqlalchemy_url))
    try:
        yield
    finally:
        await http_client.close()
        await engine.dispose()
        flush_logs()


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _openapi_without_422(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """FastAPI documents a 422 for every route with parameters; this service never sends one
    (its validation errors are the legacy 400s), so the schema does not promise it."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = FastAPI.openapi(app)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                operation.get("responses", {}).pop("422", None)
        for name in ("HTTPValidationError", "ValidationError"):
            schema.get("components", {}).get("schemas", {}).pop(name, None)
        return schema

    return openapi


def create_app(database_url: str | None = None, *, settings: Settings | None = None) -> FastAPI:
    """The app; `database_url` wins over `settings` and $DATABASE_URL, else SQLite in ./instance."""
    settings = settings or Settings()
    if database_url is not None:
        settings = settings.model_copy(update={"database_url": database_url})
    configure_logging(settings.log_level)

    app = FastAPI(
        title="Invoicing API (reference FastAPI service)",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        redirect_slashes=False,
    )
    app.openapi = _openapi_without_422(app)  # type: ignore[method-assign]
    app.state.settings = settings
    app.state.metrics = Metrics()
    app.router.default = http_compat.route_not_found
    install_error_handlers(app)

    app.include_router(health.router)
    app.include_router(me.router)
    app.include_router(clients.router)
    app.include_router(invoices.router)

    # Added last runs first: observability sees every request, then Flask's HTTP rules apply.
    app.add_middleware(http_compat.FlaskHttpCompat)
    app.add_middleware(RequestObservability, metrics=app.state.metrics)
    return app


app = create_app()
