from fastapi import FastAPI
import flask_compat
from flask_compat import JSONResponse
import uvicorn

app = FastAPI()
flask_compat.install(app, __name__)
app.state.config.from_mapping(SECRET_KEY="dev")
app.state.config["SECRET_KEY"] = "changed"
app.state.config["DEBUG"] = True


@app.get("/")
def index():
    app.state.logger.info("index")
    return JSONResponse({"ok": True})


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=8000)
