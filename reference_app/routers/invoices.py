"""Invoices of the caller's tenant: CRUD, delivery through the upstream, CSV export, files."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Path, Request, Response
from fastapi.responses import FileResponse, StreamingResponse
from sqlalchemy import Numeric, false, func, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from reference_app import attachments
from reference_app.deps import (
    CurrentUser,
    HttpClientDep,
    SessionDep,
    SessionmakerDep,
    SettingsDep,
    TenantDep,
    get_current_user,
)
from reference_app.errors import documented
from reference_app.http_compat import add_options_routes
from reference_app.models import INVOICE_STATUSES, MAX_ID, Attachment, Client, Invoice, Tenant
from reference_app.observability import get_logger
from reference_app.query_params import (
    ClientFilter,
    MinAmount,
    Page,
    PerPage,
    Since,
    StatusFilter,
    clamp_page,
)
from reference_app.request_body import get_json, get_upload
from reference_app.schemas import (
    CLIENT_ID_UNKNOWN,
    STATUS_INVALID,
    UPLOAD_BODY_DOC,
    AttachmentPublic,
    InvoiceClientRef,
    InvoiceCreate,
    InvoicePage,
    InvoicePublic,
    InvoiceStatusChange,
    InvoiceUpdate,
    invalid_field,
    json_body_doc,
)
from reference_app.upstream import UpstreamError, deliver_invoice, notify_sent

router = APIRouter(prefix="/invoices", tags=["invoices"], dependencies=[Depends(get_current_user)])
log = get_logger(__name__)

InvoiceIdPath = Annotated[int, Path(json_schema_extra={"minimum": 0, "maximum": MAX_ID})]
MAX_CONTENT_TYPE_LENGTH = 100
NUMBER_ATTEMPTS = 3
CSV_HEADER = ["number", "client", "amount", "currency", "status", "due_date", "created_at"]
# Amounts are below 10**10 (at most 10 integer digits): a larger minimum matches nothing.
AMOUNT_CEILING = Decimal(10**10)


async def invoice_or_404(session: AsyncSession, tenant: Tenant, invoice_id: int) -> Invoice:
    if invoice_id > MAX_ID:
        raise HTTPException(404, "invoice not found")
    invoice = await session.scalar(
        select(Invoice).where(Invoice.id == invoice_id, Invoice.tenant_id == tenant.id)
    )
    if invoice is None:
        raise HTTPException(404, "invoice not found")
    return invoice


@router.get(
    "",
    response_model=InvoicePage,
    operation_id="listInvoices",
    summary="A page of the tenant's invoices, by id, optionally filtered",
    description=(
        "Like the service always did, a `page`, `per_page`, `client_id`, `min_amount` or"
        " `since` that cannot be parsed is ignored (its default applies), and `per_page` is"
        " clamped to 1..100."
    ),
    responses=documented(400, 401),
)
async def list_invoices(
    session: SessionDep,
    tenant: TenantDep,
    page: Page = 1,
    per_page: PerPage = 20,
    status: StatusFilter = None,
    client_id: ClientFilter = None,
    min_amount: MinAmount = None,
    since: Since = None,
) -> InvoicePage:
    page, per_page = clamp_page(page, per_page)
    query = select(Invoice).where(Invoice.tenant_id == tenant.id)
    if status is not None:
        if status not in INVOICE_STATUSES:
            raise HTTPException(400, STATUS_INVALID)
        query = query.where(Invoice.status == status)
    if client_id is not None:
        query = query.where(Invoice.client_id == client_id if abs(client_id) <= MAX_ID else false())
    if min_amount is not None:
        # A plain NUMERIC parameter: typed as the column, asyncpg would round it to 2 places.
        minimum = literal(min_amount, Numeric())
        query = query.where(Invoice.amount >= minimum if min_amount < AMOUNT_CEILING else false())
    if since is not None:
        query = query.where(Invoice.created_at >= since)

    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    offset = (page - 1) * per_page
    items: list[Invoice] = []
    # Past the last row there is nothing to fetch (and an offset too large for the database).
    if offset < total:
        rows = await session.scalars(query.order_by(Invoice.id).limit(per_page).offset(offset))
        items = list(rows)
    return InvoicePage.model_validate(
        {"items": items, "page": page, "per_page": per_page, "total": total}
    )


@router.post(
    "",
    status_code=201,
    response_model=InvoicePublic,
    operation_id="createInvoice",
    summary="Create a draft invoice",
    openapi_extra=json_body_doc(InvoiceCreate),
    responses={
        **documented(400, 401),
        201: {
            "description": "The new invoice; `Location` names it.",
            "headers": {"Location": {"required": True, "schema": {"type": "string"}}},
        },
    },
)
async def create_invoice(
    request: Request,
    response: Response,
    session: SessionDep,
    tenant: TenantDep,
    settings: SettingsDep,
) -> Invoice:
    data = await get_json(request, limit=settings.max_content_length, silent=True)
    client_id = InvoiceClientRef.from_json(data).client_id
    client = await session.scalar(
        select(Client.id).where(Client.id == client_id, Client.tenant_id == tenant.id)
    )
    if client is None:
        raise invalid_field("client_id", CLIENT_ID_UNKNOWN)
    payload = InvoiceCreate.from_json(data)
    invoice = Invoice(
        tenant_id=tenant.id,
        client_id=client,
        amount=payload.amount,
        currency=payload.currency,
        status="draft",
        due_date=payload.due_date,
        notes=payload.notes,
    )
    # Two creates at once may pick the same number: the loser takes the next one.
    for attempt in range(NUMBER_ATTEMPTS):
        invoice.number = await _next_number(session, tenant)
        session.add(invoice)
        try:
            await session.commit()
            break
        except IntegrityError:
            await session.rollback()
            if attempt + 1 == NUMBER_ATTEMPTS:
                raise
    response.headers["Location"] = f"/invoices/{invoice.id}"
    return invoice


async def _next_number(session: AsyncSession, tenant: Tenant) -> str:
    # Numbers are compared as numbers: INV-100000 comes after INV-99999.
    last = await session.scalar(
        select(Invoice.number)
        .where(Invoice.tenant_id == tenant.id)
        .order_by(func.length(Invoice.number).desc(), Invoice.number.desc())
        .limit(1)
    )
    return f"INV-{int(last.removeprefix('INV-')) + 1 if last else 1:05d}"


@router.get(
    "/export.csv",
    response_class=StreamingResponse,
    operation_id="exportInvoices",
    summary="Every invoice of the tenant as CSV, streamed",
    responses={
        **documented(401),
        200: {
            "description": (
                "CSV with a header row: number, client, amount, currency, status, due_date,"
                " created_at."
            ),
            "headers": {"Content-Disposition": {"required": True, "schema": {"type": "string"}}},
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
    },
)
async def export_invoices(
    tenant: TenantDep, sessionmaker: SessionmakerDep, settings: SettingsDep
) -> StreamingResponse:
    return StreamingResponse(
        csv_pages(sessionmaker, tenant.id, settings.export_page_size),
        media_type="text/csv",
        headers={"Content-Disposition": "attachment; filename=invoices.csv"},
    )


async def csv_pages(
    sessionmaker: async_sessionmaker[AsyncSession], tenant_id: int, page_size: int
) -> AsyncIterator[str]:
    """The export, one chunk per page of `page_size` invoices, fetched by keyset.

    Each page uses its own short session, so a slow reader holds no pooled connection
    between pages and memory stays at one page however large the table.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    last_id = 0
    while True:
        async with sessionmaker() as session:
            result = await session.execute(
                select(
                    Invoice.id,
                    Invoice.number,
                    Client.name,
                    Invoice.amount,
                    Invoice.currency,
                    Invoice.status,
                    Invoice.due_date,
                    Invoice.created_at,
                )
                .join(Client, Invoice.client_id == Client.id)
                .where(Invoice.tenant_id == tenant_id, Invoice.id > last_id)
                .order_by(Invoice.id)
                .limit(page_size)
            )
            rows = result.all()
        for row in rows:
            writer.writerow(
                [
                    row.number,
                    row.name,
                    f"{row.amount:.2f}",
                    row.currency,
                    row.status,
                    row.due_date or "",
                    row.created_at.isoformat(),
                ]
            )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if len(rows) < page_size:
            return
        last_id = rows[-1].id


@router.get(
    "/{invoice_id:digits}",
    response_model=InvoicePublic,
    operation_id="getInvoice",
    summary="One invoice",
    responses=documented(401, 404),
)
async def get_invoice(invoice_id: InvoiceIdPath, session: SessionDep, tenant: TenantDep) -> Invoice:
    return await invoice_or_404(session, tenant, invoice_id)


@router.patch(
    "/{invoice_id:digits}",
    response_model=InvoicePublic,
    operation_id="updateInvoice",
    summary="Change an invoice (the amount only while it is a draft)",
    openapi_extra=json_body_doc(InvoiceUpdate),
    responses=documented(400, 401, 404, 409, 415),
)
async def update_invoice(
    invoice_id: InvoiceIdPath,
    request: Request,
    session: SessionDep,
    tenant: TenantDep,
    settings: SettingsDep,
) -> Invoice:
    invoice = await invoice_or_404(session, tenant, invoice_id)
    data = await get_json(request, limit=settings.max_content_length)
    change = InvoiceStatusChange.from_json(data)
    new_status = change.status if "status" in change.model_fields_set else invoice.status
    if "amount" in data and new_status != "draft":
        raise HTTPException(409, "only draft invoices can change their amount")
    payload = InvoiceUpdate.from_json(data)
    given = payload.model_fields_set
    if payload.status is not None:
        invoice.status = payload.status
    if payload.amount is not None:
        invoice.amount = payload.amount
    if payload.currency is not None:
        invoice.currency = payload.currency
    if "due_date" in given:
        invoice.due_date = payload.due_date
    if "notes" in given:
        invoice.notes = payload.notes
    await session.commit()
    return invoice


@router.delete(
    "/{invoice_id:digits}",
    status_code=204,
    response_class=Response,
    operation_id="deleteInvoice",
    summary="Delete a draft invoice and its attachments",
    responses=documented(401, 404, 409),
)
async def delete_invoice(
    invoice_id: InvoiceIdPath, session: SessionDep, tenant: TenantDep, settings: SettingsDep
) -> None:
    invoice = await invoice_or_404(session, tenant, invoice_id)
    if invoice.status != "draft":
        raise HTTPException(409, "only draft invoices can be deleted")
    for attachment in await session.scalars(
        select(Attachment).where(Attachment.invoice_id == invoice.id)
    ):
        await session.delete(attachment)
    await session.delete(invoice)
    await session.commit()
    await attachments.remove_folder(
        attachments.invoice_folder(settings.attachments_root, invoice.tenant_id, invoice.id)
    )


@router.post(
    "/{invoice_id:digits}/send",
    response_model=InvoicePublic,
    operation_id="sendInvoice",
    summary="Deliver the invoice through the notification service and mark it sent",
    responses=documented(401, 404, 409, 502),
)
async def send_invoice(
    invoice_id: InvoiceIdPath,
    request: Request,
    background_tasks: BackgroundTasks,
    session: SessionDep,
    user: CurrentUser,
    tenant: TenantDep,
    settings: SettingsDep,
    http_client: HttpClientDep,
) -> Invoice:
    invoice = await invoice_or_404(session, tenant, invoice_id)
    if invoice.status not in ("draft", "sent"):
        raise HTTPException(409, f"a {invoice.status} invoice cannot be sent")
    client_email = await session.scalar(select(Client.email).where(Client.id == invoice.client_id))
    payload = {
        "tenant": tenant.slug,
        "invoice": invoice.number,
        "amount": f"{invoice.amount:.2f}",
        "currency": invoice.currency,
        "client_email": client_email,
    }
    try:
        reference = await deliver_invoice(
            http_client,
            settings.upstream_url,
            payload,
            retries=settings.upstream_retries,
            attempt_timeout=settings.upstream_timeout,
        )
    except UpstreamError as error:
        raise HTTPException(502, str(error)) from None
    invoice.status = "sent"
    invoice.sent_at = dt.datetime.now(dt.UTC)
    invoice.delivery_ref = reference
    await session.commit()
    # After the response, with plain values: the session is closed by then.
    event = {"event": "invoice.sent", "tenant": tenant.slug, "invoice": invoice.number}
    timeout = settings.upstream_timeout
    background_tasks.add_task(
        notify_sent, http_client, settings.upstream_url, event, attempt_timeout=timeout
    )
    log.info(
        "invoice sent",
        invoice=invoice.number,
        user=user.email,
        client=request.client.host if request.client else None,
    )
    return invoice


@router.post(
    "/{invoice_id:digits}/attachments",
    status_code=201,
    response_model=AttachmentPublic,
    operation_id="uploadAttachment",
    summary="Attach a file (multipart field `file`, at most 5 MiB); same name replaces",
    openapi_extra=UPLOAD_BODY_DOC,
    responses=documented(400, 401, 404, 413),
)
async def upload_attachment(
    invoice_id: InvoiceIdPath,
    request: Request,
    session: SessionDep,
    tenant: TenantDep,
    settings: SettingsDep,
) -> AttachmentPublic:
    invoice = await invoice_or_404(session, tenant, invoice_id)
    upload, form = await get_upload(request, "file", limit=settings.max_content_length)
    try:
        if upload is None or not upload.filename:
            raise invalid_field("file", "a file is required (multipart field 'file')")
        filename = attachments.secure_filename(upload.filename)
        if not filename:
            raise invalid_field("file", "the file name is not usable")
        folder = attachments.invoice_folder(
            settings.attachments_root, invoice.tenant_id, invoice.id
        )
        size = await attachments.save_upload(upload, folder / filename)
        content_type = (upload.content_type or "").partition(";")[0].strip().lower()
    finally:
        await form.close()

    attachment = await session.scalar(
        select(Attachment).where(
            Attachment.invoice_id == invoice.id, Attachment.filename == filename
        )
    )
    if attachment is None:
        attachment = Attachment(
            tenant_id=invoice.tenant_id, invoice_id=invoice.id, filename=filename
        )
        session.add(attachment)
    if not content_type or len(content_type) > MAX_CONTENT_TYPE_LENGTH:
        content_type = "application/octet-stream"
    attachment.content_type = content_type
    attachment.size = size
    await session.commit()
    return AttachmentPublic(name=filename, size=size, content_type=attachment.content_type)


@router.get(
    "/{invoice_id:digits}/attachments/{name:filepath}",
    response_class=FileResponse,
    operation_id="downloadAttachment",
    summary="Download an attachment",
    responses={
        **documented(401, 404),
        200: {
            "description": "The file, with a content type guessed from its name.",
            "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
        },
    },
)
async def download_attachment(
    invoice_id: InvoiceIdPath,
    name: Annotated[
        str, Path(description="The stored file name; may not leave the invoice's folder.")
    ],
    session: SessionDep,
    tenant: TenantDep,
    settings: SettingsDep,
) -> FileResponse:
    invoice = await invoice_or_404(session, tenant, invoice_id)
    # A stored name never holds a NUL (and PostgreSQL would refuse one in a query).
    known = "\x00" not in name and await session.scalar(
        select(Attachment.id).where(
            Attachment.invoice_id == invoice.id, Attachment.filename == name
        )
    )
    if not known:
        raise HTTPException(404, "attachment not found")
    folder = attachments.invoice_folder(settings.attachments_root, invoice.tenant_id, invoice.id)
    path = attachments.path_inside(folder, name)
    if path is None or not await attachments.is_file(path):
        raise HTTPException(404)
    # As send_from_directory: inline, named (stored names are plain ASCII tokens).
    return FileResponse(
        path,
        media_type=attachments.guess_media_type(name),
        headers={"Content-Disposition": f"inline; filename={name}"},
    )


add_options_routes(router)
