"""Bearer-token authentication, done in a before_request hook as legacy apps do."""

from __future__ import annotations

from flask import abort, g, request
from sqlalchemy import select

from legacy_app.db import get_db
from legacy_app.models import User

# Endpoints anyone may call: liveness and readiness probes.
PUBLIC_ENDPOINTS = {"health.health", "health.ready"}


def authenticate() -> None:
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token or "\x00" in token:
        abort(401, "missing or invalid token")
    user = get_db().scalars(select(User).where(User.api_token == token.strip())).first()
    if user is None:
        abort(401, "missing or invalid token")
    g.user = user
    g.tenant = user.tenant
