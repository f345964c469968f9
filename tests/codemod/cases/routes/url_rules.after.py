from fastapi import FastAPI
import flask_compat
from flask_compat import JSONResponse

app = FastAPI()
flask_compat.install(app, __name__)


def health():
    return JSONResponse({"status": "ok"})


def echo(word: str):
    return JSONResponse({"word": word})


app.add_api_route("/health", health, name="health")
app.add_api_route("/echo/{word}", echo, methods=["GET", "POST"])

RULE = "/computed/<int:n>"


@app.get(flask_compat.path(RULE))
def computed(n):
    return JSONResponse({"n": n})
