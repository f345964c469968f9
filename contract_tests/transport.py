"""Requests and responses as plain values, and sending requests to an app in process.

Both apps must receive the same bytes for the same case. Schemathesis serialises requests
for ASGI apps with `requests` but builds WSGI requests with werkzeug, which differs in
places (werkzeug gives a multipart file part a Content-Type guessed from its file name;
`requests` sends none). So WSGI apps are reached through a `requests` session whose
adapter calls the app in process (`wsgi_session`): one serialisation for both apps.

Generated cases travel through Schemathesis (`case.call`); the explicit cases (malformed
JSON, trailing slashes, HEAD...) are raw requests sent with `send`. Either way the result
is an `Exchange`, which the differential comparison and the failure report read.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
import requests.adapters
import urllib3

from contract_tests.apps import AppUnderTest

if TYPE_CHECKING:
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


WSGI_BASE_URL = "http://localhost"


def send(app: AppUnderTest, request: RawRequest) -> Exchange:
    """Send `request` to `app` in process, redirects not followed."""
    from schemathesis.python import asgi

    started = time.time()
    if app.is_asgi:
        with asgi.get_client(app.target) as client:
            reply = _request(client, request, "")
    else:
        reply = _request(wsgi_session(app.target), request, WSGI_BASE_URL)
    response = RawResponse(reply.status_code, _pairs(reply.headers.items()), reply.content)
    return Exchange(request, response, started, time.time())


def _request(session: requests.Session, request: RawRequest, base_url: str) -> requests.Response:
    return session.request(
        request.method,
        base_url + request.target,
        headers=dict(request.headers),
        data=request.body,
        allow_redirects=False,
    )


_WSGI_SESSIONS: dict[int, tuple[Any, requests.Session]] = {}


def wsgi_session(app: Any) -> requests.Session:
    """A `requests` session whose requests to `WSGI_BASE_URL` are served by `app` in process."""
    cached = _WSGI_SESSIONS.get(id(app))
    if cached is not None and cached[0] is app:
        return cached[1]
    session = requests.Session()
    session.mount("http://", _WSGIAdapter(app))
    session.headers["User-Agent"] = "testclient"
    _WSGI_SESSIONS[id(app)] = (app, session)
    return session


class _WSGIAdapter(requests.adapters.HTTPAdapter):
    """Serve a prepared request with a WSGI app (werkzeug builds the environ from its bytes)."""

    def __init__(self, app: Any) -> None:
        super().__init__()
        self.app = app

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        import io

        from werkzeug.test import EnvironBuilder, run_wsgi_app

        url = urlsplit(str(request.url))
        body = request.body
        if body is not None and not isinstance(body, (bytes, str)):
            body = b"".join(chunk.encode() if isinstance(chunk, str) else chunk for chunk in body)
        builder = EnvironBuilder(
            path=url.path,
            base_url=f"{url.scheme}://{url.netloc}",
            query_string=url.query,
            method=str(request.method),
            headers=list(request.headers.items()),
            data=_body_bytes(body),
        )
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        app_iter, status, headers = run_wsgi_app(self.app, environ, buffered=True)
        try:
            content = b"".join(app_iter)
        finally:
            close = getattr(app_iter, "close", None)
            if close is not None:
                close()
        code, _, reason = status.partition(" ")
        raw = urllib3.HTTPResponse(
            body=io.BytesIO(content if request.method != "HEAD" else b""),
            headers=_header_dict(headers.items()),
            status=int(code),
            reason=reason,
            preload_content=False,
            decode_content=False,
            request_method=str(request.method),
        )
        response: requests.Response = self.build_response(request, raw)
        return response


def _header_dict(items: Iterable[tuple[str, str]]) -> urllib3.HTTPHeaderDict:
    found = urllib3.HTTPHeaderDict()
    for name, value in items:
        found.add(name, value)
    return found


def with_headers(request: RawRequest, extra: Mapping[str, str]) -> RawRequest:
    """`request` with `extra` headers added (an existing header of the same name is replaced)."""
    names = {name.lower() for name in extra}
    kept = tuple((k, v) for k, v in request.headers if k.lower() not in names)
    return RawRequest(request.method, request.target, kept + _pairs(extra.items()), request.body)
