"""flask-restx: a namespace, a model, marshal_with and api.abort."""

from flask_restx import fields
from fastapi import FastAPI
import flask_compat
from flask_views import Api, Resource

app = FastAPI()
flask_compat.install(app, __name__)
api = Api(app)
app.state.config["RESTX_ERROR_404_HELP"] = False  # flask-restx's "did you mean" suggestions
ns = api.namespace("todos", description="TODO operations")

todo = api.model("Todo", {"id": fields.Integer(readonly=True), "task": fields.String(required=True)})
TODOS = [{"id": 1, "task": "x", "secret": "s"}]


@ns.route("/")
class TodoList(Resource):
    @ns.marshal_list_with(todo)
    def get(self):
        return TODOS


@ns.route("/<int:id>")
class Todo(Resource):
    @ns.marshal_with(todo)
    def get(self, id):
        for t in TODOS:
            if t["id"] == id:
                return t
        api.abort(404, "Todo {} doesn't exist".format(id))
