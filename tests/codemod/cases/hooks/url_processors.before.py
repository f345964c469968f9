"""URL processors, as in Flask's docs ("Using URL Processors"): the language code lives in
the URL, is taken out of the view arguments before the views run and put back by url_for."""

from flask import Blueprint, Flask, g, jsonify, request, url_for

app = Flask(__name__)
bp = Blueprint("frontend", __name__, url_prefix="/<lang_code>")


@bp.url_defaults
def add_language_code(endpoint, values):
    values.setdefault("lang_code", g.lang_code)


@bp.url_value_preprocessor
def pull_lang_code(endpoint, values):
    g.lang_code = values.pop("lang_code")


@bp.route("/")
def index():
    return jsonify(lang=g.lang_code, about=url_for(".about"), seen=g.seen)


@bp.route("/about")
def about():
    return jsonify(lang=g.lang_code, home=url_for("frontend.index", lang_code="fr"))


app.register_blueprint(bp)


@app.url_value_preprocessor
def normalise_slug(endpoint, values):
    g.endpoint = endpoint
    if values and "slug" in values:
        values["slug"] = values["slug"].lower()


@app.url_defaults
def add_default_slug(endpoint, values):
    if "slug" not in values and app.url_map.is_endpoint_expecting(endpoint, "slug"):
        values["slug"] = "home"


@app.before_request
def remember_view_args():
    g.seen = request.view_args


@app.route("/pages/<slug>")
def page(slug):
    return jsonify(slug=slug, endpoint=g.endpoint, seen=g.seen, home=url_for("page"))
