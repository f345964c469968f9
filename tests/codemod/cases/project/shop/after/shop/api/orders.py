"""Orders, kept in memory."""

from shop.helpers import paging
from fastapi import APIRouter, HTTPException, Request, Response
from shop import flask_compat
from shop.flask_compat import JSONResponse

orders = APIRouter(prefix="/orders", tags=["orders"])
ORDERS = {1: {"id": 1, "item": "book", "qty": 2}}


@orders.get("/")
@orders.post("/")
async def collection(request: Request):
    if request.method == "POST":
        data = flask_compat.request.get_json(force=True)
        order_id = max(ORDERS) + 1
        ORDERS[order_id] = {"id": order_id, "item": data["item"], "qty": data.get("qty", 1)}
        return JSONResponse(ORDERS[order_id], status_code=201)
    offset, limit = paging()
    return JSONResponse({"orders": list(ORDERS.values())[offset : offset + limit], "customer": request.state.customer})


@orders.get("/{order_id:int}")
async def one(order_id: int):
    if order_id not in ORDERS:
        raise HTTPException(status_code=404)
    return JSONResponse(ORDERS[order_id])


@orders.delete("/{order_id:int}")
async def remove(order_id: int):
    ORDERS.pop(order_id, None)
    return Response(status_code=204)
