"""Who am I: the caller's user and tenant."""

from __future__ import annotations

from flask import Blueprint, g, jsonify
from flask.wrappers import Response

from legacy_app.serializers import user_to_dict

bp = Blueprint("me", __name__)


@bp.get("/me")
def me() -> Response:
    return jsonify(user_to_dict(g.user))
