"""A small notes app: a JSON API that converts, pages that render templates."""

from notes.api import api
from notes.pages import pages
from fastapi import FastAPI
from notes import flask_fallback, flask_compat


def create_app(title="Notes"):
    app = FastAPI()
    flask_compat.install(app, __name__)
    flask_fallback.mount(app, "notes_flask_legacy:create_app", title=title)
    app.state.config["TITLE"] = title
    app.include_router(api)
    app.include_router(pages)
    return app
