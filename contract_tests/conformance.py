"""Schemathesis' built-in checks on the new app's answers, each failure classified.

A failure the legacy app shows on the same request is "inherited": the legacy service is
lenient where its contract is strict (a `page=abc` it ignores, a valid-looking `client_id`
that is not the caller's), and a faithful port keeps that. Inherited failures are reported,
never dropped, but are not regressions. Without a legacy app every failure is a regression.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from contract_tests.apps import AppUnderTest
from contract_tests.differential import differences_between, render_request, render_response
from contract_tests.results import Finding
from contract_tests.transport import Exchange, RawRequest, RawResponse

if TYPE_CHECKING:
    from schemathesis.core.failures import Failure
    from schemathesis.core.transport import Response
    from schemathesis.engine.recorder import ScenarioRecorder

    from contract_tests.cases import GeneratedCase

# Every built-in check that applies to an OpenAPI contract driven in process. Left out:
# `max_response_time` (no limit in the contract) and `object_level_authorization` (needs
# several configured identities; the explicit id sweep covers tenant isolation instead).
CHECK_NAMES: tuple[str, ...] = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "ignored_auth",
    "use_after_free",
    "ensure_resource_availability",
)
CRASH_CHECK = "not_a_server_error"


def check_functions(names: Sequence[str]) -> list[Any]:
    from schemathesis.checks import CHECKS, load_all_checks

    load_all_checks()
    return [CHECKS.get_one(name) for name in names]


@contextmanager
def probes_sent_to(case: GeneratedCase, app: AppUnderTest) -> Iterator[None]:
    """Checks that re-send the request (`ignored_auth`) must reach the app being checked.

    Schemathesis' probes go to the operation's own app, not to the `app=` a case was
    called with, so the operation (and its schema) is pointed at `app` while checks run.
    """
    operation = case.operation
    schema = operation.schema
    saved = (operation.app, schema.app)
    operation.app = schema.app = app.target
    try:
        yield
    finally:
        operation.app, schema.app = saved


def failed_checks(
    case: GeneratedCase,
    response: Response,
    app: AppUnderTest,
    *,
    names: Sequence[str],
    headers: Mapping[str, str],
    recorder: ScenarioRecorder | None = None,
) -> dict[str, Failure]:
    """Check name → its first failure, for the checks `response` fails."""
    from schemathesis.core.failures import FailureGroup

    with probes_sent_to(case, app):
        try:
            case.validate_response(
                response,
                checks=check_functions(names),
                headers=dict(headers),
                transport_kwargs={"app": app.target, "headers": dict(headers)},
                recorder=recorder,
            )
        except FailureGroup as group:
            return _by_check(group.exceptions, names)
    return {}


def _by_check(failures: Sequence[Failure], names: Sequence[str]) -> dict[str, Failure]:
    found: dict[str, Failure] = {}
    for failure in failures:
        name = next((n for n in failure.checks if n in names), type(failure).__name__)
        found.setdefault(name, failure)
    return found


def classify(
    case: GeneratedCase,
    new_response: Response,
    new_exchange: Exchange,
    new: AppUnderTest,
    *,
    legacy: tuple[Response, Exchange, AppUnderTest] | None,
    names: Sequence[str],
    headers: Mapping[str, str],
    recorders: tuple[ScenarioRecorder, ScenarioRecorder] | None = None,
) -> list[Finding]:
    """Run the checks on the new app's answer; mark failures the legacy app shares."""
    failures = failed_checks(
        case,
        new_response,
        new,
        names=names,
        headers=headers,
        recorder=recorders[0] if recorders else None,
    )
    if not failures:
        return []
    shared: dict[str, Failure] = {}
    # The very same answer to the very same request keeps the legacy behaviour, whatever
    # a check makes of it (Schemathesis may read the two transports' requests differently).
    same_answer = legacy is not None and not differences_between(legacy[1], new_exchange)
    if legacy is not None and not same_answer:
        legacy_response, _, legacy_app = legacy
        shared = failed_checks(
            case,
            legacy_response,
            legacy_app,
            names=list(failures),
            headers=headers,
            recorder=recorders[1] if recorders else None,
        )
    findings = []
    for name, failure in failures.items():
        inherited = same_answer or name in shared
        if name == "positive_data_acceptance" and legacy is not None:
            # The check lets a 5xx pass; the legacy app did not accept the request either.
            inherited = inherited or legacy[1].response.status >= 400
        title = f"{failure.title}: {new_exchange.request.method} {new_exchange.request.target}"
        title += f" → {new_exchange.response.status}"
        lines = [failure.message.strip(), ""]
        if legacy is not None:
            legacy_status = legacy[1].response.status
            if same_answer:
                verdict = "gave the very same answer (inherited)"
            elif inherited:
                verdict = "fails this check too (inherited)"
            else:
                verdict = "passes this check"
            lines.append(f"the legacy app answered {legacy_status} and {verdict}")
            lines.append("")
        lines += ["── request ──", *render_request(new_exchange.request)]
        lines += ["── new response ──", *render_response(new_exchange.response)]
        findings.append(Finding(name, title, "\n".join(lines), inherited=inherited))
    return findings


def crash_exchange(
    case: GeneratedCase, headers: Mapping[str, str], error: BaseException
) -> Exchange:
    """What a crashed call looks like in the report: the request, and a 500 with the traceback."""
    target = case.formatted_path
    if case.query:
        from urllib.parse import urlencode

        target += "?" + urlencode(case.query, doseq=True)
    request = RawRequest(case.method.upper(), target, tuple(headers.items()), b"")
    text = "".join(traceback.format_exception(error)[-6:])
    body = f"the app raised instead of answering:\n{text}".encode()
    return Exchange(request, RawResponse(500, (("content-type", "text/plain"),), body))


def crash_finding(exchange: Exchange, app_name: str) -> Finding:
    curl = exchange.request
    return Finding(
        CRASH_CHECK,
        f"the {app_name} app raised: {curl.method} {curl.target}",
        exchange.response.body.decode(errors="replace"),
    )
