"""Reading request bodies the way the legacy service did, at the point its views did.

FastAPI parses a declared body before any dependency runs, so a declared body would answer
400/413 where the legacy service answered 401 (no token) or 404 (unknown id) first. The
routes therefore read the body themselves, after authentication and the lookups, with
werkzeug's rules: what counts as JSON, when a body is too large (only once it is read),
what a malformed body answers; then validate it with the Pydantic models in `schemas`.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from typing import Any

from fastapi import HTTPException, Request
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

# Flask 3.1's limits for the non-file parts of a form.
MAX_FORM_MEMORY_SIZE = 500_000
MAX_FORM_PARTS = 1000

NOT_JSON = "request body must be application/json"
NOT_JSON_WERKZEUG = (
    "Did not attempt to load JSON data because the request Content-Type was not 'application/json'."
)


def mimetype(request: Request) -> str:
    """The content type without parameters, lower-cased (werkzeug's `request.mimetype`)."""
    return request.headers.get("content-type", "").partition(";")[0].strip().lower()


def is_json(request: Request) -> bool:
    """werkzeug's `request.is_json`: application/json or application/*+json."""
    kind = mimetype(request)
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


def require_json(request: Request) -> None:
    """The legacy `@json_body` decorator: 415 unless the body is declared JSON."""
    if not is_json(request):
        raise HTTPException(415, NOT_JSON)


def content_length(request: Request) -> int | None:
    try:
        return int(request.headers["content-length"])
    except (KeyError, ValueError):
        return None


async def limited_stream(request: Request, limit: int) -> AsyncGenerator[bytes, None]:
    """The body, chunk by chunk; 413 as soon as it is (or says it will be) over `limit`."""
    length = content_length(request)
    if length is not None and length > limit:
        raise HTTPException(413)
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise HTTPException(413)
        yield chunk


async def read_body(request: Request, limit: int) -> bytes:
    return b"".join([chunk async for chunk in limited_stream(request, limit)])


async def get_json(request: Request, *, limit: int, silent: bool = False) -> Any:
    """Flask's `request.get_json(silent=…)`.

    Not JSON: 415 (None when silent). Too large: 413 (even when silent). Unparsable: 400
    (None when silent). Parsed with the standard library, as Flask does (UTF-8/16/32).
    """
    if not is_json(request):
        if silent:
            return None
        raise HTTPException(415, NOT_JSON_WERKZEUG)
    body = await read_body(request, limit)
    try:
        return json.loads(body)
    except ValueError:
        if silent:
            return None
        raise HTTPException(400) from None
    except RecursionError:  # nested too deep: the legacy service answers 400 even when silent
        raise HTTPException(400) from None


async def get_upload(
    request: Request, field: str, *, limit: int
) -> tuple[UploadFile | None, FormData]:
    """The first file sent as multipart field `field` (werkzeug's `request.files.get(field)`).

    A body that is not a parsable multipart form holds no file. The form is returned too;
    the caller closes it, which removes spooled temporary files.
    """
    length = content_length(request)
    kind = mimetype(request)
    if request.headers.get("content-type") and length is not None and length > limit:
        raise HTTPException(413)
    if kind == "application/x-www-form-urlencoded" and (length or 0) > MAX_FORM_MEMORY_SIZE:
        raise HTTPException(413)
    if kind != "multipart/form-data":
        return None, FormData()
    parser = MultiPartParser(
        request.headers,
        limited_stream(request, limit),
        max_files=MAX_FORM_PARTS,
        max_fields=MAX_FORM_PARTS,
        max_part_size=MAX_FORM_MEMORY_SIZE,
    )
    try:
        form = await parser.parse()
    except MultiPartException as error:
        if "exceeded" in error.message or "Too many" in error.message:
            raise HTTPException(413) from None
        return None, FormData()
    upload = next((v for v in form.getlist(field) if isinstance(v, UploadFile)), None)
    return upload, form
