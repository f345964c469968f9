"""Lenient query parameters: a value that cannot be parsed counts as absent, as it did with
Flask's `request.args.get(name, default, type=…)`, instead of FastAPI's 422.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar

from fastapi import Query
from pydantic import BeforeValidator, WithJsonSchema

from reference_app.models import INVOICE_STATUSES, MAX_ID

T = TypeVar("T")

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


def parse_decimal(raw: str) -> Decimal:
    """A finite decimal number; ValueError otherwise."""
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not value.is_finite():
        raise ValueError(raw)
    return value


def parse_timestamp(raw: str) -> dt.datetime:
    """ISO 8601, naive values taken as UTC; ValueError otherwise."""
    value = dt.datetime.fromisoformat(raw)
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:  # an offset that pushes the time past year 1 or 9999
        raise ValueError(raw) from None


def _or_default(parse: Callable[[str], T], default: T | None) -> BeforeValidator:
    def lenient(raw: Any) -> T | None:
        if not isinstance(raw, str):
            return default
        try:
            return parse(raw)
        except ValueError:
            return default

    return BeforeValidator(lenient)


Page = Annotated[
    int,
    _or_default(int, 1),
    WithJsonSchema({"type": "integer", "minimum": 1, "default": 1}),
    Query(description="Page number; values below 1 mean 1."),
]
PerPage = Annotated[
    int,
    _or_default(int, DEFAULT_PER_PAGE),
    WithJsonSchema(
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE}
    ),
    Query(description="Page size, clamped to 1..100."),
]
ClientFilter = Annotated[
    int | None,
    _or_default(int, None),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_ID}),
    Query(),
]
MinAmount = Annotated[
    Decimal | None,
    _or_default(parse_decimal, None),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]{1,10}(\.[0-9]{1,2})?$"}),
    Query(description="Smallest amount to include, a decimal number."),
]
Since = Annotated[
    dt.datetime | None,
    _or_default(parse_timestamp, None),
    WithJsonSchema({"type": "string", "format": "date-time"}),
    Query(description="Only invoices created at or after this time (ISO 8601, UTC if naive)."),
]
StatusFilter = Annotated[
    str | None,
    WithJsonSchema({"type": "string", "enum": list(INVOICE_STATUSES)}),
    Query(),
]


def clamp_page(page: int, per_page: int) -> tuple[int, int]:
    return max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)
