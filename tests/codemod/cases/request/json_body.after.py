"""JSON bodies: strict, silent, and read on one branch of a multi-method view."""

from fastapi import Body, Depends, FastAPI, HTTPException, Request
import flask_compat
from flask_compat import JSONResponse
from typing import Annotated, Any

app = FastAPI()
flask_compat.install(app, __name__)


@app.post("/notes")
def create_note(data: Annotated[Any, Body(), flask_compat.json_body()]):
    if not isinstance(data, dict) or "text" not in data:
        raise HTTPException(status_code=400, detail="text is required")
    return JSONResponse({"text": data["text"]}, status_code=201)


@app.patch("/notes/{note_id:int}")
def update_note(
    note_id: int,
    payload: Annotated[Any, Body(), flask_compat.json_body(silent=True)] = None,
):
    payload = payload or {}
    return JSONResponse({"id": note_id, **payload})


@app.get("/tags")
@app.post("/tags")
def tags(request: Request):
    if request.method == "POST":
        return JSONResponse(flask_compat.request.json, status_code=201)
    return JSONResponse([])


@app.post("/raw")
def raw(raw_body: Annotated[bytes, Depends(flask_compat.raw_body)]):
    text = raw_body.decode(errors="replace")
    return JSONResponse({"size": len(raw_body), "text": text})
