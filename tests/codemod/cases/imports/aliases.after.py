"""Names are resolved by what they refer to, not how they are spelled."""

from flask_compat import JSONResponse, request
from flask_compat import request as rq

from flask_templates import templates  # a view returning it: templates.TemplateResponse
from fastapi import FastAPI, Request
import flask_compat

app = FastAPI()
flask_compat.install(app, __name__)


def wants_json():
    return rq.accept_mimetypes.best == "application/json" or request.is_json


@app.get("/page")
def page(request: Request):
    if wants_json():
        return JSONResponse({"name": flask_compat.request.args.get("name", "world")})
    return templates.TemplateResponse(request, "page.html", {"name": flask_compat.request.args.get("name")})
