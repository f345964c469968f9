"""Route decorators: methods lists, shortcuts, several verbs, stacked rules."""

from fastapi import FastAPI, Response
from fastapi.responses import HTMLResponse
import flask_compat
from flask_compat import JSONResponse

app = FastAPI()
flask_compat.install(app, __name__)


@app.get("/items")  # GET only, as in Flask
def list_items():
    return JSONResponse({"items": []})


@app.post("/items")
def create_item():
    return JSONResponse({"created": True}, status_code=201)


@app.get("/items/{item_id:int}")
@app.put("/items/{item_id:int}")
def item(item_id: int):
    return JSONResponse({"id": item_id})


@app.delete("/items/{item_id:int}")
def delete_item(item_id: int):
    return Response(status_code=204)


@app.get("/users/")
@app.get("/users/page/{page:int}")
def users(page: int = 1):
    return JSONResponse({"page": page})


@app.get("/about", name="about_page")
@app.get("/about/", name="about_page", include_in_schema=False)
def about():
    return HTMLResponse("<h1>About</h1>")
