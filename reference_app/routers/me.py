"""Who am I: the caller's user and tenant."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from reference_app.deps import CurrentUser, get_current_user
from reference_app.errors import documented
from reference_app.http_compat import add_options_routes
from reference_app.models import User
from reference_app.schemas import Me

router = APIRouter(tags=["me"], dependencies=[Depends(get_current_user)])


@router.get(
    "/me",
    response_model=Me,
    operation_id="getMe",
    summary="The caller and its tenant",
    responses=documented(401),
)
async def me(user: CurrentUser) -> User:
    return user


add_options_routes(router)
