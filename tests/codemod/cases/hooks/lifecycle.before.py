"""Hooks: before/after/teardown on the app and on a blueprint; g and current_app."""

import time

from flask import Blueprint, Flask, current_app, g, jsonify, request

api = Blueprint("api", __name__, url_prefix="/api")


@api.before_request
def require_token():
    if request.headers.get("Authorization") != "Bearer secret":
        return jsonify(error="unauthorized"), 401
    g.user = "alice"


@api.route("/me")
def me():
    return jsonify(user=g.user, debug=current_app.config["DEBUG"], seen="started" in g)


def create_app():
    app = Flask(__name__)
    app.config["GREETING"] = "hello"

    @app.before_request
    def start_timer():
        g.started = time.monotonic()

    @app.after_request
    def add_header(response):
        response.headers["X-Elapsed"] = str(time.monotonic() - g.get("started", 0))
        return response

    @app.teardown_request
    def cleanup(exc):
        g.pop("started", None)

    @app.route("/greet")
    def greet():
        return jsonify(greeting=current_app.config["GREETING"])

    app.register_blueprint(api)
    return app
