"""What each candidate cannot match yet, as strict expected failures (see docs/contract-status.md).

Keys are (candidate, suite, operation or explicit family). Each becomes
`pytest.mark.xfail(strict=True, reason=...)` on exactly that test, so a fix turns it into
an unexpected pass that fails the run until the entry (and the doc line) is removed.
"""

from __future__ import annotations

import pytest

# The codemod's output of legacy_app (`migrate legacy_app --spec legacy_app/openapi.yaml`),
# untouched: no expected failure left (its /openapi.json documents what the contract does).
EXPECTED_FAILURES: dict[tuple[str, str, str], str] = {}

_NOT_MINE = (
    "a schema-valid client_id that is not one of the caller's clients, an integral float"
    ' such as 624.0 (an integer to JSON Schema, not to the service), or a due_date of ""'
    " (the contract's `format: date` is not asserted) is refused with 400"
)
_EMAIL = (
    "an email holding a control character U+001C..U+001F: Python's `\\s` matches it, the"
    " contract pattern's ECMAScript `\\s` does not, so the service refuses what its contract allows"
)

_NUL = (
    "on PostgreSQL a NUL character in a text field (a client's name) makes the legacy"
    " service answer 500 (psycopg refuses it); the codemod's output keeps that"
)

# Failures the legacy app shows on the same requests (its service is lenient, or strict,
# where its contract says otherwise): (suite, operation, check). Reported as inherited.
KNOWN_INHERITED: dict[tuple[str, str, str], str] = {
    ("conformance", "GET /invoices", "negative_data_rejection"): (
        "a page, per_page, client_id, min_amount or since the service cannot parse is ignored"
        " and per_page is clamped to 1..100, as the contract's description says: 200, not 4xx"
    ),
    ("stateful", "POST /clients", "not_a_server_error"): _NUL,
    ("stateful", "POST /clients", "status_code_conformance"): _NUL,
    ("stateful", "GET /invoices", "negative_data_rejection"): (
        "as in conformance: unparsable filters are ignored, per_page is clamped"
    ),
    ("conformance", "POST /invoices", "positive_data_acceptance"): _NOT_MINE,
    ("stateful", "POST /invoices", "positive_data_acceptance"): _NOT_MINE,
    ("conformance", "PATCH /invoices/{invoice_id}", "positive_data_acceptance"): (
        'a due_date of "" (the contract\'s `format: date` is not asserted) is refused with 400'
    ),
    ("stateful", "PATCH /invoices/{invoice_id}", "positive_data_acceptance"): (
        'as in conformance: a due_date of "" is refused with 400'
    ),
    ("stateful", "POST /clients", "positive_data_acceptance"): _EMAIL,
    ("stateful", "PATCH /clients/{client_id}", "positive_data_acceptance"): _EMAIL,
    ("conformance", "POST /clients", "positive_data_acceptance"): _EMAIL,
    ("conformance", "PATCH /clients/{client_id}", "positive_data_acceptance"): _EMAIL,
}


def marks(candidate: str, suite: str, key: str) -> list[pytest.MarkDecorator]:
    reason = EXPECTED_FAILURES.get((candidate, suite, key))
    if reason is None:
        return []
    return [pytest.mark.xfail(strict=True, reason=reason)]
