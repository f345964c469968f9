"""URL processors, as in Flask's docs ("Using URL Processors"): the language code lives in
the URL, is taken out of the view arguments before the views run and put back by url_for."""

from fastapi import APIRouter, FastAPI, Request
import flask_compat
from flask_compat import JSONResponse, g, request, url_for

app = FastAPI()
flask_compat.install(app, __name__)
bp = APIRouter(prefix="/{lang_code}", tags=["frontend"])


@flask_compat.url_defaults(bp)
def add_language_code(endpoint, values):
    values.setdefault("lang_code", g.lang_code)


@flask_compat.url_value_preprocessor(bp)
def pull_lang_code(endpoint, values):
    g.lang_code = values.pop("lang_code")


@bp.get("/", name="frontend.index")
def index(request: Request):
    return JSONResponse({"lang": request.state.lang_code, "about": url_for(".about"), "seen": request.state.seen})


@bp.get("/about", name="frontend.about")
def about(request: Request):
    return JSONResponse({"lang": request.state.lang_code, "home": url_for("frontend.index", lang_code="fr")})


app.include_router(bp)


@flask_compat.url_value_preprocessor(app)
def normalise_slug(endpoint, values):
    g.endpoint = endpoint
    if values and "slug" in values:
        values["slug"] = values["slug"].lower()


@flask_compat.url_defaults(app)
def add_default_slug(endpoint, values):
    if "slug" not in values and flask_compat.flask_app(app).url_map.is_endpoint_expecting(endpoint, "slug"):
        values["slug"] = "home"


@flask_compat.before_request(app)
def remember_view_args():
    g.seen = request.view_args


@app.get("/pages/{slug}")
def page(slug: str, request: Request):
    return JSONResponse({"slug": slug, "endpoint": request.state.endpoint, "seen": request.state.seen, "home": url_for("page")})
