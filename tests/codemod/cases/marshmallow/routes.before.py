"""marshmallow schemas wired to routes: the model types the body and documents the answer
where that keeps behaviour; elsewhere the route is `review`, saying why."""

from flask import Blueprint, Flask, jsonify, request
from marshmallow import Schema, ValidationError, fields, validate

app = Flask(__name__)
bp = Blueprint("items", __name__, url_prefix="/items")
ITEMS = []


class ItemSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1))
    price = fields.Float(load_default=0.0)
    tags = fields.List(fields.String(), load_default=list)


class StoredItemSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String()


item_schema = ItemSchema()
items_schema = ItemSchema(many=True)


@app.errorhandler(ValidationError)
def invalid(error):
    return jsonify(errors=error.messages), 422


@bp.route("", methods=["POST"])
def create_item():
    data = item_schema.load(request.get_json())
    ITEMS.append(data)
    return jsonify(item_schema.dump(data)), 201


@bp.route("/bulk", methods=["POST"])
def create_items():
    batch = ItemSchema(many=True).load(request.get_json())
    ITEMS.extend(batch)
    return jsonify(items_schema.dump(batch)), 201


@bp.route("", methods=["GET"])
def list_items():
    return jsonify(items_schema.dump(ITEMS))


@bp.route("/<int:index>", methods=["PUT"])
def replace_item(index):
    try:
        data = item_schema.load(request.get_json())
    except ValidationError as error:
        return jsonify(message="invalid item", errors=error.messages), 400
    if index >= len(ITEMS):
        return jsonify(message="no such item"), 404
    ITEMS[index] = data
    return jsonify(StoredItemSchema().dump({"id": index, **data}))


app.register_blueprint(bp)
