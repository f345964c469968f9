from flask import Blueprint

from shop.api.orders import orders

api = Blueprint("api", __name__, url_prefix="/api/")
api.register_blueprint(orders, url_prefix="/orders")


@api.route("/ping")
def ping():
    return {"pong": True}
