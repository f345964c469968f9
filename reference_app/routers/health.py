"""Liveness, readiness and metrics; no authentication."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from reference_app.db import ping
from reference_app.deps import EngineDep, SettingsDep
from reference_app.http_compat import add_options_routes
from reference_app.observability import METRICS_CONTENT_TYPE, Metrics
from reference_app.schemas import Health, Ready

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=Health,
    operation_id="health",
    summary="Liveness probe (no database)",
)
async def health() -> Health:
    return Health(status="ok")


@router.get(
    "/ready",
    response_model=Ready,
    operation_id="ready",
    summary="Readiness probe (one database round trip)",
    responses={503: {"model": Ready, "description": "The database does not answer."}},
)
async def ready(response: Response, engine: EngineDep, settings: SettingsDep) -> Ready:
    if await ping(engine, within=settings.ready_timeout):
        return Ready(status="ready")
    response.status_code = 503
    return Ready(status="unavailable")


@router.get("/metrics", include_in_schema=False, response_class=Response)
async def metrics(request: Request) -> Response:
    registry: Metrics = request.app.state.metrics
    # With several workers the values are files on disk: read them in a worker thread.
    return Response(await run_in_threadpool(registry.exposition), media_type=METRICS_CONTENT_TYPE)


add_options_routes(router)
