"""JSON bodies: strict, silent, and read on one branch of a multi-method view."""

from flask import Flask, abort, jsonify, request

app = Flask(__name__)


@app.route("/notes", methods=["POST"])
def create_note():
    data = request.get_json()
    if not isinstance(data, dict) or "text" not in data:
        abort(400, "text is required")
    return jsonify(text=data["text"]), 201


@app.route("/notes/<int:note_id>", methods=["PATCH"])
def update_note(note_id):
    payload = request.get_json(silent=True) or {}
    return jsonify(id=note_id, **payload)


@app.route("/tags", methods=["GET", "POST"])
def tags():
    if request.method == "POST":
        return jsonify(request.json), 201
    return jsonify([])


@app.route("/raw", methods=["POST"])
def raw():
    text = request.get_data(as_text=True)
    return jsonify(size=len(request.data), text=text)
