"""Flask/werkzeug HTTP behaviour the legacy clients rely on, rebuilt on FastAPI routing.

What Flask did for free and FastAPI does differently (see docs/reference_app.md):

- HEAD is answered wherever GET is, with the GET headers and no body;
- OPTIONS answers 200 with `Allow` (after authentication, like any other method);
- a 405 lists every method of the path in `Allow`, plus HEAD and OPTIONS;
- `<int:…>` matches any run of digits (`\\d+`), `<path:…>` any non-empty path not starting with `/`;
- extra leading slashes are ignored, `//` inside a path redirects (308) to the merged path;
- a repeated query parameter means its first value (werkzeug's `MultiDict.get`).
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, urlencode

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from fastapi.routing import iter_route_contexts
from starlette.convertors import Convertor, register_url_convertor
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


class DigitsConvertor(Convertor[int]):
    """werkzeug's `int` converter: `\\d+` (any Unicode digits), unsigned, no `+`, `-` or `.`.

    Digits Python will not turn into an int (over `sys.get_int_max_str_digits()`) do not
    match, so they are a plain 404 as in werkzeug, never an error.
    """

    _limit = sys.get_int_max_str_digits()
    regex = rf"\d{{1,{_limit}}}" if _limit else r"\d+"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


class FilePathConvertor(Convertor[str]):
    """werkzeug's `path` converter: non-empty, may hold slashes, may not start with one."""

    regex = r"[^/].*?"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("digits", DigitsConvertor())
register_url_convertor("filepath", FilePathConvertor())


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method some route serves at `path`, as Flask's `Allow` lists them."""
    methods: set[str] = set()
    for route in iter_route_contexts(app.routes):
        regex = getattr(route, "path_regex", None)
        if regex is not None and route.methods and regex.match(path):
            methods |= route.methods
    if not methods:
        return []
    if "GET" in methods:
        methods.add("HEAD")
    methods.add("OPTIONS")
    known = [m for m in METHOD_ORDER if m in methods]
    return known + sorted(methods - set(METHOD_ORDER))


def allow_header(app: FastAPI, path: str) -> str:
    return ", ".join(allowed_methods(app, path))


def add_options_routes(router: APIRouter) -> None:
    """Give every path of `router` an OPTIONS route (hidden from OpenAPI) answering 200 + Allow.

    The routes carry the router's dependencies, so OPTIONS is authenticated wherever the
    other methods are, as it was in Flask.
    """
    paths = list(dict.fromkeys(getattr(route, "path", "") for route in router.routes))
    for path in paths:
        router.add_api_route(
            path.removeprefix(router.prefix),
            answer_options,
            methods=["OPTIONS"],
            include_in_schema=False,
            response_class=Response,
        )


async def answer_options(request: Request) -> Response:
    # Flask's automatic OPTIONS response: empty text/html body, the methods in Allow.
    return Response(
        status_code=200,
        headers={"Allow": allow_header(request.app, request.scope["path"])},
        media_type="text/html",
    )


async def route_not_found(scope: Scope, receive: Receive, send: Send) -> None:
    """The router's fallback when no route matches: werkzeug's `merge_slashes`, else 404.

    `/clients//1` is served by werkzeug as a 308 to `/clients/1` (or a 405 when the merged
    path exists but not for this method); anything else is a 404 in the legacy JSON shape.
    """
    path = scope["path"]
    merged = re.sub("/{2,}", "/", path)
    if merged != path:
        methods = allowed_methods(scope["app"], merged)
        if scope["method"] in methods:
            await _permanent_redirect(scope, merged)(scope, receive, send)
            return
        if methods:
            raise HTTPException(405, headers={"Allow": ", ".join(methods)})
    raise HTTPException(404)


def _permanent_redirect(scope: Scope, path: str) -> Response:
    # werkzeug's RequestRedirect: an absolute URL, the query kept, a small HTML body.
    host = Headers(scope=scope).get("host") or _server_host(scope)
    location = f"{scope.get('scheme', 'http')}://{host}{quote(path, safe='/:@&$!()*+,;=~')}"
    if scope.get("query_string"):
        location += "?" + scope["query_string"].decode("latin-1")
    escaped = _markupsafe_escape(location)
    body = (
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n"
        "<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: "
        f'<a href="{escaped}">{escaped}</a>. If not, click the link.\n'
    )
    return Response(body, status_code=308, headers={"Location": location}, media_type="text/html")


def _server_host(scope: Scope) -> str:
    server = scope.get("server")
    if not server:
        return "localhost"
    host, port = server[0], server[1]
    default = {"http": 80, "https": 443}.get(scope.get("scheme", "http"))
    return host if port in (None, default) else f"{host}:{port}"


def _markupsafe_escape(text: str) -> str:
    for raw, escaped in (
        ("&", "&amp;"),
        (">", "&gt;"),
        ("<", "&lt;"),
        ("'", "&#39;"),
        ('"', "&#34;"),
    ):
        text = text.replace(raw, escaped)
    return text


class _HeadBodySent(Exception):
    """Raised into a streaming response once a HEAD answer is complete, to stop its work."""


class FlaskHttpCompat:
    """Pure ASGI middleware for what must happen before routing (see the module docstring).

    Rewrites run on a copy of the scope; the matched route is handed back to the caller's
    scope afterwards, so outer middleware can label metrics with the route template.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        inner = _rewritten(scope)
        if scope["method"] == "HEAD":
            inner["method"] = "GET"
            with contextlib.suppress(_HeadBodySent):
                await self.app(inner, receive, _without_body(send))
        else:
            await self.app(inner, receive, send)
        if inner is not scope and "route" in inner:
            scope["route"] = inner["route"]


def _rewritten(scope: Scope) -> Scope:
    changes: dict[str, object] = {}
    path: str = scope["path"]
    if path.startswith("//"):
        changes["path"] = "/" + path.lstrip("/")
    query = scope.get("query_string", b"")
    if query:
        pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
        first = _first_values(pairs)
        if len(first) != len(pairs):
            changes["query_string"] = urlencode(first).encode("latin-1")
    if not changes and scope["method"] != "HEAD":
        return scope
    return {**scope, **changes}


def _first_values(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for key, value in pairs:
        seen.setdefault(key, value)
    return list(seen.items())


def _without_body(send: Send) -> Send:
    finished = False

    async def send_headers_only(message: Message) -> None:
        nonlocal finished
        if message["type"] != "http.response.body":
            await send(message)
            return
        if finished:
            raise _HeadBodySent
        finished = True
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    return send_headers_only
