"""session in views → request.session; flash and get_flashed_messages from the support module."""

from flask import Flask, flash, get_flashed_messages, redirect, session, url_for

app = Flask(__name__)
app.config["SECRET_KEY"] = "change-me"


def current_user():
    # outside a view: the support module's session proxy
    return session.get("user")


@app.route("/login/<name>", methods=["POST"])
def login(name):
    session["user"] = name
    session.permanent = True  # Flask-only attribute: kept on the proxy
    flash(f"Welcome {name}", "info")
    return redirect(url_for("home"))


@app.route("/")
def home():
    if "user" not in session:
        return {"user": None, "messages": get_flashed_messages()}
    return {"user": current_user(), "messages": get_flashed_messages(with_categories=True)}


@app.route("/logout", methods=["POST"])
def logout():
    session.pop("user", None)
    return redirect(url_for("home", bye=1))
