"""marshmallow schemas wired to routes: the generated Pydantic model as the typed body and
response of the views that load and dump with a schema, where that keeps behaviour.

- Body: `user = UserSchema().load(request.get_json())` (or a module-level `user_schema`),
  a top-level statement of a POST/PUT/PATCH view the request rules may lift the body of
  (`request.py`), becomes the parameter `user: Annotated[dict[str, Any], Body(),
  flask_compat.schema_body(UserSchema(), UserSchemaModel)]`. The schema still loads the
  body, so the view gets the same dict and a `ValidationError` reaches the app's error
  handlers with the status and body it had (the app's `errorhandler(ValidationError)`, or
  a 500); the model documents the body in the OpenAPI schema. A load whose errors the view
  answers itself (`try: ... except ValidationError:`) stays in the view: a typed body would
  be refused before the view ran. The route is `review` with the reason.
- Response: a view whose every `return` builds a response and whose answers dump with one
  schema (`jsonify(UserSchema().dump(user)), 201`) gets `response_model=UserSchemaModel`
  (and `status_code=201`): documentation only, FastAPI sends a returned response untouched.
  When the schema dumps fields the input model lacks (`dump_only`, `load_only`, `Method`),
  the route is `review` instead, naming them.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from migrator.project import SchemaClass
from migrator.rules import Rule
from migrator.transforms import nodes
from migrator.transforms.base import Concern, FileState, FunctionInfo
from migrator.transforms.post_pass import with_keyword

ROUTE_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "api_route"})
# exceptions whose handler in the view catches a schema's ValidationError
CATCHES_VALIDATION = frozenset(
    {
        "marshmallow.ValidationError",
        "marshmallow.exceptions.ValidationError",
        "marshmallow.exceptions.MarshmallowError",
        "builtins.Exception",
        "builtins.BaseException",
    }
)


@dataclass(frozen=True)
class SchemaUse:
    """A schema a view loads or dumps with: the class, its model, and how it is made."""

    symbol: str
    schema: SchemaClass
    many: bool
    line: int  # where the class or the instance is defined (for the same module)

    @property
    def name(self) -> str:
        return self.symbol.partition(":")[2]


def schema_of(state: FileState, expression: cst.BaseExpression) -> SchemaUse | None:
    """The schema `expression` makes or names: `UserSchema()`, `UserSchema(many=True)`, or a
    module-level instance (`user_schema`); None when it has other options (`only=`...)."""
    facts = state.facts
    if isinstance(expression, cst.Call):
        keywords = {a.keyword.value for a in expression.args if a.keyword is not None}
        positional = any(a.keyword is None for a in expression.args)
        many = nodes.literal(nodes.arg_value(expression, None, "many"), False)
        if positional or keywords - {"many"} or not isinstance(many, bool):
            return None
        for name in _symbols(state, expression.func):
            schema = facts.schemas.get(name)
            if schema is not None:
                return SchemaUse(name, schema, many, schema.line)
        return None
    if not isinstance(expression, cst.Name | cst.Attribute):
        return None
    for name in _symbols(state, expression):
        instance = facts.schema_instances.get(name)
        if instance is not None and not instance.options:
            return SchemaUse(
                instance.schema, facts.schemas[instance.schema], instance.many, instance.line
            )
    return None


def _symbols(state: FileState, node: cst.CSTNode) -> set[str]:
    """What a name refers to, as project symbols; `schemas.UserSchema` through an imported
    module resolves as `pkg:schemas.UserSchema`, so the dotted form is tried too."""
    found = set()
    for name in state.qualified_names(node):
        found.add(name)
        found.add(state.facts.canonical(name.replace(":", ".")))
    return found


def schema_call(state: FileState, node: cst.CSTNode, method: str) -> SchemaUse | None:
    """The schema of `<schema>.load(...)` / `.dump(...)`, if `node` is such a call."""
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        return None
    if node.func.attr.value != method:
        return None
    return schema_of(state, node.func.value)


def defined_before(state: FileState, info: FunctionInfo, use: SchemaUse) -> bool:
    """A schema (and its model) named in the view's signature or decorators must exist when
    the `def` runs: in the view's own module, defined above it."""
    module = use.symbol.partition(":")[0]
    if module != state.file.module:
        return True
    return use.line < state.facts.function_lines.get(info.symbol, 0)


def model_code(concern: Concern, use: SchemaUse) -> str:
    """How the view's module names the schema's model (imported when it lives elsewhere)."""
    module, _, name = use.schema.model.partition(":")
    if module != concern.state.file.module:
        concern.state.add_import(concern.context, module, name)
    return f"list[{name}]" if use.many else name


def body_annotation(
    concern: Concern, info: FunctionInfo, load: cst.Call, *, force: bool
) -> str | None:
    """The typed body parameter for `x = <schema>.load(<the JSON body>)`, or None."""
    state = concern.state
    use = schema_call(state, load, "load")
    if use is None or len(load.args) != 1 or not state.enabled(Rule.MARSHMALLOW):
        return None
    if not defined_before(state, info, use):
        return None
    module, _, model = use.schema.model.partition(":")
    if module != state.file.module:
        state.add_import(concern.context, module, model)
    assert isinstance(load.func, cst.Attribute)
    schema = nodes.code(load.func.value)
    compat = state.use_compat_module(concern.context, "schema_body")
    options = ", force=True" if force else ""
    value = "list[dict[str, Any]]" if use.many else "dict[str, Any]"
    info.schema_loads.add(id(load))
    note = (
        f"the body is loaded by {use.name} before the view (its ValidationError reaches the "
        f"app's error handlers as before) and documented by {model}"
    )
    if note not in info.notes:
        info.notes.append(note)
    state.applied_rule(Rule.MARSHMALLOW)
    return f"Annotated[{value}, Body(), {compat}.schema_body({schema}, {model}{options})]"


class SchemaRouteConcern(Concern):
    """Notes for loads left in views; `response_model=` for views dumping with a schema."""

    def reset(self) -> None:
        self.catching: list[bool] = []  # per enclosing `try`: catches ValidationError

    def visit_Try(self, node: cst.Try) -> None:
        caught = False
        for handler in node.handlers:
            if handler.type is None:
                caught = True
            else:
                types = handler.type.elements if isinstance(handler.type, cst.Tuple) else None
                for kind in [e.value for e in types] if types else [handler.type]:
                    caught |= bool(self.state.qualified_names(kind) & CATCHES_VALIDATION)
        self.catching.append(caught)

    def leave_Try(self, original_node: cst.Try, updated_node: cst.Try) -> cst.Try:
        self.catching.pop()
        return updated_node

    def visit_Call(self, node: cst.Call) -> None:
        view = self.state.view
        if view is None or id(node) in view.schema_loads:
            return
        if not self.state.enabled(Rule.MARSHMALLOW):
            return
        use = schema_call(self.state, node, "load")
        if use is None or not self._loads_the_body(view, node):
            return
        model = use.schema.model.partition(":")[2]
        if any(self.catching):
            reason = (
                "the view answers its ValidationError itself (a typed body would be refused "
                "before the view runs): move that answer to an errorhandler(ValidationError)"
            )
        else:
            reason = (
                "only `x = schema.load(request.get_json())` at the top of a POST/PUT/PATCH "
                "view without other decorators is moved into the signature"
            )
        note = f"{use.name}.load() is not wired to {model} as the typed body: {reason}"
        if note not in view.review:
            view.review.append(note)

    def _loads_the_body(self, view: FunctionInfo, load: cst.Call) -> bool:
        """Whether a load reads the request's JSON: `request.get_json()`/`request.json` in
        its argument, or the view's lifted body parameter (`data = request.get_json()`)."""
        if not load.args:
            return False
        argument = load.args[0].value
        bodies = {param.name for param in view.lifted if param.key.startswith("json:")}
        if isinstance(argument, cst.Name) and argument.value in bodies:
            return True
        found: list[bool] = []
        state = self.state

        class FindRequest(cst.CSTVisitor):
            def visit_Name(self, node: cst.Name) -> None:
                found.append(state.flask_name(node) == "request")

        argument.visit(FindRequest())
        return any(found)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        info = self.state.function
        if info is None or not info.is_view or not self.state.enabled(Rule.MARSHMALLOW):
            return updated_node
        if not self.state.facts.schemas:  # no marshmallow here: skip the walk of the returns
            return updated_node
        dumps = self._dumps(updated_node)
        if not dumps:
            return updated_node
        uses = {(use.symbol, use.many) for use, _ in dumps}
        use = dumps[0][0]
        model = use.schema.model.partition(":")[2]
        reason = None
        if len(uses) > 1:
            reason = "the view dumps with several schemas"
        elif use.schema.output_only:
            fields = ", ".join(use.schema.output_only)
            reason = f"{use.name} dumps fields {model} does not describe ({fields})"
        elif not nodes.returns_responses(updated_node):
            reason = "the view returns data, which a response model would filter and re-validate"
        elif not defined_before(self.state, info, use):
            reason = f"{use.name} is defined below the view"
        if reason is not None:
            note = f"no response_model={model}: {reason}"
            if note not in info.review:
                info.review.append(note)
            return updated_node
        statuses = {status for _, status in dumps}
        status = statuses.pop() if len(statuses) == 1 else None
        response_model = nodes.expr(model_code(self, use))
        decorators = [self._wire(d, response_model, status) for d in updated_node.decorators]
        note = (
            f"response_model={nodes.code(response_model)} documents the answer of "
            f"{use.name}.dump() (the view returns a Response, which FastAPI sends untouched)"
        )
        if note not in info.notes:
            info.notes.append(note)
        self.state.applied_rule(Rule.MARSHMALLOW)
        return updated_node.with_changes(decorators=decorators)

    def _dumps(self, function: cst.FunctionDef) -> list[tuple[SchemaUse, int | None]]:
        """(schema, status) of each `return` whose body is `<schema>.dump(...)`."""
        found: list[tuple[SchemaUse, int | None]] = []
        for value in nodes.returned_values(function):
            if not isinstance(value, cst.Call) or not value.args:
                continue
            body = value.args[0].value
            status = nodes.arg_value(value, 1, "status_code")
            if isinstance(body, cst.Tuple) and body.elements:  # make_response((body, status))
                status = body.elements[1].value if len(body.elements) > 1 else None
                body = body.elements[0].value
            use = schema_call(self.state, body, "dump")
            if use is None:
                continue
            code = nodes.literal(status, None) if status is not None else 200
            found.append((use, code if isinstance(code, int) else None))
        return found

    def _wire(
        self, decorator: cst.Decorator, model: cst.BaseExpression, status: int | None
    ) -> cst.Decorator:
        call = decorator.decorator
        if not (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value in ROUTE_VERBS
            and self.state.flask_object(call.func.value) is not None
        ):
            return decorator
        keywords = set(nodes.keyword_names(call))
        if "response_model" in keywords:
            return decorator
        if status is not None and status != 200 and "status_code" not in keywords:
            call = with_keyword(call, "status_code", cst.Integer(str(status)))
        return decorator.with_changes(decorator=with_keyword(call, "response_model", model))
