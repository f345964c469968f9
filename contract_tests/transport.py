"""Requests and responses as plain values, and sending a raw request to an app in process.

Generated cases travel through Schemathesis (`case.call(app=...)`); the explicit cases
(malformed JSON, trailing slashes, HEAD...) need requests Schemathesis will not build, so
they go through the same in-process clients here. Either way the result is an `Exchange`,
which the differential comparison and the failure report read.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from contract_tests.apps import AppUnderTest

if TYPE_CHECKING:
    import requests
    from schemathesis.core.transport import Response as SchemathesisResponse

Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class RawRequest:
    method: str
    target: str  # path and query, as sent
    headers: Headers = ()
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return _header(self.headers, name)


@dataclass(frozen=True)
class RawResponse:
    status: int
    headers: Headers = ()
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return _header(self.headers, name)

    @property
    def media_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    def json(self) -> Any:
        """The parsed JSON body; raises ValueError when there is none."""
        return json.loads(self.body)


@dataclass(frozen=True)
class Exchange:
    """One request and its response, with the wall-clock window it happened in."""

    request: RawRequest
    response: RawResponse
    started: float = field(default=0.0, compare=False)
    finished: float = field(default=0.0, compare=False)


def _header(headers: Headers, name: str) -> str | None:
    wanted = name.lower()
    values = [value for key, value in headers if key.lower() == wanted]
    return ", ".join(values) if values else None


def _pairs(items: Iterable[tuple[str, str]]) -> Headers:
    return tuple((str(k), str(v)) for k, v in items)


def _body_bytes(body: bytes | str | None) -> bytes:
    if body is None:
        return b""
    return body.encode() if isinstance(body, str) else body


def request_from_prepared(prepared: requests.PreparedRequest) -> RawRequest:
    url = urlsplit(str(prepared.url))
    target = url.path + (f"?{url.query}" if url.query else "")
    body = prepared.body
    raw = _body_bytes(body) if isinstance(body, (bytes, str, type(None))) else repr(body).encode()
    return RawRequest(str(prepared.method), target, _pairs(prepared.headers.items()), raw)


def exchange_from_schemathesis(
    response: SchemathesisResponse, started: float, finished: float
) -> Exchange:
    """Turn what `case.call` returned into an `Exchange`."""
    headers = _pairs((name, value) for name, values in response.headers.items() for value in values)
    return Exchange(
        request_from_prepared(response.request),
        RawResponse(response.status_code, headers, response.content),
        started,
        finished,
    )


def send(app: AppUnderTest, request: RawRequest) -> Exchange:
    """Send `request` to `app` in process (WSGI through werkzeug, ASGI through Schemathesis)."""
    started = time.time()
    response = _send_asgi(app, request) if app.is_asgi else _send_wsgi(app, request)
    return Exchange(request, response, started, time.time())


def _send_wsgi(app: AppUnderTest, request: RawRequest) -> RawResponse:
    from werkzeug.test import Client

    client = Client(app.target)
    path, _, query = request.target.partition("?")
    reply = client.open(
        path,
        method=request.method,
        query_string=query,
        headers=list(request.headers),
        data=request.body,
    )
    try:
        return RawResponse(reply.status_code, _pairs(reply.headers.items()), reply.get_data())
    finally:
        reply.close()


def _send_asgi(app: AppUnderTest, request: RawRequest) -> RawResponse:
    from schemathesis.python import asgi

    with asgi.get_client(app.target) as client:
        reply = client.request(
            request.method,
            request.target,
            headers=dict(request.headers),
            data=request.body,
            allow_redirects=False,
        )
    return RawResponse(reply.status_code, _pairs(reply.headers.items()), reply.content)


def with_headers(request: RawRequest, extra: Mapping[str, str]) -> RawRequest:
    """`request` with `extra` headers added (an existing header of the same name is replaced)."""
    names = {name.lower() for name in extra}
    kept = tuple((k, v) for k, v in request.headers if k.lower() not in names)
    return RawRequest(request.method, request.target, kept + _pairs(extra.items()), request.body)
