"""HTML pages: templates and url_for (left to Flask when those rules are off)."""

from flask import render_template, url_for

from notes.api import NOTES
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

pages = APIRouter(tags=["pages"])


@pages.get("/", name="pages.index")
async def index(request: Request):
    return HTMLResponse(render_template("index.html", title=request.app.state.config["TITLE"], notes=NOTES))


@pages.get("/latest", name="pages.latest")
async def latest():
    return RedirectResponse(url_for("api.get_note", note_id=max(NOTES)), status_code=302)
