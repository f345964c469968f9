from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse

bp = APIRouter(prefix="/pages", tags=["pages"])


@bp.get("/")
async def home():
    return HTMLResponse("<h1>Shop</h1>")


@bp.get("/go")
async def go():
    return RedirectResponse("/pages/", status_code=302)
