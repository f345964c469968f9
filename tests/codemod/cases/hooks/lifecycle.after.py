"""Hooks: before/after/teardown on the app and on a blueprint; g and current_app."""

import time

from fastapi import APIRouter, FastAPI, Request
import flask_compat
from flask_compat import JSONResponse, g, request

api = APIRouter(prefix="/api", tags=["api"])


@flask_compat.before_request(api)
def require_token():
    if request.headers.get("Authorization") != "Bearer secret":
        return JSONResponse({"error": "unauthorized"}), 401
    g.user = "alice"


@api.get("/me")
def me(request: Request):
    return JSONResponse({"user": request.state.user, "debug": request.app.state.config["DEBUG"], "seen": hasattr(request.state, "started")})


def create_app():
    app = FastAPI()
    flask_compat.install(app, __name__)
    app.state.config["GREETING"] = "hello"

    @flask_compat.before_request(app)
    def start_timer():
        g.started = time.monotonic()

    @flask_compat.after_request(app)
    def add_header(response):
        response.headers["X-Elapsed"] = str(time.monotonic() - g.get("started", 0))
        return response

    @flask_compat.teardown_request(app)
    def cleanup(exc):
        g.pop("started", None)

    @app.get("/greet")
    def greet(request: Request):
        return JSONResponse({"greeting": request.app.state.config["GREETING"]})

    app.include_router(api)
    return app
