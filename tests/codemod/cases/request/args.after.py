"""Query strings: get with default and type=, [], getlist, membership."""

from fastapi import FastAPI, Query
import flask_compat
from flask_compat import JSONResponse
from typing import Annotated, Any

app = FastAPI()
flask_compat.install(app, __name__)
PAGE_SIZE = 20


@app.get("/search")
def search(
    q: str,
    page: Annotated[int, flask_compat.arg_type(int, 1)] = 1,
    size: Annotated[Any, Query(alias="per-page"), flask_compat.arg_type(int, PAGE_SIZE)] = PAGE_SIZE,
    tags: Annotated[list[str], Query(alias="tag")] = [],
    sort: str = "name",
):
    # the query is required: Flask answers 400 without it
    return JSONResponse({"q": q, "page": page, "size": size, "tags": tags, "sort": sort})


@app.get("/filter")
def filter_items(
    limit: Annotated[int, flask_compat.arg_type(int, 10)] = 10,
    verbose_arg: Annotated[str | None, Query(alias="verbose")] = None,
    cursor_arg: Annotated[str | None, Query(alias="cursor")] = None,
):
    limit = min(limit, 100)
    if verbose_arg is not None:
        return JSONResponse({"limit": limit, "verbose": True})
    return JSONResponse({"limit": limit, "cursor": cursor_arg})


@app.get("/dump")
def dump():
    return JSONResponse(flask_compat.request.args.to_dict())
