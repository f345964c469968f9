"""Calling the app as an ASGI server does, for tests that must see single messages
(httpx's ASGITransport joins a body's messages and always sends the whole request)."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import Scope


def http_scope(method: str, path: str, headers: Mapping[str, str]) -> Scope:
    """The scope of an HTTP/1.1 request to `path` on testserver, from 127.0.0.1."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(name.lower().encode(), value.encode()) for name, value in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
