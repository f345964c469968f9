"""Views decorated by Flask extensions the codemod does not convert: the decorators stay,
and each route is reported `review` naming its decorator."""

from flask import Flask, jsonify
from flask_caching import Cache
from flask_httpauth import HTTPBasicAuth
from flask_jwt_extended import JWTManager, jwt_required
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import login_required

app = Flask(__name__)
cache = Cache(app, config={"CACHE_TYPE": "SimpleCache"})
limiter = Limiter(get_remote_address, app=app)
jwt = JWTManager(app)
auth = HTTPBasicAuth()


@app.route("/search")
@limiter.limit("5 per minute")
def search():
    return jsonify(results=[])


@app.route("/report")
@cache.cached(timeout=60)
@jwt_required()
def report():
    return jsonify(total=1)


@app.route("/admin")
@auth.login_required
def admin():
    return jsonify(ok=True)


@app.route("/profile")
@login_required
def profile():
    return jsonify(ok=True)


@app.route("/health")
def health():
    return jsonify(ok=True)
