"""flask-restful representations: content negotiation on the Accept header."""

from flask import Flask, make_response
from flask_restful import Api, Resource

app = Flask(__name__)
api = Api(app)


@api.representation("text/csv")
def output_csv(data, code, headers=None):
    resp = make_response(",".join(f"{k}={v}" for k, v in data.items()), code)
    return resp


class Hello(Resource):
    def get(self, entry):
        return {"hello": entry}


api.add_resource(Hello, "/<string:entry>")
