"""The JSON API: plain views, converted natively."""

from flask import Blueprint, abort, jsonify, request

api = Blueprint("api", __name__)

NOTES = {1: "first", 2: "second"}


@api.route("/notes")
def list_notes():
    limit = request.args.get("limit", 10, type=int)
    return jsonify(sorted(NOTES.items())[:limit])


@api.route("/notes/<int:note_id>")
def get_note(note_id):
    if note_id not in NOTES:
        abort(404)
    return jsonify(id=note_id, text=NOTES[note_id])
