"""flask-restful resources on an Api bound to a blueprint, and one given its app later."""

from flask import Blueprint, Flask, request
from flask_restful import Api, Resource, abort, reqparse

app = Flask(__name__)
app.config["ERROR_404_HELP"] = False  # flask-restful's "did you mean" suggestions
bp = Blueprint("api", __name__, url_prefix="/api")
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
    def get(self, todo_id):
        abort_if_todo_doesnt_exist(todo_id)
        return TODOS[todo_id]  # a dict: JSON, as flask-restful's output_json

    def delete(self, todo_id):
        abort_if_todo_doesnt_exist(todo_id)
        del TODOS[todo_id]
        return "", 204

    def put(self, todo_id):
        args = request.get_json()
        TODOS[todo_id] = {"task": args["task"]}
        return TODOS[todo_id], 201


class TodoList(Resource):
    def get(self):
        return TODOS

    def post(self):
        args = request.get_json()
        todo_id = "todo%i" % (len(TODOS) + 1)
        TODOS[todo_id] = {"task": args["task"]}
        return TODOS[todo_id], 201


class Count(Resource):
    def get(self, n):
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
api.add_resource(Todo, "/todos/<todo_id>")
api.add_resource(Count, "/count/<int:n>", endpoint="count")
api.add_resource(Boom, "/boom")
admin.add_resource(Stats, "/admin/stats")
app.register_blueprint(bp)
admin.init_app(app)
