"""Query strings: get with default and type=, [], getlist, membership."""

from flask import Flask, jsonify, request

app = Flask(__name__)
PAGE_SIZE = 20


@app.route("/search")
def search():
    # the query is required: Flask answers 400 without it
    q = request.args["q"]
    page = request.args.get("page", 1, type=int)
    size = request.args.get("per-page", PAGE_SIZE, type=int)
    tags = request.args.getlist("tag")
    sort = request.args.get("sort", "name")
    return jsonify(q=q, page=page, size=size, tags=tags, sort=sort)


@app.route("/filter")
def filter_items():
    limit = min(request.args.get("limit", 10, type=int), 100)
    if "verbose" in request.args:
        return jsonify(limit=limit, verbose=True)
    return jsonify(limit=limit, cursor=request.args.get("cursor"))


@app.route("/dump")
def dump():
    return jsonify(request.args.to_dict())
