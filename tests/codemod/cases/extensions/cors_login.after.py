"""flask_cors and flask_login, and extensions reported by name."""

from flask_caching import Cache
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
import flask_compat
from flask_compat import JSONResponse
from flask_views import LoginManager, current_user, login_required

app = FastAPI()
flask_compat.install(app, __name__)
app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://example.com"],  # one origin, as a string
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
)
login_manager = LoginManager(app)
cache = Cache(app)

USERS = {"1": "ada"}


@login_manager.user_loader
def load(user_id):
    return USERS.get(user_id)


@app.get("/me")
@login_required
def me():
    return JSONResponse({"name": current_user.name})


@app.get("/public")
def public():
    return JSONResponse({"ok": True})
