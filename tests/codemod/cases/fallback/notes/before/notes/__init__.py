"""A small notes app: a JSON API that converts, pages that render templates."""

from flask import Flask

from notes.api import api
from notes.pages import pages


def create_app(title="Notes"):
    app = Flask(__name__)
    app.config["TITLE"] = title
    app.register_blueprint(api, url_prefix="/api")
    app.register_blueprint(pages)
    return app
