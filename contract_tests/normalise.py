"""What is compared between the legacy and the new app's answers, after a small normalisation.

Compared: the status code; the media type and charset; a few headers clients read
(`COMPARED_HEADERS`, `Allow` as a set); the body: parsed JSON for JSON responses (types
kept strict: `1` is not `1.0`, `true` is not `1`), else the bytes.

Normalised before comparing (the whole list; docs/contract.md repeats it):
1. A timestamp made at request time: an ISO 8601 date-time string (in JSON or in a CSV/text
   body) that falls within the request's own wall-clock window (±2 s) becomes `<now>`.
   Seeded timestamps are fixed in the past, so only fresh `created_at` / `sent_at` match.
2. Request ids: `X-Request-ID` and every header not in `COMPARED_HEADERS` are not compared.
3. An absolute `Location` on the in-process host (`localhost` for WSGI, `testserver` for
   ASGI) is compared by its path and query.
4. A 204 or 304 response has no body, so its Content-Type is not compared (Flask labels
   an empty 204 `text/html`; Starlette sends none).

Ids are compared as they are: both databases start identical and are reset together, so
a different id is a real difference (clients see it in bodies and `Location`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from urllib.parse import urlsplit

from contract_tests.transport import Exchange, RawResponse

NOW = "<now>"
WINDOW_SLACK_S = 2.0
IN_PROCESS_HOSTS = ("localhost", "testserver")
COMPARED_HEADERS = ("location", "allow", "www-authenticate", "content-disposition")
_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:?\d{2})?"
)


def _is_request_time(text: str, started: float, finished: float) -> bool:
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    moment = value.timestamp()
    return started - WINDOW_SLACK_S <= moment <= finished + WINDOW_SLACK_S


def normalise_json(value: Any, started: float, finished: float) -> Any:
    """`value` with request-time timestamps replaced by `<now>`."""
    if isinstance(value, dict):
        return {k: normalise_json(v, started, finished) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise_json(v, started, finished) for v in value]
    if isinstance(value, str) and _TIMESTAMP.fullmatch(value):
        return NOW if _is_request_time(value, started, finished) else value
    return value


def normalise_text(text: str, started: float, finished: float) -> str:
    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        return NOW if _is_request_time(found, started, finished) else found

    return _TIMESTAMP.sub(replace, text)


def is_json(response: RawResponse) -> bool:
    media_type = response.media_type
    return media_type == "application/json" or media_type.endswith("+json")


def comparable_body(exchange: Exchange) -> Any:
    """The body as compared: normalised JSON, normalised text, or bytes."""
    response = exchange.response
    if not response.body:
        return b""
    if is_json(response):
        try:
            parsed = json.loads(response.body)
        except ValueError:
            return response.body
        return tag_types(normalise_json(parsed, exchange.started, exchange.finished))
    if response.media_type.startswith("text/"):
        try:
            text = response.body.decode()
        except UnicodeDecodeError:
            return response.body
        return normalise_text(text, exchange.started, exchange.finished)
    return response.body


def tag_types(value: Any) -> Any:
    """JSON with its number and boolean types made explicit, so `1 == 1.0` stops being true."""
    if isinstance(value, dict):
        return {k: tag_types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [tag_types(v) for v in value]
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, float):
        return ("float", value)
    return value


def untag_types(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: untag_types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [untag_types(v) for v in value]
    if isinstance(value, tuple):
        return value[1]
    return value


NO_BODY_STATUSES = (204, 304)


def content_type_key(response: RawResponse) -> tuple[str, str]:
    """(media type, charset): `application/json` and `application/json; charset=utf-8` differ."""
    if response.status in NO_BODY_STATUSES:
        return "", ""
    raw = response.header("content-type") or ""
    media_type, *params = (part.strip() for part in raw.split(";"))
    charset = ""
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.lower(), charset


def compared_headers(response: RawResponse) -> dict[str, Any]:
    """The headers clients read, `Allow` as a set of methods."""
    found: dict[str, Any] = {}
    for name in COMPARED_HEADERS:
        value = response.header(name)
        if value is None:
            continue
        if name == "location":
            found[name] = _local_location(value)
        elif name == "allow":
            found[name] = frozenset(m.strip().upper() for m in value.split(",") if m.strip())
        else:
            found[name] = value
    return found


def _local_location(value: str) -> str:
    url = urlsplit(value)
    if url.scheme in ("http", "https") and url.hostname in IN_PROCESS_HOSTS:
        return url.path + (f"?{url.query}" if url.query else "")
    return value


def render_body(body: Any) -> str:
    """A comparable body as readable text (pretty JSON, text, or a bytes summary)."""
    if isinstance(body, bytes):
        if not body:
            return "(empty)"
        try:
            return body.decode()
        except UnicodeDecodeError:
            return f"({len(body)} bytes of binary data)"
    if isinstance(body, str):
        return body if body else "(empty)"
    return json.dumps(untag_types(body), indent=2, sort_keys=True, ensure_ascii=False)
