"""Names are resolved by what they refer to, not how they are spelled."""

import flask
from flask import jsonify as to_json
from flask import request as rq

from flask import render_template  # a view returning it: templates.TemplateResponse

app = flask.Flask(__name__)


def wants_json():
    return rq.accept_mimetypes.best == "application/json" or flask.request.is_json


@app.route("/page")
def page():
    if wants_json():
        return to_json(name=rq.args.get("name", "world"))
    return render_template("page.html", name=flask.request.args.get("name"))
