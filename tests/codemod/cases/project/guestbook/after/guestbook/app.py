"""A small guestbook: templates, forms, flash messages and a session login."""

from fastapi import FastAPI, Form, Request
from fastapi.responses import RedirectResponse
from guestbook import flask_compat
from guestbook.flask_compat import session, url_for
from guestbook.flask_templates import flash, templates
from typing import Annotated

app = FastAPI()
flask_compat.install(app, __name__)
app.state.config["SECRET_KEY"] = "dev-secret"
NOTES: dict[int, str] = {1: "first <note>"}


@flask_compat.flask_app(app).context_processor
def inject_user():
    return {"user": session.get("user")}


@flask_compat.flask_app(app).template_filter("shout")
def shout(text):
    return text.upper() + "!"


@app.get("/")
async def index(request: Request):
    return templates.TemplateResponse(request, "index.html", {"notes": NOTES, "title": "Notes"})


@app.get("/notes/{note_id:int}")
async def show(note_id: int, request: Request):
    if note_id not in NOTES:
        return templates.TemplateResponse(request, "missing.html", {"note_id": note_id}, status_code=404)
    return templates.TemplateResponse(request, "note.html", {"note": NOTES[note_id], "note_id": note_id})


@app.post("/notes")
async def create(text: Annotated[str, Form()] = ""):
    text = text.strip()
    if not text:
        flash("Text is required", "error")
        return RedirectResponse(url_for("index"), status_code=302)
    note_id = max(NOTES) + 1
    NOTES[note_id] = text
    flash("Note saved")
    return RedirectResponse(url_for("show", note_id=note_id, ref="new"), status_code=302)


@app.get("/login")
@app.post("/login")
async def login(request: Request):
    if request.method == "POST":
        request.session["user"] = flask_compat.request.form["name"]
        return RedirectResponse(url_for("index"), status_code=302)
    return templates.TemplateResponse(request, "login.html", {})


@app.get("/logout")
async def logout(request: Request):
    request.session.pop("user", None)
    return RedirectResponse(url_for("index"), status_code=302)
