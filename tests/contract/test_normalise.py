"""What the differential comparison ignores, and what it does not."""

from __future__ import annotations

import datetime as dt
import json
import time

from contract_tests.normalise import (
    NOW,
    comparable_body,
    compared_headers,
    content_type_key,
    normalise_json,
    normalise_text,
    render_body,
)
from contract_tests.transport import Exchange, RawRequest, RawResponse


def exchange(body: object, content_type: str = "application/json", **headers: str) -> Exchange:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    now = time.time()
    response = RawResponse(200, (("Content-Type", content_type), *headers.items()), raw)
    return Exchange(RawRequest("GET", "/x"), response, now - 0.01, now)


def test_timestamps_made_during_the_request_become_now() -> None:
    now = time.time()
    fresh = dt.datetime.fromtimestamp(now, dt.UTC).isoformat()
    seeded = "2024-01-15T10:00:00+00:00"
    value = {"created_at": fresh, "sent_at": seeded, "items": [fresh]}
    assert normalise_json(value, now - 0.1, now + 0.1) == {
        "created_at": NOW,
        "sent_at": seeded,
        "items": [NOW],
    }


def test_naive_and_z_suffixed_request_times_count_as_utc() -> None:
    now = time.time()
    naive = dt.datetime.fromtimestamp(now, dt.UTC).replace(tzinfo=None).isoformat()
    zulu = dt.datetime.fromtimestamp(now, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert normalise_json([naive, zulu], now, now) == [NOW, NOW]


def test_timestamps_in_csv_text_are_normalised_too() -> None:
    now = time.time()
    fresh = dt.datetime.fromtimestamp(now, dt.UTC).isoformat()
    text = (
        f"INV-00009,Acme,10.00,EUR,draft,,{fresh}\n"
        "INV-00001,Acme,1.00,EUR,paid,,2024-01-16T09:00:00+00:00\n"
    )
    assert normalise_text(text, now, now) == (
        f""
        f"INV-00009,Acme,10.00,EUR,draft,,{NOW}\nINV-00001,Acme,1.00,EUR,paid,,2024-01-16T09:00:00+00:00\n"
    )


def test_json_is_compared_parsed_with_strict_number_and_boolean_types() -> None:
    assert comparable_body(exchange({"a": 1, "b": 2})) == comparable_body(
        exchange({"b": 2, "a": 1})
    )
    assert comparable_body(exchange({"a": 1})) != comparable_body(exchange({"a": 1.0}))
    assert comparable_body(exchange({"a": True})) != comparable_body(exchange({"a": 1}))
    assert comparable_body(exchange(b'{"a": 1}\n')) == comparable_body(exchange(b'{"a":1}'))


def test_non_json_bodies_are_compared_as_text_or_bytes() -> None:
    assert comparable_body(exchange(b"<p>x</p>", "text/html; charset=utf-8")) == "<p>x</p>"
    assert comparable_body(exchange(b"\xff\x00", "application/pdf")) == b"\xff\x00"


def test_content_type_compares_media_type_and_charset() -> None:
    assert content_type_key(exchange({}).response) == ("application/json", "")
    html = exchange(b"", "text/HTML; Charset=UTF-8").response
    assert content_type_key(html) == ("text/html", "utf-8")


def test_allow_is_a_set_and_local_locations_lose_their_host() -> None:
    one = exchange({}, Allow="GET, HEAD, OPTIONS", Location="http://localhost/clients?page=2")
    two = exchange({}, Allow="OPTIONS,GET,HEAD", Location="http://testserver/clients?page=2")
    assert compared_headers(one.response) == compared_headers(two.response)
    assert compared_headers(one.response)["location"] == "/clients?page=2"
    elsewhere = exchange({}, Location="https://example.com/x")
    assert compared_headers(elsewhere.response)["location"] == "https://example.com/x"


def test_request_ids_and_other_headers_are_not_compared() -> None:
    headers = compared_headers(exchange({}, **{"X-Request-ID": "abc", "Date": "today"}).response)
    assert headers == {}


def test_render_body_shows_json_with_its_original_types() -> None:
    assert json.loads(render_body(comparable_body(exchange({"a": 1.5, "b": [True]})))) == {
        "a": 1.5,
        "b": [True],
    }
    assert render_body(b"") == "(empty)"


def test_a_response_without_a_body_has_no_content_type_to_compare() -> None:
    flask = RawResponse(204, (("Content-Type", "text/html; charset=utf-8"),))
    starlette = RawResponse(204, ())
    assert content_type_key(flask) == content_type_key(starlette)
    assert comparable_body(Exchange(RawRequest("DELETE", "/x"), flask)) == comparable_body(
        Exchange(RawRequest("DELETE", "/x"), starlette)
    )
