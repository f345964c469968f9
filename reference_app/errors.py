"""Every error leaves as the legacy JSON body: `{"error": message}`, plus `field` on 400s
raised by body validation. Headers an exception carries (Allow, WWW-Authenticate) are kept.
"""

from __future__ import annotations

import http
import socket
from typing import Annotated, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, WithJsonSchema
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException

from reference_app import http_compat
from reference_app.observability import get_logger

log = get_logger(__name__)
DATABASE_UNAVAILABLE = "the database is unavailable: try again"

# werkzeug's descriptions, which the legacy service sent for errors raised without a message
# (an unknown path, a wrong method, an unreadable or too large body).
WERKZEUG_DESCRIPTIONS = {
    400: "The browser (or proxy) sent a request that this server could not understand.",
    404: (
        "The requested URL was not found on the server. If you entered the URL manually"
        " please check your spelling and try again."
    ),
    405: "The method is not allowed for the requested URL.",
    413: "The data value transmitted exceeds the capacity limit.",
    415: "The server does not support the media type transmitted in the request.",
}


class ErrorBody(BaseModel):
    """The legacy error shape."""

    model_config = ConfigDict(extra="forbid")

    error: str
    field: Annotated[
        str | None,
        WithJsonSchema({"type": "string", "description": "The offending field, on 400s."}),
    ] = None


def message_for(exc: HTTPException) -> str:
    """The exception's own message, or werkzeug's description when it was raised without one."""
    default = http.HTTPStatus(exc.status_code).phrase if exc.status_code in _KNOWN else None
    if exc.detail == default:
        return WERKZEUG_DESCRIPTIONS.get(exc.status_code, str(exc.detail))
    return str(exc.detail)


_KNOWN = {status.value for status in http.HTTPStatus}


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = http_compat.allow_header(request.app, request.scope["path"]) or (
            headers.get("Allow", "")
        )
    if exc.status_code == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse({"error": message_for(exc)}, status_code=exc.status_code, headers=headers)


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    """A 400 naming the first offending field, as the legacy validators reported it."""
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0]
    location = [str(part) for part in first.get("loc", ())]
    field = location[-1] if location else "body"
    return JSONResponse({"error": first.get("msg", "invalid"), "field": field}, status_code=400)


async def database_error(request: Request, exc: Exception) -> JSONResponse:
    """The database out of reach is a 503 the client can retry, not a 500: a connection it
    dropped (a restart, a failover; SQLAlchemy has already invalidated the pool, so the retry
    gets a new connection), or one that cannot be opened. Any other database error is a
    bug, left to the 500 path. (The upstream client handles its own network errors, so a
    network error that gets here comes from the database.)"""
    if isinstance(exc, DBAPIError) and not exc.connection_invalidated:
        raise exc
    reason = str(getattr(exc, "orig", None) or exc) or type(exc).__name__
    log.warning("database unavailable", error=reason.splitlines()[0])
    return JSONResponse(
        {"error": DATABASE_UNAVAILABLE}, status_code=503, headers={"Retry-After": "1"}
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    for unreachable in (DBAPIError, ConnectionError, TimeoutError, socket.gaierror):
        app.add_exception_handler(unreachable, database_error)


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: the legacy error statuses it can answer, for OpenAPI."""
    return {status: _RESPONSES[status] for status in statuses}


_RESPONSES: dict[int, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "The request body or a parameter is invalid."},
    401: {
        "model": ErrorBody,
        "description": "No bearer token, or an unknown one.",
        "headers": {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}},
    },
    404: {"model": ErrorBody, "description": "No such resource in the caller's tenant."},
    409: {"model": ErrorBody, "description": "The resource's state forbids the change."},
    413: {"model": ErrorBody, "description": "The file is larger than 5 MiB."},
    415: {"model": ErrorBody, "description": "The body is not application/json."},
    502: {
        "model": ErrorBody,
        "description": "The notification service could not be reached or refused the delivery.",
    },
}
