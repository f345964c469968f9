"""flask-restful representations: content negotiation on the Accept header."""

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
import flask_compat
from flask_views import Api, Resource

app = FastAPI()
flask_compat.install(app, __name__)
api = Api(app)


@api.representation("text/csv")
def output_csv(data, code, headers=None):
    resp = HTMLResponse(",".join(f"{k}={v}" for k, v in data.items()), status_code=code)
    return resp


class Hello(Resource):
    def get(self, entry: str):
        return {"hello": entry}


api.add_resource(Hello, "/{entry}")
