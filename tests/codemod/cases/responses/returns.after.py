"""What views return: JSON, HTML, tuples with status and headers, responses."""

from fastapi import FastAPI, Response
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse
import flask_compat
from flask_compat import JSONResponse, make_response, send_file, send_from_directory

app = FastAPI()
flask_compat.install(app, __name__)


@app.get("/json")
def as_json():
    return {"ok": True}


@app.get("/html")
def as_html():
    return HTMLResponse("<p>hello</p>")


@app.post("/created")
def created():
    return JSONResponse({"id": 1}, status_code=201, headers={"Location": "/created/1"})


@app.get("/cookie")
def cookie():
    response = JSONResponse({"ok": True}, status_code=200)
    response.set_cookie("seen", "1", max_age=3600, samesite=None)
    return response


@app.get("/csv")
def csv():
    def rows():
        yield "a,b\n"
        yield "1,2\n"

    return StreamingResponse(rows(), media_type="text/csv")


@app.get("/plain")
def plain():
    return Response(content="pong", status_code=200, media_type="text/plain")


@app.get("/old")
def old():
    return RedirectResponse("/new", status_code=302)


@app.get("/moved")
def moved():
    return RedirectResponse("/new", status_code=301)


@app.get("/report")
def report():
    return send_file("report.pdf", as_attachment=True)


@app.get("/static-file/{name:path}")
def static_file(name: str):
    return send_from_directory("assets", name)


def helper_response():
    return JSONResponse({"error": "nope"}), 418


@app.get("/helper")
def helper():
    return make_response(helper_response())
