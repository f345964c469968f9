"""What Flask does for free, which clients come to rely on: the reference app keeps it."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import ACME

NOT_FOUND = (
    "The requested URL was not found on the server. If you entered the URL manually"
    " please check your spelling and try again."
)
ITEM_METHODS = {"GET", "HEAD", "OPTIONS", "PATCH", "DELETE"}


def allow(response: httpx.Response) -> set[str]:
    return set(response.headers["Allow"].split(", "))


def raw(path: str) -> httpx.URL:
    """A URL whose path httpx sends as written (no `//` host parsing, no dot removal)."""
    return httpx.URL("http://testserver").copy_with(raw_path=path.encode())


async def test_head_on_get_route_is_200_without_body(client: httpx.AsyncClient) -> None:
    get = await client.get("/clients", headers=ACME)
    response = await client.head("/clients", headers=ACME)
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-length"] == get.headers["content-length"]


async def test_head_needs_auth_and_sends_no_body(client: httpx.AsyncClient) -> None:
    response = await client.head("/clients")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.content == b""


async def test_head_on_post_only_route_is_405(client: httpx.AsyncClient) -> None:
    response = await client.head("/invoices/1/send", headers=ACME)
    assert response.status_code == 405
    assert allow(response) == {"POST", "OPTIONS"}


async def test_options_lists_allowed_methods(client: httpx.AsyncClient) -> None:
    response = await client.options("/clients/1", headers=ACME)
    assert response.status_code == 200
    assert allow(response) == ITEM_METHODS
    assert response.content == b""
    assert response.headers["content-type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/clients", {"GET", "HEAD", "POST", "OPTIONS"}),
        ("/invoices", {"GET", "HEAD", "POST", "OPTIONS"}),
        ("/invoices/export.csv", {"GET", "HEAD", "OPTIONS"}),
        ("/invoices/1/send", {"POST", "OPTIONS"}),
        ("/invoices/1/attachments", {"POST", "OPTIONS"}),
        ("/invoices/1/attachments/a.txt", {"GET", "HEAD", "OPTIONS"}),
        ("/me", {"GET", "HEAD", "OPTIONS"}),
    ],
)
async def test_options_on_every_path(
    client: httpx.AsyncClient, path: str, methods: set[str]
) -> None:
    response = await client.options(path, headers=ACME)
    assert (response.status_code, allow(response)) == (200, methods)


async def test_options_is_authenticated_except_on_probes(client: httpx.AsyncClient) -> None:
    assert (await client.options("/clients/1")).status_code == 401
    response = await client.options("/health")
    assert (response.status_code, allow(response)) == (200, {"GET", "HEAD", "OPTIONS"})
    assert (await client.options("/nope")).status_code == 404


@pytest.mark.parametrize("method", ["PUT", "POST", "TRACE", "PROPFIND"])
async def test_wrong_method_is_405_json_with_allow(client: httpx.AsyncClient, method: str) -> None:
    response = await client.request(method, "/invoices/1", headers=ACME, json={})
    assert response.status_code == 405
    assert response.json() == {"error": "The method is not allowed for the requested URL."}
    assert allow(response) == ITEM_METHODS


async def test_405_needs_no_token(client: httpx.AsyncClient) -> None:
    # werkzeug answered 405 while routing, before authentication.
    assert (await client.put("/clients/1")).status_code == 405


@pytest.mark.parametrize(
    "path",
    ["/clients/", "/invoices/", "/invoices/export.csv/", "/health/", "/invoices/1/attachments/"],
)
async def test_trailing_slash_is_404(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path, headers=ACME)
    assert response.status_code == 404
    assert response.json() == {"error": NOT_FOUND}


@pytest.mark.parametrize("path", ["/nope", "/docs/x", "/clients/1/x", "/invoices/1/send/x"])
async def test_unknown_path_is_404_json(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert response.json() == {"error": NOT_FOUND}


async def test_ids_match_werkzeugs_int_converter(client: httpx.AsyncClient) -> None:
    # \d+ as werkzeug compiled it: Unicode digits are digits; signs and dots are not.
    assert (await client.get("/clients/\u0661", headers=ACME)).json()["id"] == 1
    assert (await client.get("/clients/007", headers=ACME)).json() == {"error": "client not found"}
    too_long = "/clients/" + "1" * 5000  # more digits than Python turns into an int
    for path in ("/clients/+1", "/clients/-1", "/clients/1.0", "/clients/1e0", too_long):
        assert (await client.get(path, headers=ACME)).json() == {"error": NOT_FOUND}


async def test_extra_leading_slashes_are_ignored(client: httpx.AsyncClient) -> None:
    assert (await client.get(raw("//health"))).json() == {"status": "ok"}
    assert (await client.get(raw("///clients/1"), headers=ACME)).json()["id"] == 1


async def test_inner_double_slash_redirects_like_werkzeug(client: httpx.AsyncClient) -> None:
    response = await client.get(raw("/clients//1?x=1"), headers=ACME)
    assert response.status_code == 308
    assert response.headers["Location"] == "http://testserver/clients/1?x=1"
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert b"Redirecting..." in response.content
    # The merged path exists but not for this method: 405; no such merged path: 404.
    response = await client.post(raw("/clients//1"), headers=ACME)
    assert (response.status_code, allow(response)) == (405, ITEM_METHODS)
    assert (await client.get(raw("/clients//1/"), headers=ACME)).status_code == 404
    # Inside a path parameter the slashes are the parameter's own.
    response = await client.get(raw("/invoices/1/attachments/a//b"), headers=ACME)
    assert response.json() == {"error": "attachment not found"}


async def test_request_id_is_echoed_or_made(client: httpx.AsyncClient) -> None:
    echoed = await client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["X-Request-ID"] == "abc-123"
    made = (await client.get("/health")).headers["X-Request-ID"]
    assert len(made) == 32 and made != (await client.get("/health")).headers["X-Request-ID"]
    assert (
        len((await client.get("/health", headers={"X-Request-ID": ""})).headers["X-Request-ID"])
        == 32
    )


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/nope", 404),
        ("PUT", "/clients", 405),
        ("GET", "/clients", 401),
        ("OPTIONS", "/me", 401),
    ],
)
async def test_request_id_on_errors_too(
    client: httpx.AsyncClient, method: str, path: str, status: int
) -> None:
    response = await client.request(method, path, headers={"X-Request-ID": "err-1"})
    assert (response.status_code, response.headers["X-Request-ID"]) == (status, "err-1")
