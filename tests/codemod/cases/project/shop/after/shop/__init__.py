"""A small shop API: app factory, nested blueprints, a prefix given at registration."""

from shop.api import api
from shop.pages import bp as pages_bp
from fastapi import FastAPI
from shop import flask_compat
from shop.flask_compat import JSONResponse, g, request


def create_app(config=None):
    app = FastAPI()
    flask_compat.install(app, __name__)
    app.state.config.update(config or {})

    @flask_compat.before_request(app)
    def identify():
        g.customer = request.headers.get("X-Customer", "anonymous")

    @flask_compat.errorhandler(app, 404)
    def not_found(error):
        return JSONResponse({"error": "not found", "path": request.path}), 404

    @flask_compat.errorhandler(app, 400)
    def bad_request(error):
        return JSONResponse({"error": "bad request"}), 400

    app.include_router(api)
    app.include_router(pages_bp)
    return app
