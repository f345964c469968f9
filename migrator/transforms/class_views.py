"""Class-based views: `MethodView`/`View` and flask-restful / flask-restx `Resource`.

The classes stay as they are, on the support module's `MethodView`, `View` and `Resource`
(same API: `as_view`, `decorators`, `method_decorators`); each HTTP method of a routed
class is converted as a view of its own (request reads become parameters, with the function
views' rules). Registration gives one FastAPI route per method of the class:

- `x.add_url_rule(rule, view_func=C.as_view("name"), methods=)` →
  `flask_compat.add_class_view(x, path, C.as_view("name"), methods=)`;
- `api = Api(app)` / `Api(bp)` / `api.init_app(app)` keep working on `flask_compat.Api`,
  whose `add_resource(C, "/a", "/b/{id:int}")` (rules converted here) adds the routes.

A new instance serves each request, as with Flask's `as_view`. flask-restful methods keep
their `return data, 201`: the support module's `Resource` makes them JSON as flask-restful's
`output_json` did, and answers HTTP errors (`abort(404, message=...)`) with its
`{"message": ...}` bodies.
"""

from __future__ import annotations

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor

from migrator.rules import Rule
from migrator.transforms import nodes
from migrator.transforms.base import Concern, FileState

# What the support module provides under the same API, by qualified name.
COMPAT_CLASSES: dict[str, tuple[str, Rule]] = {
    "flask.views.MethodView": ("MethodView", Rule.CLASS_VIEW),
    "flask.views.View": ("View", Rule.CLASS_VIEW),
    "flask_restful.Resource": ("Resource", Rule.RESTFUL),
    "flask_restful.Api": ("Api", Rule.RESTFUL),
    "flask_restful.abort": ("restful_abort", Rule.RESTFUL),
    "flask_restx.Resource": ("Resource", Rule.RESTFUL),
    "flask_restx.Api": ("Api", Rule.RESTFUL),
    "flask_restx.abort": ("restful_abort", Rule.RESTFUL),
    "flask_restx.Namespace": ("Namespace", Rule.RESTFUL),
    "flask_restx.marshal": ("marshal", Rule.RESTFUL),
    "flask_restful.reqparse": ("reqparse", Rule.RESTFUL),
    "flask_restx.reqparse": ("reqparse", Rule.RESTFUL),
    "flask_restful.reqparse.RequestParser": ("RequestParser", Rule.RESTFUL),
    "flask_restful.reqparse.Argument": ("Argument", Rule.RESTFUL),
    "flask_restx.reqparse.RequestParser": ("RequestParser", Rule.RESTFUL),
    "flask_restx.reqparse.Argument": ("Argument", Rule.RESTFUL),
}
CLASS_VIEW_MODULES = frozenset(
    {
        "flask.views",
        "flask_restful",
        "flask_restx",
        "flask_restful.reqparse",
        "flask_restx.reqparse",
    }
)
# flask-restful helpers that stay imported from it (they read Flask's request): a note each.
RESTFUL_KEPT: dict[str, str] = {
    "reqparse": "reqparse.RequestParser runs on flask_views' (flask-restful's rules, "
    "its 400 bodies): consider query/body parameters",
    "marshal_with": "marshal_with (flask_restful) still shapes the output: check it "
    "works on the returned data, or use a response model",
    "marshal": "marshal (flask_restful) is kept: consider a response model",
    "fields": "flask_restful/flask_restx fields stay imported from it (models and "
    "marshal_with use their `output`): the package must stay installed",
}
CLASS_ATTRIBUTES: dict[str, str] = {
    "decorators": "class decorators= are applied by flask_views as Flask did: check they "
    "work without Flask (a Flask-specific one must be ported)",
    "method_decorators": "method_decorators are applied by flask_views.Resource: check they "
    "work without Flask",
    "init_every_request": "init_every_request is ignored: flask_views makes an instance "
    "per request",
}


def is_class_view(state: FileState, view: cst.BaseExpression) -> bool:
    """`C.as_view(...)` of a routed class, or a variable holding one."""
    if (
        isinstance(view, cst.Call)
        and isinstance(view.func, cst.Attribute)
        and view.func.attr.value == "as_view"
    ):
        view = view.func.value
    symbol = state.symbol_of(view)
    return symbol is not None and symbol in state.facts.class_views


def class_view_rule(
    concern: Concern, original: cst.Call, updated: cst.Call
) -> cst.BaseExpression | None:
    """`x.add_url_rule(rule, endpoint, C.as_view(name), methods=)` →
    `flask_compat.add_class_view(x, path, C.as_view(name), methods=, name=)`."""
    from migrator.transforms.routes import convert_rule

    state = concern.state
    view = nodes.arg_value(original, 2, "view_func")
    new_view = nodes.arg_value(updated, 2, "view_func")
    if (
        view is None
        or new_view is None
        or not state.enabled(Rule.CLASS_VIEW)
        or not isinstance(updated.func, cst.Attribute)
    ):
        return None
    helper = "add_class_view"
    if not is_class_view(state, view):
        if not _known_only_at_run_time(state, view):
            return None
        helper = "add_view"  # a class view or a function: flask_views decides at run time
        note = (
            f"add_url_rule({nodes.code(view)}) registers a view known only at run time: "
            "flask_views.add_view (class views get one route per method)"
        )
        if note not in state.notes:
            state.notes.append(note)
    rule_node = nodes.arg_value(updated, 0, "rule")
    rule = nodes.literal_str(rule_node)
    path: cst.BaseExpression
    if rule is not None:
        path = nodes.string(convert_rule(rule).path)
    else:
        module = state.use_compat_module(concern.context, "path")
        path = nodes.call(f"{module}.path", [nodes.posarg(rule_node or nodes.expr('""'))])
    rule_arg = nodes.find_arg(updated, 0, "rule")
    view_arg = nodes.find_arg(updated, 2, "view_func")
    # (argument, the original argument it comes from: its comma and comments follow it)
    placed: list[tuple[cst.Arg, cst.Arg | None]] = [
        (nodes.posarg(updated.func.value), updated.args[0] if updated.args else None),
        (nodes.posarg(path), rule_arg),
        (nodes.posarg(new_view), view_arg),
    ]
    methods = nodes.find_arg(updated, None, "methods")
    if methods is not None:
        placed.append((nodes.kwarg("methods", methods.value), methods))
    endpoint = nodes.find_arg(updated, 1, "endpoint")
    if endpoint is not None and not (
        isinstance(endpoint.value, cst.Name) and endpoint.value.value == "None"
    ):
        placed.append((nodes.kwarg("name", endpoint.value), endpoint))
    placed += [(argument, argument) for argument in updated.args if argument.star]
    args = with_commas(placed, updated)
    for argument in updated.args:
        keyword = argument.keyword.value if argument.keyword else None
        if keyword not in (None, "rule", "endpoint", "view_func", "methods"):
            state.notes.append(
                f"add_url_rule({keyword}=) of a class view is dropped: {nodes.code(original)[:60]}"
            )
    state.applied_rule(Rule.CLASS_VIEW)
    module = state.use_compat_module(concern.context, helper)
    return updated.with_changes(func=nodes.expr(f"{module}.{helper}"), args=args)


def _known_only_at_run_time(state: FileState, view: cst.BaseExpression) -> bool:
    """A view given as a parameter or a local variable (a registration helper's
    `view_func`), not a function of the project."""
    symbol = state.symbol_of(view)
    return (
        symbol is not None and ".<locals>." in symbol and symbol not in state.facts.function_lines
    )


def with_commas(placed: list[tuple[cst.Arg, cst.Arg | None]], call: cst.Call) -> list[cst.Arg]:
    """Arguments in a new order, each keeping the comma (line break, comment) of the original
    argument it comes from; the last one takes the original last comma."""
    if not call.args:
        return [arg for arg, _ in placed]
    first, last = call.args[0], call.args[-1]
    result = []
    for index, (arg, source) in enumerate(placed):
        if index == len(placed) - 1:
            source = last
        elif source is None or source is last:
            source = first
        result.append(
            arg.with_changes(comma=source.comma, whitespace_after_arg=source.whitespace_after_arg)
        )
    return result


class ClassViewConcern(Concern):
    """Class views' methods as views; their registration; their imports."""

    def reset(self) -> None:
        self.class_notes: dict[str, list[str]] = {}

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        state = self.state
        symbol = f"{state.file.module}:{state.chain[-1][0]}" if state.chain else ""
        if symbol not in state.facts.class_views:
            return
        notes: list[str] = []
        for statement in node.body.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if isinstance(small, cst.Assign):
                    for target in small.targets:
                        name = nodes.dotted(target.target)
                        if name in CLASS_ATTRIBUTES:
                            notes.append(CLASS_ATTRIBUTES[name])
        self.class_notes[symbol] = notes

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        state = self.state
        info = state.function
        if info is None or not info.is_view:
            return
        owner = info.symbol.rpartition(".")[0]
        kind = state.facts.class_views.get(owner)
        if kind is None:
            return
        class_name = owner.rpartition(":")[2]
        for record in info.routes:
            record.function = info.qualname
            if record.rule == "<computed>":
                note = "class view registered at run time (rule not known here): check it"
                if note not in info.review:
                    info.review.append(note)
        info.notes.append(
            f"method of class view {class_name}: flask_views makes an instance per request"
        )
        info.review.extend(n for n in self.class_notes.get(owner, []) if n not in info.review)
        if kind == "resource":
            info.keep_returns = True
            info.notes.append(
                "returns kept: flask_views.Resource answers them as JSON (flask-restful's "
                "output_json)"
            )
            state.applied_rule(Rule.RESTFUL)
        else:
            state.applied_rule(Rule.CLASS_VIEW)

    def visit_Call(self, node: cst.Call) -> None:
        """`parser.parse_args()` in a view: reqparse reads Flask's request (review)."""
        view = self.state.view
        if (
            view is not None
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "parse_args"
        ):
            note = RESTFUL_KEPT["reqparse"]
            if note not in view.review:
                view.review.append(note)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        """`api.add_resource(C, "/a/<int:id>")`: the rules converted for `flask_views.Api`."""
        from migrator.transforms.routes import convert_rule

        func = original_node.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "add_resource":
            return updated_node
        first = nodes.arg_value(original_node, 0, None)
        if first is None or not is_class_view(self.state, first):
            return updated_node
        if not self.state.enabled(Rule.RESTFUL):
            return updated_node
        args: list[cst.Arg] = []
        for index, argument in enumerate(updated_node.args):
            text = nodes.literal_str(argument.value)
            if index and argument.keyword is None and text is not None:
                argument = argument.with_changes(value=nodes.string(convert_rule(text).path))
            keyword = argument.keyword.value if argument.keyword else None
            if keyword in ("resource_class_kwargs", "resource_class_args"):
                note = f"add_resource({keyword}=) is passed to the class on every request: check"
                if note not in self.state.notes:
                    self.state.notes.append(note)
            args.append(argument)
        self.state.applied_rule(Rule.RESTFUL)
        return updated_node.with_changes(args=args)

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel:
        if original_node.relative or original_node.module is None:
            return updated_node
        module = nodes.dotted(original_node.module) or ""
        if module not in CLASS_VIEW_MODULES or isinstance(original_node.names, cst.ImportStar):
            return updated_node
        kept: list[cst.ImportAlias] = []
        moved = False
        if isinstance(updated_node.names, cst.ImportStar):
            return updated_node
        for alias in updated_node.names:
            name = nodes.dotted(alias.name) or ""
            target = COMPAT_CLASSES.get(f"{module}.{name}")
            if target is None or not self.state.enabled(target[1]):
                kept.append(alias)
                note = RESTFUL_KEPT.get(name)
                if note is not None and note not in self.state.notes:
                    self.state.notes.append(note)
                continue
            compat_name, rule = target
            asname = (
                alias.asname.name.value
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name)
                else (name if name != compat_name else None)
            )
            AddImportsVisitor.add_needed_import(
                self.context, self.state.support(compat_name), compat_name, asname
            )
            self.state.applied_rule(rule)
            moved = True
        if not moved:
            return updated_node
        if not kept:
            return cst.RemovalSentinel.REMOVE
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        if len(kept) == 1:
            return updated_node.with_changes(names=kept, lpar=None, rpar=None)
        return updated_node.with_changes(names=kept)
