"""Dependencies as `Annotated` aliases, so handlers read like plain functions.

Everything comes from `app.state`: the settings (set by `create_app`), the engine, its
sessionmaker and the shared HTTP client (set by the lifespan). Tests replace any of them
with `app.dependency_overrides`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

import aiohttp
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import joinedload

from reference_app.models import Tenant, User
from reference_app.settings import Settings

UNAUTHORIZED = "missing or invalid token"


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_engine(request: Request) -> AsyncEngine:
    engine: AsyncEngine = request.app.state.engine
    return engine


async def get_sessionmaker(request: Request) -> async_sessionmaker[AsyncSession]:
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    return sessionmaker


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[AsyncEngine, Depends(get_engine)]
SessionmakerDep = Annotated[async_sessionmaker[AsyncSession], Depends(get_sessionmaker)]


async def get_session(
    request: Request, sessionmaker: SessionmakerDep
) -> AsyncIterator[AsyncSession]:
    """One session per request, closed (and rolled back unless committed) afterwards; taken
    in arrival order (`db.connection_turns`)."""
    turns: asyncio.Semaphore = request.app.state.connection_turns
    async with turns, sessionmaker() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


async def get_http_client(request: Request) -> aiohttp.ClientSession:
    client: aiohttp.ClientSession = request.app.state.http_client
    return client


HttpClientDep = Annotated[aiohttp.ClientSession, Depends(get_http_client)]

bearer = HTTPBearer(auto_error=False, scheme_name="bearerAuth", description="A user's API token.")


async def get_current_user(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    """The user owning the bearer token; 401 with `WWW-Authenticate: Bearer` otherwise."""
    token = credentials.credentials if credentials is not None else ""
    if not token or "\x00" in token:
        raise HTTPException(401, UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})
    user = await session.scalar(
        select(User).options(joinedload(User.tenant)).where(User.api_token == token)
    )
    if user is None:
        raise HTTPException(401, UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})
    request.state.tenant = user.tenant.slug  # for the request's log line
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_tenant(user: CurrentUser) -> Tenant:
    return user.tenant


TenantDep = Annotated[Tenant, Depends(get_tenant)]
