"""The legacy invoicing service: a Flask 3 app written the way real legacy services are."""

from __future__ import annotations

import os
import uuid

from flask import Flask, g, request
from flask.wrappers import Response

from legacy_app import db
from legacy_app.auth import authenticate
from legacy_app.blueprints.clients import bp as clients_bp
from legacy_app.blueprints.health import bp as health_bp
from legacy_app.blueprints.invoices import bp as invoices_bp
from legacy_app.blueprints.me import bp as me_bp
from legacy_app.cli import init_db_command
from legacy_app.config import load_config
from legacy_app.errors import register_error_handlers


def create_app(database_url: str | None = None) -> Flask:
    """Build the app; `database_url` wins over $DATABASE_URL, else SQLite in the instance folder."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(load_config(app.instance_path, database_url))
    app.json.sort_keys = app.config["JSON_SORT_KEYS"]  # type: ignore[attr-defined]

    db.init_app(app)
    register_error_handlers(app)

    app.register_blueprint(health_bp)
    app.register_blueprint(me_bp)
    app.register_blueprint(clients_bp, url_prefix="/clients")
    app.register_blueprint(invoices_bp)

    app.before_request(assign_request_id)
    app.before_request(authenticate)
    app.after_request(echo_request_id)
    app.cli.add_command(init_db_command)
    return app


def assign_request_id() -> None:
    g.request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex


def echo_request_id(response: Response) -> Response:
    response.headers["X-Request-ID"] = g.get("request_id", "")
    return response
