"""render_template in views → TemplateResponse; elsewhere the Flask-compatible function."""

from fastapi import FastAPI, Request
import flask_compat
from flask_compat import make_response, url_for
from flask_templates import render_template, render_template_string, templates

app = FastAPI()
flask_compat.install(app, __name__, template_folder="pages")


@flask_compat.flask_app(app).context_processor
def inject_site():
    return {"site": "Demo"}


@flask_compat.flask_app(app).template_filter("shout")
def shout(text):
    return text.upper()


def footer():
    # a helper: the support module's render_template reads the current app
    return render_template("footer.html", year=2024)


@app.get("/")
def index(request: Request):
    return templates.TemplateResponse(request, "index.html", {"title": "Home", "next": url_for("item", item_id=1)})


@app.get("/items/{item_id:int}")
def item(item_id: int, request: Request):
    if item_id > 10:
        return templates.TemplateResponse(request, "missing.html", {"item_id": item_id}, status_code=404)
    return templates.TemplateResponse(
        request,
        "item.html",
        {
            "item_id": item_id,
            "footer": footer(),  # rendered text, passed on
        },
    )


@app.get("/about")
def about(request: Request):
    extra = {"team": ["ann", "bob"]}
    return templates.TemplateResponse(request, "about.html", {**extra}, status_code=200, headers={"X-Page": "about"})


@app.get("/inline")
def inline():
    body = render_template_string("<p>{{ n }}</p>", n=3)
    return make_response(body)
