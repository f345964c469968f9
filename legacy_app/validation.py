"""Hand-written request validation, the way it was done before schemas."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from legacy_app.errors import ValidationError
from legacy_app.models import MAX_ID

# The same patterns stand in openapi.yaml; matched with re.search, as JSON Schema validators do.
# Text never holds NUL: PostgreSQL cannot store it.
EMAIL_PATTERN = r"^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"  # and exactly 3 characters: `$` also matches before a "\n"
NAME_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"
NOTES_PATTERN = r"^[^\x00]*$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# A positive amount with at most 10 integer digits and 2 decimals, as a string.
AMOUNT_PATTERN = r"^([1-9][0-9]{0,9}(\.[0-9]{1,2})?|0\.([1-9][0-9]?|0[1-9]))$"


def require_object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationError("body", "request body must be a JSON object")
    return data


def name_field(data: dict[str, Any], *, required: bool) -> str | None:
    if "name" not in data:
        if required:
            raise ValidationError("name", "name is required")
        return None
    name = data["name"]
    if not isinstance(name, str) or not re.search(NAME_PATTERN, name) or len(name) > 200:
        raise ValidationError("name", "name must be a non-empty string of at most 200 characters")
    return name.strip()


def email_field(data: dict[str, Any]) -> str | None:
    email = data.get("email")
    if email is None:
        return None
    if not isinstance(email, str) or len(email) > 200 or not re.search(EMAIL_PATTERN, email):
        raise ValidationError("email", "email must be a valid address")
    return email


def positive_int(data: dict[str, Any], field: str) -> int:
    value = data.get(field)
    # bool is an int in Python; JSON true is not an id.
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_ID:
        raise ValidationError(field, f"{field} must be an integer from 1 to {MAX_ID}")
    return value


def amount_field(data: dict[str, Any], *, required: bool) -> Decimal | None:
    if "amount" not in data:
        if required:
            raise ValidationError("amount", "amount is required")
        return None
    raw = data["amount"]
    if not isinstance(raw, str) or not re.search(AMOUNT_PATTERN, raw):
        raise ValidationError(
            "amount", "amount must be a positive decimal string with at most 2 decimals"
        )
    return Decimal(raw.strip())


def currency_field(data: dict[str, Any], *, default: str) -> str:
    if "currency" not in data:
        return default
    currency = data["currency"]
    if (
        not isinstance(currency, str)
        or len(currency) != 3
        or not re.search(CURRENCY_PATTERN, currency)
    ):
        raise ValidationError("currency", "currency must be a 3-letter ISO code such as EUR")
    return currency


def date_field(data: dict[str, Any], field: str) -> dt.date | None:
    raw = data.get(field)
    if raw is None:
        return None
    try:
        if not isinstance(raw, str) or not re.search(DATE_PATTERN, raw):
            raise ValueError
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(field, f"{field} must be a date as YYYY-MM-DD") from None


def notes_field(data: dict[str, Any]) -> str | None:
    notes = data.get("notes")
    if notes is not None and (
        not isinstance(notes, str) or len(notes) > 2000 or not re.search(NOTES_PATTERN, notes)
    ):
        raise ValidationError("notes", "notes must be a string of at most 2000 characters")
    return notes


def parse_decimal(raw: str) -> Decimal:
    """A `type=` for request.args: ValueError on bad input, so the default is used."""
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not value.is_finite():
        raise ValueError(raw)
    return value


def parse_timestamp(raw: str) -> dt.datetime:
    """A `type=` for request.args: ISO 8601, naive values taken as UTC."""
    value = dt.datetime.fromisoformat(raw)
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:  # an offset that pushes the time past year 1 or 9999
        raise ValueError(raw) from None
