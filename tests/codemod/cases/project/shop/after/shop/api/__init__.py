
from shop.api.orders import orders
from fastapi import APIRouter

api = APIRouter(prefix="/api", tags=["api"])
api.include_router(orders)


@api.get("/ping")
async def ping():
    return {"pong": True}
