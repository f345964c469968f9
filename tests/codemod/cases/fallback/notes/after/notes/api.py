"""The JSON API: plain views, converted natively."""

from fastapi import APIRouter, HTTPException
from notes import flask_compat
from notes.flask_compat import JSONResponse
from typing import Annotated

api = APIRouter(prefix="/api", tags=["api"])

NOTES = {1: "first", 2: "second"}


@api.get("/notes", name="api.list_notes")
async def list_notes(limit: Annotated[int, flask_compat.arg_type(int, 10)] = 10):
    return JSONResponse(sorted(NOTES.items())[:limit])


@api.get("/notes/{note_id:int}", name="api.get_note")
async def get_note(note_id: int):
    if note_id not in NOTES:
        raise HTTPException(status_code=404)
    return JSONResponse({"id": note_id, "text": NOTES[note_id]})
