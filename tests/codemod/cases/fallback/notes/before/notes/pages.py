"""HTML pages: templates and url_for (left to Flask when those rules are off)."""

from flask import Blueprint, current_app, redirect, render_template, url_for

from notes.api import NOTES

pages = Blueprint("pages", __name__)


@pages.route("/")
def index():
    return render_template("index.html", title=current_app.config["TITLE"], notes=NOTES)


@pages.route("/latest")
def latest():
    return redirect(url_for("api.get_note", note_id=max(NOTES)))
