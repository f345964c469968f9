"""Orders, kept in memory."""

from flask import Blueprint, abort, g, jsonify, request

from shop.helpers import paging

orders = Blueprint("orders", __name__)
ORDERS = {1: {"id": 1, "item": "book", "qty": 2}}


@orders.route("/", methods=["GET", "POST"])
def collection():
    if request.method == "POST":
        data = request.get_json(force=True)
        order_id = max(ORDERS) + 1
        ORDERS[order_id] = {"id": order_id, "item": data["item"], "qty": data.get("qty", 1)}
        return jsonify(ORDERS[order_id]), 201
    offset, limit = paging()
    return jsonify(orders=list(ORDERS.values())[offset : offset + limit], customer=g.customer)


@orders.route("/<int:order_id>")
def one(order_id):
    if order_id not in ORDERS:
        abort(404)
    return jsonify(ORDERS[order_id])


@orders.route("/<int:order_id>", methods=["DELETE"])
def remove(order_id):
    ORDERS.pop(order_id, None)
    return "", 204
