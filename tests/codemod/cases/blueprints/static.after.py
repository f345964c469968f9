"""Blueprints with their own static files: served under the blueprint's URL prefix, as Flask
does, and `url_for("<blueprint>.static", filename=...)` builds their URLs."""

from fastapi import APIRouter, FastAPI
import flask_compat
from flask_compat import JSONResponse, url_for

app = FastAPI()
flask_compat.install(app, __name__)
admin = APIRouter(prefix="/admin", tags=["admin"])
flask_compat.static_folder(admin, "admin", __name__, "admin_static")
docs = APIRouter(
    prefix="/docs", tags=["docs"]
)
flask_compat.template_folder(__name__, "t")
flask_compat.static_folder(docs, "docs", __name__, "docs_files", static_url_path="/assets")
api = APIRouter(prefix="/v1", tags=["api"])
shop = APIRouter(prefix="/shop", tags=["shop"])
flask_compat.static_folder(shop, "shop", __name__, "shop_static")


@admin.get("/", name="admin.dashboard")
def dashboard():
    return JSONResponse(
        {
            "css": url_for("admin.static", filename="admin.css"),
            "docs": url_for("docs.static", filename="guide.txt"),
            "shop": url_for("api.shop.static", filename="logo.txt"),
            "here": url_for(".static", filename="admin.css"),
        }
    )


api.include_router(shop)
app.include_router(admin)
app.include_router(docs)
app.include_router(api)
