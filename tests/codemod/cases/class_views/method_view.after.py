"""MethodView and View classes registered with add_url_rule (directly or via a variable)."""

from fastapi import Body, FastAPI, Response
import flask_compat
from flask_compat import JSONResponse
import flask_views
from flask_views import MethodView, View
from typing import Annotated, Any

app = FastAPI()
flask_compat.install(app, __name__)

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

    def get(self, item_id: int):
        item = self._find(item_id)
        if item is None:
            return JSONResponse({"error": "not found"}, status_code=404)  # the legacy body
        return JSONResponse(item)

    def delete(self, item_id: int):
        self.store.pop(item_id, None)
        return Response(status_code=204)


class ItemListAPI(MethodView):
    def get(self, limit: Annotated[int, flask_compat.arg_type(int, 10)] = 10):
        return JSONResponse(list(ITEMS.values())[:limit])

    def post(self, data: Annotated[Any, Body(), flask_compat.json_body()]):
        new_id = max(ITEMS, default=0) + 1
        ITEMS[new_id] = {"id": new_id, "name": data["name"]}
        return JSONResponse(ITEMS[new_id], status_code=201)


class Health(View):
    methods = ["GET"]

    def dispatch_request(self):
        return {"ok": True}


item_view = ItemAPI.as_view("item", ITEMS)
flask_views.add_class_view(app, "/items/{item_id:int}", item_view)
flask_views.add_class_view(
    app,
    "/items/",
    ItemListAPI.as_view("items"),
    methods=["GET", "POST"],  # both methods of the class
)
flask_views.add_class_view(app, "/health", Health.as_view("health"), name="health")
