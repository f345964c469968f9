"""marshmallow schemas used by a view: each gets a Pydantic model beside it."""

from flask import Flask, jsonify, request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

app = Flask(__name__)


class AddressSchema(Schema):
    city = fields.String(required=True)
    zip_code = fields.String(data_key="zip", validate=validate.Length(equal=5))


class UserSchema(Schema):
    """A user, as clients send it."""

    class Meta:
        unknown = EXCLUDE

    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    age = fields.Integer(validate=validate.Range(min=0, max=150))
    role = fields.String(load_default="user", validate=validate.OneOf(["user", "admin"]))
    email = fields.Email(allow_none=True)
    tags = fields.List(fields.String(), load_default=list)
    address = fields.Nested(AddressSchema)
    created = fields.DateTime(dump_only=True)
    score = fields.Decimal(validate=validate.Range(min=0, min_inclusive=False))
    json = fields.Dict()  # a name BaseModel already uses


@app.route("/users", methods=["POST"])
def create_user():
    try:
        user = UserSchema().load(request.get_json())
    except ValidationError as error:
        return jsonify(errors=error.messages), 400
    return jsonify(UserSchema().dump(user)), 201
