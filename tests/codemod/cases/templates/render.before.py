"""render_template in views → TemplateResponse; elsewhere the Flask-compatible function."""

from flask import Flask, render_template, render_template_string, url_for

app = Flask(__name__, template_folder="pages")


@app.context_processor
def inject_site():
    return {"site": "Demo"}


@app.template_filter("shout")
def shout(text):
    return text.upper()


def footer():
    # a helper: the support module's render_template reads the current app
    return render_template("footer.html", year=2024)


@app.route("/")
def index():
    return render_template("index.html", title="Home", next=url_for("item", item_id=1))


@app.route("/items/<int:item_id>")
def item(item_id):
    if item_id > 10:
        return render_template("missing.html", item_id=item_id), 404
    return render_template(
        "item.html",
        item_id=item_id,
        footer=footer(),  # rendered text, passed on
    )


@app.route("/about")
def about():
    extra = {"team": ["ann", "bob"]}
    return render_template("about.html", **extra), 200, {"X-Page": "about"}


@app.route("/inline")
def inline():
    body = render_template_string("<p>{{ n }}</p>", n=3)
    return body
