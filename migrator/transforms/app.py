"""The app object: `Flask(...)`, its attributes, its hooks, `app.run()`.

`app = Flask(__name__, ...)` becomes `app = FastAPI()` followed by
`flask_compat.install(app, __name__, ...)`, which gives the app Flask's request lifecycle and
answers (see the support module). `app.config` and the other Flask attributes live on
`app.state`; `before_request`/`after_request`/`teardown_*` register through the support
module so they run in Flask's order, for the app or for one router (blueprint).
"""

from __future__ import annotations

import libcst as cst

from migrator.rules import Rule
from migrator.transforms import nodes
from migrator.transforms.base import Concern
from migrator.transforms.request import APP_CONFIG_ATTRIBUTES, APP_STATE_ATTRIBUTES

# hook method → (flask_compat function, app_wide)
HOOKS: dict[str, tuple[str, bool]] = {
    "before_request": ("before_request", False),
    "after_request": ("after_request", False),
    "teardown_request": ("teardown_request", False),
    "teardown_appcontext": ("teardown_appcontext", False),
    "before_app_request": ("before_request", True),
    "after_app_request": ("after_request", True),
    "teardown_app_request": ("teardown_request", True),
    "url_value_preprocessor": ("url_value_preprocessor", False),
    "url_defaults": ("url_defaults", False),
    "app_url_value_preprocessor": ("url_value_preprocessor", True),
    "app_url_defaults": ("url_defaults", True),
}
# app attributes FastAPI also has (or that other concerns convert): left alone.
KNOWN_ATTRIBUTES = {
    "route",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "add_url_rule",
    "register_blueprint",
    "errorhandler",
    "app_errorhandler",
    "register_error_handler",
    "run",
    "state",
    "app_context",
    "test_client",  # migrator/transforms/test_client.py
    "test_request_context",
    "cli",  # migrator/transforms/cli.py
    "test_cli_runner",
    "include_router",
    "mount",
    "add_middleware",
    "middleware",
    *HOOKS,
    *APP_STATE_ATTRIBUTES,
    *APP_CONFIG_ATTRIBUTES,
}


class AppConcern(Concern):
    """Flask() → FastAPI() + install; app attributes; hooks; app.run."""

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        state = self.state
        if state.flask_name(original_node.func) == "Flask" and state.enabled(Rule.APP):
            return self._install(nodes.call("FastAPI", []), updated_node)
        func = original_node.func
        if not isinstance(func, cst.Attribute):
            return updated_node
        obj = state.flask_object(func.value)
        if obj is None:
            return updated_node
        method = func.attr.value
        if not isinstance(updated_node.func, cst.Attribute):
            return updated_node  # another concern rewrote it
        owner = updated_node.func.value
        if method in HOOKS and state.enabled(Rule.HOOKS):
            registration = self._hook(owner, method)
            return nodes.call(registration, list(updated_node.args), like=updated_node)
        if method == "app_context" and obj.kind == "app" and state.enabled(Rule.APP):
            module = state.use_compat_module(self.context, "app_context")
            return nodes.call(f"{module}.app_context", [nodes.posarg(owner)])
        return updated_node

    def _install(self, fastapi_call: cst.Call, flask_call: cst.Call) -> cst.Call:
        self.state.add_import(self.context, "fastapi", "FastAPI")
        module = self.state.use_compat_module(self.context, "install")
        self.state.applied_rule(Rule.APP)
        args = [nodes.posarg(fastapi_call), *flask_call.args]
        return nodes.call(f"{module}.install", args, like=flask_call)

    def _hook(self, owner: cst.BaseExpression, method: str) -> cst.Call:
        function, app_wide = HOOKS[method]
        module = self.state.use_compat_module(self.context, function)
        args = [nodes.posarg(owner)]
        if app_wide:
            args.append(nodes.kwarg("app_wide", cst.Name("True")))
        self.state.applied_rule(Rule.HOOKS)
        return nodes.call(f"{module}.{function}", args)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        """`Flask` used as a type (annotations, isinstance) → `FastAPI`."""
        if self.state.in_import or not self.state.enabled(Rule.APP):
            return updated_node
        if self.state.flask_name(original_node) == "Flask":
            self.state.add_import(self.context, "fastapi", "FastAPI")
            return cst.Name("FastAPI")
        return updated_node

    def leave_Decorator(
        self, original_node: cst.Decorator, updated_node: cst.Decorator
    ) -> cst.Decorator:
        decorator = original_node.decorator
        if not isinstance(decorator, cst.Attribute) or decorator.attr.value not in HOOKS:
            return updated_node
        if self.state.flask_object(decorator.value) is None or not self.state.enabled(Rule.HOOKS):
            return updated_node
        updated = updated_node.decorator
        if not isinstance(updated, cst.Attribute):
            return updated_node
        return updated_node.with_changes(decorator=self._hook(updated.value, decorator.attr.value))

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if self.state.in_import:  # `from flaskbb.utils import x` where `flaskbb` is an app too
            return updated_node
        obj = self.state.flask_object(original_node.value)
        if obj is None or obj.kind != "app" or not self.state.enabled(Rule.APP):
            return updated_node
        attr = original_node.attr.value
        if attr in APP_STATE_ATTRIBUTES:
            self.state.applied_rule(Rule.APP)
            return updated_node.with_changes(
                value=cst.Attribute(updated_node.value, cst.Name("state"))
            )
        if attr in APP_CONFIG_ATTRIBUTES:
            self.state.applied_rule(Rule.APP)
            owner = nodes.code(updated_node.value)
            return nodes.expr(f'{owner}.state.config["{APP_CONFIG_ATTRIBUTES[attr]}"]')
        if attr not in KNOWN_ATTRIBUTES and not attr.startswith("__"):
            # Flask-only API (app.jinja_env, app.url_map...) or the project's own attribute:
            # both live on the support module's Flask-like view of the app.
            module = self.state.use_compat_module(self.context, "flask_app")
            note = f"app.{attr} goes through flask_compat.flask_app (Flask's app API)"
            if note not in self.state.notes:
                self.state.notes.append(note)
            self.state.applied_rule(Rule.APP)
            facade = nodes.call(f"{module}.flask_app", [nodes.posarg(updated_node.value)])
            return updated_node.with_changes(value=facade)
        return updated_node

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        if len(original_node.body) != 1:
            return updated_node
        statement = original_node.body[0]
        if isinstance(statement, cst.Assign):
            return self._split_install(statement, updated_node)
        if isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Call):
            return self._run(statement.value, updated_node)
        return updated_node

    def _split_install(
        self, statement: cst.Assign, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        """`app = install(FastAPI(), ...)` → `app = FastAPI()` + `install(app, ...)`."""
        value = statement.value
        if not isinstance(value, cst.Call) or self.state.flask_name(value.func) != "Flask":
            return updated_node
        if len(statement.targets) != 1 or not isinstance(statement.targets[0].target, cst.Name):
            return updated_node
        updated = updated_node.body[0]
        if not isinstance(updated, cst.Assign) or not isinstance(updated.value, cst.Call):
            return updated_node
        install = updated.value
        target = statement.targets[0].target
        fastapi_call = install.args[0].value
        rest = list(install.args[1:])
        assignment = updated_node.with_changes(body=[updated.with_changes(value=fastapi_call)])
        call = nodes.call(install.func, [nodes.posarg(cst.Name(target.value)), *rest], like=install)
        second = cst.SimpleStatementLine(body=[cst.Expr(call)])
        return cst.FlattenSentinel([assignment, second])

    def _run(
        self, call: cst.Call, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        """`app.run(host=, port=)` → `uvicorn.run(app, host=, port=)`."""
        func = call.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "run":
            return updated_node
        obj = self.state.flask_object(func.value)
        if obj is None or obj.kind != "app" or not self.state.enabled(Rule.RUN):
            return updated_node
        updated = updated_node.body[0]
        if not isinstance(updated, cst.Expr) or not isinstance(updated.value, cst.Call):
            return updated_node
        updated_call = updated.value
        if not isinstance(updated_call.func, cst.Attribute):
            return updated_node
        args = [nodes.posarg(updated_call.func.value)]
        for position, keyword in enumerate(("host", "port")):
            value = nodes.arg_value(updated_call, position, keyword)
            if value is not None:
                args.append(nodes.kwarg(keyword, value))
        dropped = [k for k in nodes.keyword_names(call) if k not in ("host", "port")]
        if dropped:
            self.state.notes.append(f"app.run options {', '.join(dropped)} dropped (use uvicorn's)")
        self.state.add_import(self.context, "uvicorn")
        self.state.applied_rule(Rule.RUN)
        return updated_node.with_changes(
            body=[updated.with_changes(value=nodes.call("uvicorn.run", args, like=updated_call))]
        )
