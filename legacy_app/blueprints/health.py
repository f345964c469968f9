"""Liveness and readiness probes; no authentication."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.wrappers import Response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from legacy_app.db import get_db

bp = Blueprint("health", __name__)


@bp.route("/health")
def health() -> Response:
    return jsonify(status="ok")


@bp.route("/ready")
def ready() -> Response | tuple[Response, int]:
    try:
        get_db().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify(status="unavailable"), 503
    return jsonify(status="ready")
