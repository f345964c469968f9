"""MethodView and View classes registered with add_url_rule (directly or via a variable)."""

from flask import Flask, jsonify, request
from flask.views import MethodView, View

app = Flask(__name__)

ITEMS = {1: {"id": 1, "name": "one"}}


def audit(view):
    """A decorator applied to every method through `decorators`."""
    return view


class ItemAPI(MethodView):
    """One item: the store is passed to `as_view` and kept on the instance."""

    decorators = [audit]

    def __init__(self, store):
        self.store = store

    def _find(self, item_id):
        return self.store.get(item_id)

    def get(self, item_id):
        item = self._find(item_id)
        if item is None:
            return jsonify(error="not found"), 404  # the legacy body
        return jsonify(item)

    def delete(self, item_id):
        self.store.pop(item_id, None)
        return "", 204


class ItemListAPI(MethodView):
    def get(self):
        limit = request.args.get("limit", 10, type=int)
        return jsonify(list(ITEMS.values())[:limit])

    def post(self):
        data = request.get_json()
        new_id = max(ITEMS, default=0) + 1
        ITEMS[new_id] = {"id": new_id, "name": data["name"]}
        return jsonify(ITEMS[new_id]), 201


class Health(View):
    methods = ["GET"]

    def dispatch_request(self):
        return {"ok": True}


item_view = ItemAPI.as_view("item", ITEMS)
app.add_url_rule("/items/<int:item_id>", view_func=item_view)
app.add_url_rule(
    "/items/",
    view_func=ItemListAPI.as_view("items"),
    methods=["GET", "POST"],  # both methods of the class
)
app.add_url_rule("/health", "health", Health.as_view("health"))
