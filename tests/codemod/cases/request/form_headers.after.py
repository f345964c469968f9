from flask_compat import secure_filename, JSONResponse
from fastapi import Cookie, FastAPI, File, Form, Header, Request
import flask_compat
from typing import Annotated

app = FastAPI()
flask_compat.install(app, __name__)


@app.post("/login")
def login(
    username: Annotated[str, Form()],
    remember: Annotated[str, Form()] = "no",
):
    return JSONResponse({"user": username, "remember": remember})


@app.post("/upload")
def upload(
    file: Annotated[flask_compat.FileStorage | None, File(alias="document")] = None,
):
    if file is None:
        return JSONResponse({"error": "no file"}, status_code=400)
    file.save("/tmp/" + secure_filename(file.filename))
    return JSONResponse({"name": file.filename, "type": file.mimetype})


@app.get("/whoami")
def whoami(
    request: Request,
    tenant: Annotated[str, Header(alias="X-Tenant-ID")],
    agent: Annotated[str, Header(alias="User-Agent")] = "",
    session_id: Annotated[str | None, Cookie()] = None,
):
    return JSONResponse(
        {
            "agent": agent,
            "tenant": tenant,
            "session": session_id,
            "method": request.method,
            "path": request.url.path,
            "url": str(request.url),
            "host": request.url.netloc,
            "ip": (request.client.host if request.client else None),
            "auth": flask_compat.authorization(request),
        }
    )
