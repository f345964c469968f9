"""What views return: JSON, HTML, tuples with status and headers, responses."""

from flask import Flask, Response, jsonify, make_response, redirect, send_file, send_from_directory, stream_with_context

app = Flask(__name__)


@app.route("/json")
def as_json():
    return {"ok": True}


@app.route("/html")
def as_html():
    return "<p>hello</p>"


@app.route("/created", methods=["POST"])
def created():
    return jsonify(id=1), 201, {"Location": "/created/1"}


@app.route("/cookie")
def cookie():
    response = make_response(jsonify(ok=True), 200)
    response.set_cookie("seen", "1", max_age=3600)
    return response


@app.route("/csv")
def csv():
    def rows():
        yield "a,b\n"
        yield "1,2\n"

    return Response(stream_with_context(rows()), mimetype="text/csv")


@app.route("/plain")
def plain():
    return Response("pong", status=200, mimetype="text/plain")


@app.route("/old")
def old():
    return redirect("/new")


@app.route("/moved")
def moved():
    return redirect("/new", code=301)


@app.route("/report")
def report():
    return send_file("report.pdf", as_attachment=True)


@app.route("/static-file/<path:name>")
def static_file(name):
    return send_from_directory("assets", name)


def helper_response():
    return jsonify(error="nope"), 418


@app.route("/helper")
def helper():
    return helper_response()
