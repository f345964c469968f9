"""Request and response models (Pydantic v2), separate for create, update and public views.

Request fields enforce exactly what the legacy validators enforced, with their messages:
the same regexes matched with `re.search` (so `$` also matches before a final newline, as
it did), the same type checks on the parsed JSON (`true` is not an id, `"12"` is not an
amount, `12` is not a currency). A body that breaks a rule raises `RequestValidationError`
naming the first offending field in the legacy order; `errors.validation_error` turns it
into `{"error": …, "field": …}` with status 400.

Text never holds a NUL character (PostgreSQL cannot store one): the patterns exclude it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, Self

from fastapi.exceptions import RequestValidationError
from pydantic import (
    BaseModel,
    ConfigDict,
    PlainSerializer,
    PlainValidator,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from reference_app.models import INVOICE_STATUSES, MAX_ID

# The patterns of legacy_app/openapi.yaml, which the legacy validators also used.
EMAIL_PATTERN = r"^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"  # and exactly 3 characters: `$` also matches before a "\n"
NAME_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"
NOTES_PATTERN = r"^[^\x00]*$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
AMOUNT_PATTERN = r"^([1-9][0-9]{0,9}(\.[0-9]{1,2})?|0\.([1-9][0-9]?|0[1-9]))$"

BODY_NOT_OBJECT = "request body must be a JSON object"
NAME_INVALID = "name must be a non-empty string of at most 200 characters"
EMAIL_INVALID = "email must be a valid address"
CLIENT_ID_INVALID = f"client_id must be an integer from 1 to {MAX_ID}"
CLIENT_ID_UNKNOWN = "client_id does not name one of your clients"
AMOUNT_INVALID = "amount must be a positive decimal string with at most 2 decimals"
CURRENCY_INVALID = "currency must be a 3-letter ISO code such as EUR"
NOTES_INVALID = "notes must be a string of at most 2000 characters"
STATUS_INVALID = f"status must be one of {', '.join(INVOICE_STATUSES)}"

InvoiceStatus = Literal["draft", "sent", "paid", "void"]


def _refuse(message: str) -> PydanticCustomError:
    return PydanticCustomError("legacy_rule", message)


def _name(value: object) -> str:
    if not isinstance(value, str) or not re.search(NAME_PATTERN, value) or len(value) > 200:
        raise _refuse(NAME_INVALID)
    return value.strip()


def _email(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 200 or not re.search(EMAIL_PATTERN, value):
        raise _refuse(EMAIL_INVALID)
    return value


def _client_id(value: object) -> int:
    # bool is an int in Python; JSON true is not an id.
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_ID:
        raise _refuse(CLIENT_ID_INVALID)
    return value


def _amount(value: object) -> Decimal:
    if not isinstance(value, str) or not re.search(AMOUNT_PATTERN, value):
        raise _refuse(AMOUNT_INVALID)
    return Decimal(value.strip())


def _currency(value: object) -> str:
    if not isinstance(value, str) or len(value) != 3 or not re.search(CURRENCY_PATTERN, value):
        raise _refuse(CURRENCY_INVALID)
    return value


def _date(value: object, info: ValidationInfo) -> dt.date | None:
    if value is None:
        return None
    message = f"{info.field_name} must be a date as YYYY-MM-DD"
    if not isinstance(value, str) or not re.search(DATE_PATTERN, value):
        raise _refuse(message)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _refuse(message) from None


def _notes(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 2000 or not re.search(NOTES_PATTERN, value):
        raise _refuse(NOTES_INVALID)
    return value


def _status(value: object) -> str:
    if value not in INVOICE_STATUSES:
        raise _refuse(STATUS_INVALID)
    assert isinstance(value, str)
    return value


_NULLABLE_STRING: dict[str, Any] = {"type": ["string", "null"]}

Name = Annotated[
    str,
    PlainValidator(_name),
    WithJsonSchema({"type": "string", "maxLength": 200, "pattern": NAME_PATTERN}),
]
Email = Annotated[
    str | None,
    PlainValidator(_email),
    WithJsonSchema({**_NULLABLE_STRING, "maxLength": 200, "pattern": EMAIL_PATTERN}),
]
ClientId = Annotated[
    int,
    PlainValidator(_client_id),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_ID}),
]
Amount = Annotated[
    Decimal,
    PlainValidator(_amount),
    WithJsonSchema({"type": "string", "pattern": AMOUNT_PATTERN}),
]
Currency = Annotated[
    str,
    PlainValidator(_currency),
    WithJsonSchema({"type": "string", "minLength": 3, "maxLength": 3, "pattern": CURRENCY_PATTERN}),
]
DueDate = Annotated[
    dt.date | None, PlainValidator(_date), WithJsonSchema({**_NULLABLE_STRING, "format": "date"})
]
Notes = Annotated[
    str | None,
    PlainValidator(_notes),
    WithJsonSchema({**_NULLABLE_STRING, "maxLength": 2000, "pattern": NOTES_PATTERN}),
]
Status = Annotated[
    str, PlainValidator(_status), WithJsonSchema({"type": "string", "enum": list(INVOICE_STATUSES)})
]
# For update models: present means validated (null included), absent means unchanged.
NameUpdate = Annotated[str | None, PlainValidator(_name), WithJsonSchema({"type": "string"})]
AmountUpdate = Annotated[
    Decimal | None, PlainValidator(_amount), WithJsonSchema({"type": "string"})
]
CurrencyUpdate = Annotated[
    str | None, PlainValidator(_currency), WithJsonSchema({"type": "string"})
]
StatusUpdate = Annotated[str | None, PlainValidator(_status), WithJsonSchema({"type": "string"})]


class RequestBody(BaseModel):
    """A JSON request body validated with the legacy rules; see `from_json`."""

    model_config = ConfigDict(extra="ignore")

    # The legacy message when a required field is absent, where it is not "<field> is required".
    missing_messages: ClassVar[dict[str, str]] = {}

    @classmethod
    def from_json(cls, data: object) -> Self:
        """Validate parsed JSON; RequestValidationError (→ 400 with `field`) on the first fault."""
        if not isinstance(data, dict):
            raise RequestValidationError(
                [{"type": "dict_type", "loc": ("body",), "msg": BODY_NOT_OBJECT, "input": data}]
            )
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise RequestValidationError(
                [cls._legacy_error(error) for error in exc.errors(include_url=False)]
            ) from None

    @classmethod
    def _legacy_error(cls, error: Any) -> dict[str, Any]:
        field = str(error["loc"][0]) if error["loc"] else "body"
        message = error["msg"]
        if error["type"] == "missing":
            message = cls.missing_messages.get(field, f"{field} is required")
        return {"type": error["type"], "loc": ("body", field), "msg": message}


def invalid_field(field: str, message: str) -> RequestValidationError:
    """A 400 for `field` decided outside a model (an unknown client, an unusable file)."""
    return RequestValidationError([{"type": "legacy_rule", "loc": ("body", field), "msg": message}])


class ClientCreate(RequestBody):
    name: Name
    email: Email = None


class ClientUpdate(RequestBody):
    name: NameUpdate = None
    email: Email = None


class InvoiceClientRef(RequestBody):
    """The part of an invoice body checked first, before the client is looked up."""

    missing_messages: ClassVar[dict[str, str]] = {"client_id": CLIENT_ID_INVALID}

    client_id: ClientId


class InvoiceCreate(RequestBody):
    missing_messages: ClassVar[dict[str, str]] = {"client_id": CLIENT_ID_INVALID}

    client_id: ClientId
    amount: Amount
    currency: Currency = "EUR"
    due_date: DueDate = None
    notes: Notes = None


class InvoiceStatusChange(RequestBody):
    """The part of an invoice update checked first, before the draft-only amount rule."""

    status: StatusUpdate = None


class InvoiceUpdate(RequestBody):
    status: StatusUpdate = None
    amount: AmountUpdate = None
    currency: CurrencyUpdate = None
    due_date: DueDate = None
    notes: Notes = None


def _isoformat(value: dt.datetime) -> str:
    return value.isoformat()


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


# Timestamps as Python's isoformat() gives them ("2024-01-16T09:00:00+00:00", not "…Z").
Timestamp = Annotated[
    dt.datetime,
    PlainSerializer(_isoformat, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
Money = Annotated[
    Decimal,
    PlainSerializer(_money, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]+\.[0-9]{2}$"}),
]


class PublicModel(BaseModel):
    model_config = ConfigDict(from_attributes=True, extra="forbid")


class ClientPublic(PublicModel):
    id: int
    name: str
    email: str | None
    created_at: Timestamp


class InvoicePublic(PublicModel):
    id: int
    number: str
    client_id: int
    amount: Money
    currency: str
    status: InvoiceStatus
    due_date: dt.date | None
    notes: str | None
    created_at: Timestamp
    sent_at: Timestamp | None


class InvoicePage(PublicModel):
    items: list[InvoicePublic]
    page: int
    per_page: int
    total: int


class TenantPublic(PublicModel):
    id: int
    slug: str
    name: str


class Me(PublicModel):
    id: int
    email: str
    name: str
    tenant: TenantPublic


class AttachmentPublic(PublicModel):
    name: str
    size: int
    content_type: str


class Health(PublicModel):
    status: Literal["ok"]


class Ready(PublicModel):
    status: Literal["ready", "unavailable"]


def json_body_doc(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` documenting a JSON body that the route reads and validates itself."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


UPLOAD_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}
