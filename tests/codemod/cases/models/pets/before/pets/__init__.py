"""A small pets API whose views validate their JSON bodies by hand."""

from flask import Flask, abort, jsonify, request

app = Flask(__name__)

PETS = {1: {"id": 1, "name": "Rex", "tag": None}}


@app.route("/pets")
def list_pets():
    limit = request.args.get("limit", 20, type=int)
    return jsonify(items=list(PETS.values())[:limit])


@app.route("/pets", methods=["POST"])
def create_pet():
    data = request.get_json()
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return jsonify(error="name must be a string"), 400
    pet = {"id": max(PETS) + 1, "name": data["name"], "tag": data.get("tag")}
    PETS[pet["id"]] = pet
    return jsonify(pet), 201


@app.route("/pets/<int:pet_id>")
def get_pet(pet_id):
    if pet_id not in PETS:
        abort(404)
    return PETS[pet_id]
