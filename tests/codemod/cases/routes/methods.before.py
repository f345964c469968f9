"""Route decorators: methods lists, shortcuts, several verbs, stacked rules."""

from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/items")  # GET only, as in Flask
def list_items():
    return jsonify(items=[])


@app.route("/items", methods=["POST"])
def create_item():
    return jsonify(created=True), 201


@app.route("/items/<int:item_id>", methods=["GET", "PUT"])
def item(item_id):
    return jsonify(id=item_id)


@app.delete("/items/<int:item_id>")
def delete_item(item_id: int):
    return "", 204


@app.route("/users/", defaults={"page": 1})
@app.route("/users/page/<int:page>")
def users(page):
    return jsonify(page=page)


@app.route("/about", strict_slashes=False, endpoint="about_page")
def about():
    return "<h1>About</h1>"
