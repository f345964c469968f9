"""session in views → request.session; flash and get_flashed_messages from the support module."""

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
import flask_compat
from flask_compat import session, url_for
from flask_templates import flash, get_flashed_messages

app = FastAPI()
flask_compat.install(app, __name__)
app.state.config["SECRET_KEY"] = "change-me"


def current_user():
    # outside a view: the support module's session proxy
    return session.get("user")


@app.post("/login/{name}")
def login(name: str, request: Request):
    request.session["user"] = name
    session.permanent = True  # Flask-only attribute: kept on the proxy
    flash(f"Welcome {name}", "info")
    return RedirectResponse(url_for("home"), status_code=302)


@app.get("/")
def home(request: Request):
    if "user" not in request.session:
        return {"user": None, "messages": get_flashed_messages()}
    return {"user": current_user(), "messages": get_flashed_messages(with_categories=True)}


@app.post("/logout")
def logout(request: Request):
    request.session.pop("user", None)
    return RedirectResponse(url_for("home", bye=1), status_code=302)
