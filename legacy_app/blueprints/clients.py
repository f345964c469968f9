"""Clients of the caller's tenant. Registered under /clients by the app factory."""

from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, request
from flask.wrappers import Response
from sqlalchemy import select

from legacy_app.db import get_db
from legacy_app.decorators import json_body
from legacy_app.models import MAX_ID, Client, Invoice
from legacy_app.serializers import client_to_dict
from legacy_app.validation import email_field, name_field, require_object

bp = Blueprint("clients", __name__)


def client_or_404(client_id: int) -> Client:
    if client_id > MAX_ID:
        abort(404, "client not found")
    client = (
        get_db()
        .scalars(select(Client).where(Client.id == client_id, Client.tenant_id == g.tenant.id))
        .first()
    )
    if client is None:
        abort(404, "client not found")
    return client


@bp.route("", methods=["GET", "POST"])
@json_body
def clients() -> Response | tuple[Response, int]:
    db = get_db()
    if request.method == "POST":
        data = require_object(request.json)
        client = Client(
            tenant_id=g.tenant.id,
            name=name_field(data, required=True),
            email=email_field(data),
        )
        db.add(client)
        db.commit()
        return jsonify(client_to_dict(client)), 201
    rows = db.scalars(select(Client).where(Client.tenant_id == g.tenant.id).order_by(Client.id))
    return jsonify([client_to_dict(c) for c in rows])


@bp.route("/<int:client_id>", methods=["GET"])
def get_client(client_id: int) -> Response:
    return jsonify(client_to_dict(client_or_404(client_id)))


@bp.route("/<int:client_id>", methods=["PATCH"])
@json_body
def update_client(client_id: int) -> Response:
    client = client_or_404(client_id)
    data = require_object(request.get_json())
    name = name_field(data, required=False)
    if name is not None:
        client.name = name
    if "email" in data:
        client.email = email_field(data)
    get_db().commit()
    return jsonify(client_to_dict(client))


@bp.route("/<int:client_id>", methods=["DELETE"])
def delete_client(client_id: int) -> tuple[str, int]:
    client = client_or_404(client_id)
    db = get_db()
    if db.scalars(select(Invoice.id).where(Invoice.client_id == client.id)).first():
        abort(409, "client has invoices")
    db.delete(client)
    db.commit()
    return "", 204
