"""Blueprints with their own static files: served under the blueprint's URL prefix, as Flask
does, and `url_for("<blueprint>.static", filename=...)` builds their URLs."""

from flask import Blueprint, Flask, jsonify, url_for

app = Flask(__name__)
admin = Blueprint("admin", __name__, static_folder="admin_static", url_prefix="/admin")
docs = Blueprint(
    "docs", __name__, static_folder="docs_files", static_url_path="/assets", template_folder="t"
)
api = Blueprint("api", __name__, url_prefix="/v1")
shop = Blueprint("shop", __name__, "shop_static", url_prefix="/shop")


@admin.route("/")
def dashboard():
    return jsonify(
        css=url_for("admin.static", filename="admin.css"),
        docs=url_for("docs.static", filename="guide.txt"),
        shop=url_for("api.shop.static", filename="logo.txt"),
        here=url_for(".static", filename="admin.css"),
    )


api.register_blueprint(shop)
app.register_blueprint(admin)
app.register_blueprint(docs, url_prefix="/docs")
app.register_blueprint(api)
