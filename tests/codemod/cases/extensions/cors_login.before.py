"""flask_cors and flask_login, and extensions reported by name."""

from flask import Flask, jsonify
from flask_caching import Cache
from flask_cors import CORS
from flask_login import LoginManager, current_user, login_required

app = Flask(__name__)
CORS(
    app,
    origins="https://example.com",  # one origin, as a string
    supports_credentials=True,
)
login_manager = LoginManager(app)
cache = Cache(app)

USERS = {"1": "ada"}


@login_manager.user_loader
def load(user_id):
    return USERS.get(user_id)


@app.route("/me")
@login_required
def me():
    return jsonify(name=current_user.name)


@app.route("/public")
def public():
    return jsonify(ok=True)
