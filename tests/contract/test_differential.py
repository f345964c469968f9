"""The differential rule and how a mismatch is printed."""

from __future__ import annotations

import json

from contract_tests.differential import Verdict, compare
from contract_tests.transport import Exchange, RawRequest, RawResponse

REQUEST = RawRequest("GET", "/clients/4", (("Authorization", "Bearer acme-token"),))


def answer(status: int, body: object, content_type: str = "application/json") -> Exchange:
    response = RawResponse(status, (("Content-Type", content_type),), json.dumps(body).encode())
    return Exchange(REQUEST, response)


def test_same_answers_pass() -> None:
    result = compare(answer(200, {"id": 1}), answer(200, {"id": 1}), forbidden=False)
    assert result.verdict is Verdict.SAME
    assert result.ok


def test_a_different_status_is_a_mismatch() -> None:
    result = compare(answer(404, {"error": "x"}), answer(200, {"id": 4}), forbidden=False)
    assert result.verdict is Verdict.MISMATCH
    assert "status: legacy 404, new 200" in result.differences


def test_a_different_body_or_content_type_is_a_mismatch() -> None:
    body = compare(answer(200, {"id": 1}), answer(200, {"id": 1, "tenant_id": 1}), forbidden=False)
    assert body.differences == ("body differs",)
    html = compare(answer(404, {}), answer(404, {}, "text/html"), forbidden=False)
    assert html.differences[0] == "content type: legacy application/json, new text/html"


def test_a_forbidden_request_may_be_refused_with_another_4xx() -> None:
    result = compare(answer(200, {"page": 1}), answer(400, {"error": "page"}), forbidden=True)
    assert result.verdict is Verdict.REFUSED_DIFFERENTLY
    assert result.ok
    assert result.summary == "forbidden request refused: legacy 200, new 400"


def test_a_forbidden_request_never_gets_a_5xx_or_an_unshared_success() -> None:
    crashed = compare(answer(400, {"error": "x"}), answer(500, {}), forbidden=True)
    assert crashed.verdict is Verdict.MISMATCH
    assert crashed.differences[0] == "the new app failed with 500"
    accepted = compare(answer(400, {"error": "x"}), answer(200, {"id": 1}), forbidden=True)
    assert accepted.verdict is Verdict.MISMATCH


def test_a_mismatch_prints_both_requests_both_responses_and_a_body_diff() -> None:
    text = compare(
        answer(404, {"error": "client not found"}), answer(200, {"id": 4}), forbidden=False
    ).describe()
    for part in (
        "status: legacy 404, new 200",
        "── legacy request ──",
        "GET /clients/4",
        "Authorization: Bearer acme-token",
        "── legacy response ──",
        '{"error": "client not found"}',
        "── new response ──",
        '{"id": 4}',
        '-  "error": "client not found"',
        '+  "id": 4',
    ):
        assert part in text, part


def test_when_the_legacy_app_fails_there_is_nothing_to_keep() -> None:
    result = compare(
        answer(500, {"error": "boom"}), answer(400, {"error": "name"}), forbidden=False
    )
    assert result.verdict is Verdict.LEGACY_FAILED
    assert result.ok
    assert result.summary == "the legacy app failed: legacy 500, new 400"
