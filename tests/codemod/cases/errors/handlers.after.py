"""abort, raised werkzeug exceptions, and error handlers keeping the legacy body shape."""

from fastapi import FastAPI, HTTPException
import flask_compat
from flask_compat import JSONResponse, abort


class QuotaExceeded(Exception):
    pass


app = FastAPI()
flask_compat.install(app, __name__)


@flask_compat.errorhandler(app, 404)
def not_found(error):
    return JSONResponse({"error": "not found"}), 404


@flask_compat.errorhandler(app, HTTPException)
def http_error(error):
    return JSONResponse({"error": error.description}), error.code


@flask_compat.errorhandler(app, QuotaExceeded)
def quota(error):
    return {"error": "quota exceeded"}, 429


def teapot(error):
    return "I'm a teapot", 418


flask_compat.errorhandler(app, 418)(teapot)


@app.get("/things/{thing_id:int}")
def thing(thing_id: int):
    if thing_id == 0:
        raise HTTPException(status_code=404)
    if thing_id > 100:
        raise HTTPException(status_code=404, detail="no such thing")
    if thing_id == 42:
        raise HTTPException(status_code=403, detail="forbidden thing")
    return JSONResponse({"id": thing_id})


@app.get("/maybe/{n:int}")
def maybe(n: int):
    value = {1: "one"}.get(n) or abort(404)
    return JSONResponse({"value": value})
