"""A small guestbook: templates, forms, flash messages and a session login."""

from flask import (
    Flask,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

app = Flask(__name__)
app.config["SECRET_KEY"] = "dev-secret"
NOTES: dict[int, str] = {1: "first <note>"}


@app.context_processor
def inject_user():
    return {"user": session.get("user")}


@app.template_filter("shout")
def shout(text):
    return text.upper() + "!"


@app.route("/")
def index():
    return render_template("index.html", notes=NOTES, title="Notes")


@app.route("/notes/<int:note_id>")
def show(note_id):
    if note_id not in NOTES:
        return render_template("missing.html", note_id=note_id), 404
    return render_template("note.html", note=NOTES[note_id], note_id=note_id)


@app.route("/notes", methods=["POST"])
def create():
    text = request.form.get("text", "").strip()
    if not text:
        flash("Text is required", "error")
        return redirect(url_for("index"))
    note_id = max(NOTES) + 1
    NOTES[note_id] = text
    flash("Note saved")
    return redirect(url_for("show", note_id=note_id, ref="new"))


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        session["user"] = request.form["name"]
        return redirect(url_for("index"))
    return render_template("login.html")


@app.route("/logout")
def logout():
    session.pop("user", None)
    return redirect(url_for("index"))
