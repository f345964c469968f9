"""A small shop API: app factory, nested blueprints, a prefix given at registration."""

from flask import Flask, g, jsonify, request

from shop.api import api
from shop.pages import bp as pages_bp


def create_app(config=None):
    app = Flask(__name__)
    app.config.update(config or {})

    @app.before_request
    def identify():
        g.customer = request.headers.get("X-Customer", "anonymous")

    @app.errorhandler(404)
    def not_found(error):
        return jsonify(error="not found", path=request.path), 404

    @app.errorhandler(400)
    def bad_request(error):
        return jsonify(error="bad request"), 400

    app.register_blueprint(api)
    app.register_blueprint(pages_bp, url_prefix="/pages")
    return app
