"""Request ids, one structured JSON log line per request, and Prometheus metrics.

`RequestObservability` is the outermost middleware: it sees every request, including the
ones that end in 404/405 before any route runs and the ones that fail with a bug, so the
log line, the metrics and the `X-Request-ID` echo never miss one.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import sys
import time
import uuid
from typing import Any

import structlog
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from structlog.tracebacks import ExceptionDictTransformer

from reference_app.log_writer import BatchedLineWriter

LOGGER_NAME = "reference_app"
REQUEST_ID_HEADER = "X-Request-ID"
UNMATCHED_ROUTE = "<unmatched>"
# The body Flask's error handler gives an unhandled exception; kept so clients see no change.
INTERNAL_ERROR = (
    "The server encountered an internal error and was unable to complete your request."
    " Either the server is overloaded or there is an error in the application."
)
METRICS_CONTENT_TYPE = CONTENT_TYPE_LATEST
# nginx's status for a request whose client went away before the answer: logged and counted,
# never sent (there is nobody to send it to), and not an error of the service.
CLIENT_CLOSED_REQUEST = 499


def configure_logging(level: str = "INFO") -> None:
    """structlog → the `reference_app` stdlib logger → one JSON object per line on stdout.

    Lines are written by a background thread in batches (`log_writer`), so a slow stdout
    (a full pipe, a struggling log shipper) never blocks the event loop.
    """
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            # Frame locals stay out of logs: they hold tokens and request bodies, and made
            # one traceback line weigh ~180 KB.
            structlog.processors.ExceptionRenderer(ExceptionDictTransformer(show_locals=False)),
            structlog.processors.JSONRenderer(),
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(level.upper())
    logger.propagate = False
    global _writer
    if _writer is None:
        _writer = BatchedLineWriter(sys.stdout)
        _writer.setFormatter(logging.Formatter("%(message)s"))
        atexit.register(_writer.close)
        logger.addHandler(_writer)


_writer: BatchedLineWriter | None = None


def flush_logs() -> None:
    """Write out the lines still waiting (at shutdown: uvicorn may end the process by the
    signal it caught, and then no exit handler runs)."""
    if _writer is not None:
        _writer.flush()


def get_logger(name: str) -> Any:
    """A structlog logger writing through `reference_app.<module>`."""
    if not name.startswith(LOGGER_NAME):
        name = f"{LOGGER_NAME}.{name}"
    return structlog.stdlib.get_logger(name)


log = get_logger(__name__)


class Metrics:
    """Request count and latency per route template and status, and DB connections in use.

    Each app gets its own registry. With PROMETHEUS_MULTIPROC_DIR set (several gunicorn
    workers), values go to that directory and `/metrics` sums every worker's.
    """

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        labels = ["method", "route", "status"]
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests answered, by method, route template and status.",
            labels,
            registry=self.registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "Time from request to the end of the response body, in seconds.",
            labels,
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        self.db_connections_in_use = Gauge(
            "db_pool_connections_in_use",
            "Database connections checked out of the pool right now.",
            registry=self.registry,
            multiprocess_mode="livesum",
        )

    def watch_pool(self, engine: AsyncEngine) -> None:
        """Follow the engine's pool: +1 on checkout, -1 on checkin."""
        event.listen(engine.sync_engine, "checkout", self._checked_out)
        event.listen(engine.sync_engine, "checkin", self._checked_in)

    def _checked_out(self, *_: object) -> None:
        self.db_connections_in_use.inc()

    def _checked_in(self, *_: object) -> None:
        self.db_connections_in_use.dec()

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route, str(status)).observe(seconds)

    def exposition(self) -> bytes:
        """The text format Prometheus scrapes."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            return generate_latest(registry)
        return generate_latest(self.registry)


def route_template(scope: Scope) -> str:
    """The matched route's path template (`/invoices/{invoice_id}`), never the raw path."""
    route = scope.get("route")
    template = getattr(route, "path_format", None)
    return template if isinstance(template, str) else UNMATCHED_ROUTE


class RequestObservability:
    """Pure ASGI middleware: request id in and out, a JSON log line and metrics per request.

    It also turns an unhandled exception into the legacy 500 body (with the request id),
    after logging it with its traceback.
    """

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = Headers(scope=scope).get(REQUEST_ID_HEADER) or uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        status = 500
        response_started = False

        async def send_with_request_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_request_id)
            except ClientDisconnect:
                status = CLIENT_CLOSED_REQUEST
            except Exception:
                log.exception("unhandled error", method=scope["method"], path=scope["path"])
                status = 500
                if not response_started:
                    await _send_internal_error(send, request_id)
            finally:
                seconds = time.perf_counter() - started
                log.info(
                    "request",
                    method=scope["method"],
                    path=scope["path"],
                    status=status,
                    latency_ms=round(seconds * 1000, 3),
                    tenant=state.get("tenant"),
                    request_id=request_id,
                )
                self.metrics.observe(scope["method"], route_template(scope), status, seconds)


async def _send_internal_error(send: Send, request_id: str) -> None:
    body = json.dumps({"error": INTERNAL_ERROR}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (REQUEST_ID_HEADER.lower().encode(), request_id.encode("latin-1")),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
