"""The differential rule: the same request to the legacy and the new app, answers compared.

For a request the contract allows, the two answers must be the same after normalisation
(`contract_tests.normalise`): status, media type and charset, the headers clients read, body.
For a request the contract forbids, the new app may instead answer any 4xx (the legacy
status is recorded beside it), never a 5xx, and never a success the legacy app did not give.
When the legacy app itself fails (5xx) there is no behaviour to keep: the pair is recorded,
and the conformance checks alone judge the new app's answer (a 5xx from both is an
inherited `not_a_server_error`).
"""

from __future__ import annotations

import difflib
import enum
from dataclasses import dataclass

from contract_tests.normalise import (
    comparable_body,
    compared_headers,
    content_type_key,
    render_body,
)
from contract_tests.transport import Exchange, RawRequest, RawResponse

MAX_SHOWN_BODY = 2000


class Verdict(enum.StrEnum):
    SAME = "same"
    # Different, and allowed: a request the contract forbids, refused by the new app with a 4xx.
    REFUSED_DIFFERENTLY = "refused differently"
    # Different, and nothing to keep: the legacy app answered 5xx.
    LEGACY_FAILED = "legacy failed"
    MISMATCH = "mismatch"


@dataclass(frozen=True)
class Comparison:
    verdict: Verdict
    differences: tuple[str, ...]
    legacy: Exchange
    new: Exchange

    @property
    def ok(self) -> bool:
        return self.verdict is not Verdict.MISMATCH

    @property
    def summary(self) -> str:
        return "; ".join(self.differences) if self.differences else "same answer"

    def describe(self) -> str:
        """Both requests and both responses, and what differs: what a failure prints."""
        return describe_pair(self.summary, self.legacy, self.new)


def compare(legacy: Exchange, new: Exchange, *, forbidden: bool) -> Comparison:
    """Compare two answers to the same request; `forbidden`: the contract disallows the request."""
    differences = list(differences_between(legacy, new))
    if not differences:
        return Comparison(Verdict.SAME, (), legacy, new)
    new_status = new.response.status
    if legacy.response.status >= 500:
        note = f"the legacy app failed: legacy {legacy.response.status}, new {new_status}"
        return Comparison(Verdict.LEGACY_FAILED, (note,), legacy, new)
    if new_status >= 500:
        differences.insert(0, f"the new app failed with {new_status}")
        return Comparison(Verdict.MISMATCH, tuple(differences), legacy, new)
    if forbidden and 400 <= new_status < 500:
        note = f"forbidden request refused: legacy {legacy.response.status}, new {new_status}"
        return Comparison(Verdict.REFUSED_DIFFERENTLY, (note,), legacy, new)
    return Comparison(Verdict.MISMATCH, tuple(differences), legacy, new)


def differences_between(legacy: Exchange, new: Exchange) -> list[str]:
    old_r, new_r = legacy.response, new.response
    found: list[str] = []
    if old_r.status != new_r.status:
        found.append(f"status: legacy {old_r.status}, new {new_r.status}")
    old_ct, new_ct = content_type_key(old_r), content_type_key(new_r)
    if old_ct != new_ct:
        found.append(f"content type: legacy {_ct(old_ct)}, new {_ct(new_ct)}")
    old_h, new_h = compared_headers(old_r), compared_headers(new_r)
    for name in sorted(set(old_h) | set(new_h)):
        if old_h.get(name) != new_h.get(name):
            found.append(
                f"header {name}: legacy {_hv(old_h.get(name))}, new {_hv(new_h.get(name))}"
            )
    if comparable_body(legacy) != comparable_body(new):
        found.append("body differs")
    return found


def _ct(key: tuple[str, str]) -> str:
    media_type, charset = key
    shown = media_type or "(none)"
    return f"{shown}; charset={charset}" if charset else shown


def _hv(value: object) -> str:
    if value is None:
        return "(absent)"
    if isinstance(value, frozenset):
        return "{" + ", ".join(sorted(value)) + "}"
    return repr(value)


def describe_pair(title: str, legacy: Exchange, new: Exchange) -> str:
    lines = [title, "", "── legacy request ──", *render_request(legacy.request)]
    lines += ["── legacy response ──", *render_response(legacy.response)]
    lines += ["── new request ──", *render_request(new.request)]
    lines += ["── new response ──", *render_response(new.response)]
    old_body = render_body(comparable_body(legacy)).splitlines()
    new_body = render_body(comparable_body(new)).splitlines()
    if old_body != new_body:
        lines.append("── body diff (normalised; - legacy, + new) ──")
        lines += [
            line.rstrip("\n")
            for line in difflib.unified_diff(old_body, new_body, "legacy", "new", lineterm="", n=2)
        ][2:]
    return "\n".join(lines)


def render_request(request: RawRequest) -> list[str]:
    lines = [f"{request.method} {request.target}"]
    lines += [f"{name}: {value}" for name, value in request.headers]
    if request.body:
        lines.append("")
        lines.append(_shown(request.body))
    return ["  " + line for line in lines]


def render_response(response: RawResponse) -> list[str]:
    lines = [str(response.status)]
    lines += [f"{name}: {value}" for name, value in response.headers]
    if response.body:
        lines.append("")
        lines.append(_shown(response.body))
    return ["  " + line for line in lines]


def _shown(body: bytes) -> str:
    try:
        text = body.decode()
    except UnicodeDecodeError:
        return f"({len(body)} bytes of binary data)"
    if len(text) > MAX_SHOWN_BODY:
        return text[:MAX_SHOWN_BODY] + f"… ({len(text) - MAX_SHOWN_BODY} more characters)"
    return text
