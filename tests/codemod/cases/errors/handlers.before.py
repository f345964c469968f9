"""abort, raised werkzeug exceptions, and error handlers keeping the legacy body shape."""

from flask import Flask, abort, jsonify
from werkzeug.exceptions import HTTPException, NotFound


class QuotaExceeded(Exception):
    pass


app = Flask(__name__)


@app.errorhandler(404)
def not_found(error):
    return jsonify(error="not found"), 404


@app.errorhandler(HTTPException)
def http_error(error):
    return jsonify(error=error.description), error.code


@app.errorhandler(QuotaExceeded)
def quota(error):
    return {"error": "quota exceeded"}, 429


def teapot(error):
    return "I'm a teapot", 418


app.register_error_handler(418, teapot)


@app.route("/things/<int:thing_id>")
def thing(thing_id):
    if thing_id == 0:
        abort(404)
    if thing_id > 100:
        raise NotFound("no such thing")
    if thing_id == 42:
        abort(403, description="forbidden thing")
    return jsonify(id=thing_id)


@app.route("/maybe/<int:n>")
def maybe(n):
    value = {1: "one"}.get(n) or abort(404)
    return jsonify(value=value)
