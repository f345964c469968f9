"""Views decorated by Flask extensions the codemod does not convert: the decorators stay,
and each route is reported `review` naming its decorator."""

from flask_caching import Cache
from flask_httpauth import HTTPBasicAuth
from flask_jwt_extended import JWTManager, jwt_required
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from fastapi import FastAPI
import flask_compat
from flask_compat import JSONResponse
from flask_views import login_required

app = FastAPI()
flask_compat.install(app, __name__)
cache = Cache(app, config={"CACHE_TYPE": "SimpleCache"})
limiter = Limiter(get_remote_address, app=app)
jwt = JWTManager(app)
auth = HTTPBasicAuth()


@app.get("/search")
@limiter.limit("5 per minute")
def search():
    return JSONResponse({"results": []})


@app.get("/report")
@cache.cached(timeout=60)
@jwt_required()
def report():
    return JSONResponse({"total": 1})


@app.get("/admin")
@auth.login_required
def admin():
    return JSONResponse({"ok": True})


@app.get("/profile")
@login_required
def profile():
    return JSONResponse({"ok": True})


@app.get("/health")
def health():
    return JSONResponse({"ok": True})
