"""flask-restful resources on an Api bound to a blueprint, and one given its app later."""

from fastapi import APIRouter, Body, FastAPI
import flask_compat
from flask_views import Api, Resource, reqparse, restful_abort as abort
from typing import Annotated, Any

app = FastAPI()
flask_compat.install(app, __name__)
app.state.config["ERROR_404_HELP"] = False  # flask-restful's "did you mean" suggestions
bp = APIRouter(prefix="/api", tags=["api"])
api = Api(bp)
admin = Api()

TODOS = {
    "todo1": {"task": "build an API"},
    "todo2": {"task": "?????"},
}

parser = reqparse.RequestParser()
parser.add_argument("task", required=True)


def abort_if_todo_doesnt_exist(todo_id):
    if todo_id not in TODOS:
        abort(404, message="Todo {} doesn't exist".format(todo_id))


class Todo(Resource):
    def get(self, todo_id: str):
        abort_if_todo_doesnt_exist(todo_id)
        return TODOS[todo_id]  # a dict: JSON, as flask-restful's output_json

    def delete(self, todo_id: str):
        abort_if_todo_doesnt_exist(todo_id)
        del TODOS[todo_id]
        return "", 204

    def put(
        self,
        todo_id: str,
        args: Annotated[Any, Body(), flask_compat.json_body()],
    ):
        TODOS[todo_id] = {"task": args["task"]}
        return TODOS[todo_id], 201


class TodoList(Resource):
    def get(self):
        return TODOS

    def post(self, args: Annotated[Any, Body(), flask_compat.json_body()]):
        todo_id = "todo%i" % (len(TODOS) + 1)
        TODOS[todo_id] = {"task": args["task"]}
        return TODOS[todo_id], 201


class Count(Resource):
    def get(self, n: int):
        if n > 10:
            abort(400)
        return n * 2


class Stats(Resource):
    def get(self):
        return {"todos": len(TODOS)}

    def post(self):
        args = parser.parse_args()
        return {"task": args["task"]}, 201


class Boom(Resource):
    def get(self):
        raise RuntimeError("a bug")  # flask-restful answers {"message": ...} 500


api.add_resource(TodoList, "/todos")
api.add_resource(Todo, "/todos/{todo_id}")
api.add_resource(Count, "/count/{n:int}", endpoint="count")
api.add_resource(Boom, "/boom")
admin.add_resource(Stats, "/admin/stats")
app.include_router(bp)
admin.init_app(app)
