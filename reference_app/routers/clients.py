"""Clients of the caller's tenant."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reference_app.deps import SessionDep, SettingsDep, TenantDep, get_current_user
from reference_app.errors import documented
from reference_app.http_compat import add_options_routes
from reference_app.models import MAX_ID, Client, Invoice, Tenant
from reference_app.request_body import get_json, require_json
from reference_app.schemas import ClientCreate, ClientPublic, ClientUpdate, json_body_doc

router = APIRouter(prefix="/clients", tags=["clients"], dependencies=[Depends(get_current_user)])

ClientIdPath = Annotated[int, Path(json_schema_extra={"minimum": 0, "maximum": MAX_ID})]


async def client_or_404(session: AsyncSession, tenant: Tenant, client_id: int) -> Client:
    if client_id > MAX_ID:
        raise HTTPException(404, "client not found")
    client = await session.scalar(
        select(Client).where(Client.id == client_id, Client.tenant_id == tenant.id)
    )
    if client is None:
        raise HTTPException(404, "client not found")
    return client


@router.get(
    "",
    response_model=list[ClientPublic],
    operation_id="listClients",
    summary="All clients of the caller's tenant, by id",
    responses=documented(401),
)
async def list_clients(session: SessionDep, tenant: TenantDep) -> Sequence[Client]:
    rows = await session.scalars(
        select(Client).where(Client.tenant_id == tenant.id).order_by(Client.id)
    )
    return rows.all()


@router.post(
    "",
    status_code=201,
    response_model=ClientPublic,
    operation_id="createClient",
    summary="Create a client",
    openapi_extra=json_body_doc(ClientCreate),
    responses=documented(400, 401, 415),
)
async def create_client(
    request: Request, session: SessionDep, tenant: TenantDep, settings: SettingsDep
) -> Client:
    require_json(request)
    data = await get_json(request, limit=settings.max_content_length)
    payload = ClientCreate.from_json(data)
    client = Client(tenant_id=tenant.id, name=payload.name, email=payload.email)
    session.add(client)
    await session.commit()
    return client


@router.get(
    "/{client_id:digits}",
    response_model=ClientPublic,
    operation_id="getClient",
    summary="One client",
    responses=documented(401, 404),
)
async def get_client(client_id: ClientIdPath, session: SessionDep, tenant: TenantDep) -> Client:
    return await client_or_404(session, tenant, client_id)


@router.patch(
    "/{client_id:digits}",
    response_model=ClientPublic,
    operation_id="updateClient",
    summary="Change a client's name or email",
    openapi_extra=json_body_doc(ClientUpdate),
    responses=documented(400, 401, 404, 415),
)
async def update_client(
    client_id: ClientIdPath,
    request: Request,
    session: SessionDep,
    tenant: TenantDep,
    settings: SettingsDep,
) -> Client:
    require_json(request)
    client = await client_or_404(session, tenant, client_id)
    data = await get_json(request, limit=settings.max_content_length)
    payload = ClientUpdate.from_json(data)
    if payload.name is not None:
        client.name = payload.name
    if "email" in payload.model_fields_set:
        client.email = payload.email
    await session.commit()
    return client


@router.delete(
    "/{client_id:digits}",
    status_code=204,
    response_class=Response,
    operation_id="deleteClient",
    summary="Delete a client that has no invoices",
    responses=documented(401, 404, 409),
)
async def delete_client(client_id: ClientIdPath, session: SessionDep, tenant: TenantDep) -> None:
    client = await client_or_404(session, tenant, client_id)
    if await session.scalar(select(Invoice.id).where(Invoice.client_id == client.id).limit(1)):
        raise HTTPException(409, "client has invoices")
    await session.delete(client)
    await session.commit()


add_options_routes(router)
