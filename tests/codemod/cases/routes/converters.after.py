from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from flask_compat import make_response
from typing import Literal
from uuid import UUID

bp = APIRouter(prefix="/files", tags=["files"])


@bp.get("/{name}")
def by_name(name: str):
    return HTMLResponse(name)


@bp.get("/{slug}/{version:float}")
def versioned(slug: str, version: float):
    return HTMLResponse(f"{slug} {version}")


@bp.get("/raw/{subpath:path}")
def raw(subpath: str):
    return HTMLResponse(subpath)


@bp.get("/by-id/{file_id:uuid}")
def by_id(file_id: UUID):
    return HTMLResponse(str(file_id))


@bp.get("/kind/{kind}")
def by_kind(kind: Literal["image", "video"]):
    return make_response(kind)


@bp.get("/custom/{word}")
def custom(word: str):
    return HTMLResponse(word)
