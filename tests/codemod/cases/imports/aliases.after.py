"""Names are resolved by what they refer to, not how they are spelled."""

from flask_compat import JSONResponse, request
from flask_compat import request as rq

from flask import render_template  # not converted yet: stays imported from Flask
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
import flask_compat

app = FastAPI()
flask_compat.install(app, __name__)


def wants_json():
    return rq.accept_mimetypes.best == "application/json" or request.is_json


@app.get("/page")
def page():
    if wants_json():
        return JSONResponse({"name": flask_compat.request.args.get("name", "world")})
    return HTMLResponse(render_template("page.html", name=flask_compat.request.args.get("name")))
