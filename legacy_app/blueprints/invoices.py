"""Invoices of the caller's tenant: CRUD, delivery through the upstream, CSV export, files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
from collections.abc import Iterable, Iterator

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    request,
    send_from_directory,
    stream_with_context,
)
from sqlalchemy import false, func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.utils import secure_filename

from legacy_app.db import get_db
from legacy_app.errors import ValidationError
from legacy_app.models import INVOICE_STATUSES, MAX_ID, Attachment, Client, Invoice
from legacy_app.pagination import page_args
from legacy_app.serializers import invoice_to_dict
from legacy_app.upstream import UpstreamError, deliver_invoice, notify_sent
from legacy_app.validation import (
    amount_field,
    currency_field,
    date_field,
    notes_field,
    parse_decimal,
    parse_timestamp,
    positive_int,
    require_object,
)

MAX_FILENAME_LENGTH = 255
MAX_CONTENT_TYPE_LENGTH = 100
NUMBER_ATTEMPTS = 3

bp = Blueprint("invoices", __name__, url_prefix="/invoices")


def invoice_or_404(invoice_id: int) -> Invoice:
    if invoice_id > MAX_ID:
        abort(404, "invoice not found")
    invoice = (
        get_db()
        .scalars(select(Invoice).where(Invoice.id == invoice_id, Invoice.tenant_id == g.tenant.id))
        .first()
    )
    if invoice is None:
        abort(404, "invoice not found")
    return invoice


@bp.route("", methods=["GET"])
def list_invoices() -> Response:
    page, per_page = page_args()
    query = select(Invoice).where(Invoice.tenant_id == g.tenant.id)
    status = request.args.get("status")
    if status is not None:
        if status not in INVOICE_STATUSES:
            abort(400, f"status must be one of {', '.join(INVOICE_STATUSES)}")
        query = query.where(Invoice.status == status)
    client_id = request.args.get("client_id", type=int)
    if client_id is not None:
        query = query.where(Invoice.client_id == client_id if abs(client_id) <= MAX_ID else false())
    min_amount = request.args.get("min_amount", type=parse_decimal)
    if min_amount is not None:
        query = query.where(Invoice.amount >= min_amount)
    since = request.args.get("since", type=parse_timestamp)
    if since is not None:
        query = query.where(Invoice.created_at >= since)

    db = get_db()
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    offset = (page - 1) * per_page
    # Past the last row there is nothing to fetch (and the offset may overflow the database).
    rows: Iterable[Invoice] = (
        db.scalars(query.order_by(Invoice.id).limit(per_page).offset(offset))
        if offset < total
        else []
    )
    return jsonify(
        items=[invoice_to_dict(i) for i in rows], page=page, per_page=per_page, total=total
    )


@bp.route("", methods=["POST"])
def create_invoice() -> tuple[Response, int, dict[str, str]]:
    data = require_object(request.get_json(silent=True))
    client_id = positive_int(data, "client_id")
    db = get_db()
    client = db.scalars(
        select(Client).where(Client.id == client_id, Client.tenant_id == g.tenant.id)
    ).first()
    if client is None:
        raise ValidationError("client_id", "client_id does not name one of your clients")
    invoice = Invoice(
        tenant_id=g.tenant.id,
        client_id=client.id,
        amount=amount_field(data, required=True),
        currency=currency_field(data, default="EUR"),
        status="draft",
        due_date=date_field(data, "due_date"),
        notes=notes_field(data),
    )
    # Two creates at once may pick the same number: the loser takes the next one.
    for attempt in range(NUMBER_ATTEMPTS):
        invoice.number = _next_number()
        db.add(invoice)
        try:
            db.commit()
            break
        except IntegrityError:
            db.rollback()
            if attempt + 1 == NUMBER_ATTEMPTS:
                raise
    return jsonify(invoice_to_dict(invoice)), 201, {"Location": f"/invoices/{invoice.id}"}


def _next_number() -> str:
    # Numbers are compared as numbers: INV-100000 comes after INV-99999.
    last = get_db().scalar(
        select(Invoice.number)
        .where(Invoice.tenant_id == g.tenant.id)
        .order_by(func.length(Invoice.number).desc(), Invoice.number.desc())
        .limit(1)
    )
    return f"INV-{int(last.removeprefix('INV-')) + 1 if last else 1:05d}"


@bp.route("/export.csv")
def export_csv() -> Response:
    page_size = current_app.config["EXPORT_PAGE_SIZE"]
    tenant_id = g.tenant.id

    def generate() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            ["number", "client", "amount", "currency", "status", "due_date", "created_at"]
        )
        last_id = 0
        while True:
            rows = (
                get_db()
                .execute(
                    select(Invoice, Client.name)
                    .join(Client, Invoice.client_id == Client.id)
                    .where(Invoice.tenant_id == tenant_id, Invoice.id > last_id)
                    .order_by(Invoice.id)
                    .limit(page_size)
                )
                .all()
            )
            for invoice, client_name in rows:
                writer.writerow(
                    [
                        invoice.number,
                        client_name,
                        f"{invoice.amount:.2f}",
                        invoice.currency,
                        invoice.status,
                        invoice.due_date or "",
                        invoice.created_at.isoformat(),
                    ]
                )
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            if len(rows) < page_size:
                return
            last_id = rows[-1][0].id

    return Response(
        stream_with_context(generate()),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=invoices.csv"},
    )


@bp.route("/<int:invoice_id>")
def get_invoice(invoice_id: int) -> Response:
    return jsonify(invoice_to_dict(invoice_or_404(invoice_id)))


@bp.route("/<int:invoice_id>", methods=["PATCH"])
def update_invoice(invoice_id: int) -> Response:
    invoice = invoice_or_404(invoice_id)
    data = require_object(request.get_json())
    if "status" in data:
        if data["status"] not in INVOICE_STATUSES:
            raise ValidationError("status", f"status must be one of {', '.join(INVOICE_STATUSES)}")
        invoice.status = data["status"]
    if "amount" in data:
        if invoice.status != "draft":
            abort(409, "only draft invoices can change their amount")
        invoice.amount = amount_field(data, required=True)  # type: ignore[assignment]
    if "currency" in data:
        invoice.currency = currency_field(data, default=invoice.currency)
    if "due_date" in data:
        invoice.due_date = date_field(data, "due_date")
    if "notes" in data:
        invoice.notes = notes_field(data)
    get_db().commit()
    return jsonify(invoice_to_dict(invoice))


@bp.route("/<int:invoice_id>", methods=["DELETE"])
def delete_invoice(invoice_id: int) -> tuple[str, int]:
    invoice = invoice_or_404(invoice_id)
    if invoice.status != "draft":
        abort(409, "only draft invoices can be deleted")
    db = get_db()
    for attachment in db.scalars(select(Attachment).where(Attachment.invoice_id == invoice.id)):
        db.delete(attachment)
    db.delete(invoice)
    db.commit()
    shutil.rmtree(_attachment_folder(invoice), ignore_errors=True)
    return "", 204


@bp.route("/<int:invoice_id>/send", methods=["POST"])
def send_invoice(invoice_id: int) -> Response:
    invoice = invoice_or_404(invoice_id)
    if invoice.status not in ("draft", "sent"):
        abort(409, f"a {invoice.status} invoice cannot be sent")
    payload = {
        "tenant": g.tenant.slug,
        "invoice": invoice.number,
        "amount": f"{invoice.amount:.2f}",
        "currency": invoice.currency,
        "client_email": invoice.client.email,
    }
    try:
        reference = deliver_invoice(payload)
    except UpstreamError as error:
        abort(502, str(error))
    invoice.status = "sent"
    invoice.sent_at = dt.datetime.now(dt.UTC)
    invoice.delivery_ref = reference
    get_db().commit()
    notify_sent({"event": "invoice.sent", "tenant": g.tenant.slug, "invoice": invoice.number})
    current_app.logger.info(
        "invoice %s sent by %s from %s", invoice.number, g.user.email, request.remote_addr
    )
    return jsonify(invoice_to_dict(invoice))


def _attachment_folder(invoice: Invoice) -> str:
    return os.path.join(
        current_app.config["UPLOAD_FOLDER"], str(invoice.tenant_id), str(invoice.id)
    )


@bp.route("/<int:invoice_id>/attachments", methods=["POST"])
def upload_attachment(invoice_id: int) -> tuple[Response, int]:
    invoice = invoice_or_404(invoice_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError("file", "a file is required (multipart field 'file')")
    filename = secure_filename(upload.filename)
    if not filename or len(filename) > MAX_FILENAME_LENGTH:
        raise ValidationError("file", "the file name is not usable")
    folder = _attachment_folder(invoice)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, filename), "wb") as out:
        shutil.copyfileobj(upload.stream, out)
    size = os.path.getsize(os.path.join(folder, filename))

    db = get_db()
    attachment = db.scalars(
        select(Attachment).where(
            Attachment.invoice_id == invoice.id, Attachment.filename == filename
        )
    ).first()
    if attachment is None:
        attachment = Attachment(
            tenant_id=invoice.tenant_id, invoice_id=invoice.id, filename=filename
        )
        db.add(attachment)
    content_type = upload.mimetype
    if not content_type or len(content_type) > MAX_CONTENT_TYPE_LENGTH:
        content_type = "application/octet-stream"
    attachment.content_type = content_type
    attachment.size = size
    db.commit()
    return jsonify(name=filename, size=size, content_type=attachment.content_type), 201


@bp.route("/<int:invoice_id>/attachments/<path:name>")
def download_attachment(invoice_id: int, name: str) -> Response:
    invoice = invoice_or_404(invoice_id)
    if "\x00" in name:
        abort(404, "attachment not found")
    known = (
        get_db()
        .scalars(
            select(Attachment.id).where(
                Attachment.invoice_id == invoice.id, Attachment.filename == name
            )
        )
        .first()
    )
    if known is None:
        abort(404, "attachment not found")
    return send_from_directory(_attachment_folder(invoice), name)
