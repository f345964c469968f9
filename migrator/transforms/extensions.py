"""Flask extensions: flask_cors → `CORSMiddleware`, flask_login → the support module's stubs,
the others reported with their FastAPI counterpart (`migrator/extension_table.py`).

- `CORS(app, origins=, methods=, allow_headers=, expose_headers=, supports_credentials=,
  max_age=)` → `app.add_middleware(CORSMiddleware, allow_origins=[...], ...)` with
  flask-cors's defaults made explicit (every origin, method and requested header);
  `resources=` with one pattern applies to every path now (noted); `@cross_origin` on a view
  has no per-route counterpart: the route is `unsupported`.
- `login_required`, `current_user`, `login_user`, `logout_user`, `LoginManager`,
  `UserMixin` come from the support module: `load_user` there is the part to finish
  (it reads the `user_loader`/`request_loader` the project registers); routes using them
  are `review`.
- A view decorated by another extension (`@limiter.limit(...)`, `@jwt_required()`,
  `@cache.cached()`, `@auth.login_required`: a function of the extension, or a method of an
  object made from one of its classes) keeps the decorator, which still needs Flask's
  request context: the route is `review`, its notes name the decorator and the FastAPI
  counterpart, so the report's top reasons say what to replace first.
"""

from __future__ import annotations

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from migrator.extension_table import EXTENSIONS, suggestion_for
from migrator.project import extension_package
from migrator.rules import Rule
from migrator.transforms import nodes
from migrator.transforms.base import Concern
from migrator.transforms.class_views import with_commas

CORS_NAMES = frozenset({"flask_cors.CORS", "flask_cors.extension.CORS"})
CROSS_ORIGIN = frozenset({"flask_cors.cross_origin", "flask_cors.decorator.cross_origin"})
# flask-cors option → CORSMiddleware keyword
CORS_OPTIONS: dict[str, str] = {
    "origins": "allow_origins",
    "methods": "allow_methods",
    "allow_headers": "allow_headers",
    "expose_headers": "expose_headers",
    "supports_credentials": "allow_credentials",
    "max_age": "max_age",
}
LIST_OPTIONS = frozenset({"origins", "methods", "allow_headers", "expose_headers"})
# flask-cors's defaults, explicit (Starlette's default is to allow nothing).
CORS_DEFAULTS: dict[str, str] = {
    "allow_origins": '["*"]',
    "allow_methods": '["*"]',
    "allow_headers": '["*"]',
}
# flask_login name → the support module's name
LOGIN_NAMES: dict[str, str] = {
    "LoginManager": "LoginManager",
    "login_required": "login_required",
    "current_user": "current_user",
    "login_user": "login_user",
    "logout_user": "logout_user",
    "UserMixin": "UserMixin",
    "AnonymousUserMixin": "AnonymousUser",
}
LOGIN_NOTE = (
    "uses flask_login through flask_views' stub: fill in flask_views.load_user "
    "(who makes the request), or use the CurrentUser dependency"
)


def decorator_note(decorator: str, package: str) -> str:
    """The report line for a view decorated by an extension (`@limiter.limit`)."""
    if package == "flask_login":
        return (
            f"@{decorator} (Flask-Login) runs on flask_views' stub: fill in "
            "flask_views.load_user, or use the CurrentUser dependency"
        )
    distribution, counterpart = EXTENSIONS.get(package, (package, "a dependency on the route"))
    return (
        f"@{decorator} ({distribution}) is kept and needs Flask's request context: "
        f"replace it; in FastAPI use {counterpart}"
    )


class ExtensionConcern(Concern):
    """flask_cors and flask_login converted; other extensions reported by name, per route
    for the views they decorate."""

    def reset(self) -> None:
        self.decorator_depth = 0

    def visit_Decorator(self, node: cst.Decorator) -> None:
        self.decorator_depth += 1
        info = self.state.function
        if info is None or not info.is_view or all(d is not node for d in info.node.decorators):
            return
        expression = node.decorator
        callee = expression.func if isinstance(expression, cst.Call) else expression
        package = self._extension_of(callee)
        if package is None or (package == "flask_login" and not self.state.enabled(Rule.LOGIN)):
            return
        if package != "flask_login" and not self.state.enabled(Rule.EXTENSIONS):
            return
        note = decorator_note(nodes.code(callee), package)
        if note not in info.review:
            info.review.append(note)

    def leave_Decorator(
        self, original_node: cst.Decorator, updated_node: cst.Decorator
    ) -> cst.Decorator:
        self.decorator_depth -= 1
        return updated_node

    def _extension_of(self, callee: cst.BaseExpression) -> str | None:
        """The extension a decorator comes from: one of its functions, or a method of an
        object made from one of its classes (`limiter.limit`)."""
        for name in self.state.qualified_names(callee):
            if name.startswith("flask_login."):
                return "flask_login"
            if ":" not in name:
                return extension_package(name)
            owner = name
            while "." in owner:
                owner = owner.rpartition(".")[0]
                package = self.state.facts.extension_objects.get(owner)
                if package is not None:
                    return package
        return None

    def visit_Name(self, node: cst.Name) -> None:
        view = self.state.view
        if view is None or self.state.in_import:
            return
        for name in self.state.qualified_names(node):
            if name.startswith("flask_login.") and self.decorator_depth:
                continue  # a decorator: named in its own note (visit_Decorator)
            if name.startswith("flask_login.") and self.state.enabled(Rule.LOGIN):
                if LOGIN_NOTE not in view.review:
                    view.review.append(LOGIN_NOTE)
            elif name in CROSS_ORIGIN:
                note = "@cross_origin has no per-route counterpart: add CORSMiddleware"
                if note not in view.unsupported:
                    view.unsupported.append(note)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        names = self.state.qualified_names(original_node.func)
        if not names & CORS_NAMES or not self.state.enabled(Rule.CORS):
            return updated_node
        app = nodes.arg_value(updated_node, 0, "app")
        if app is None:
            self._note("CORS() without an app (init_app later) is not converted")
            return updated_node
        options: dict[str, cst.BaseExpression] = {}
        for argument in updated_node.args:
            if argument.keyword is not None and argument.keyword.value != "app":
                options[argument.keyword.value] = argument.value
        resources = options.pop("resources", None)
        if resources is not None:
            elements = resources.elements if isinstance(resources, cst.Dict) else []
            if len(elements) == 1 and isinstance(elements[0], cst.DictElement):
                pattern = nodes.literal_str(elements[0].key)
                inner = elements[0].value
                for element in inner.elements if isinstance(inner, cst.Dict) else []:
                    key = nodes.literal_str(getattr(element, "key", None))
                    if isinstance(element, cst.DictElement) and key is not None:
                        options.setdefault(key, element.value)
                self._note(f"CORS resources={pattern!r}: CORSMiddleware applies to every path")
            else:
                self._note(
                    "CORS resources= with several patterns: CORSMiddleware applies "
                    "the same options to every path (review)"
                )
        args = [nodes.posarg(cst.Name("CORSMiddleware"))]
        given: set[str] = set()
        for key, value in options.items():
            keyword = CORS_OPTIONS.get(key)
            if keyword is None:
                self._note(f"CORS option {key}= has no CORSMiddleware counterpart (dropped)")
                continue
            if key in LIST_OPTIONS and isinstance(value, cst.SimpleString | cst.ConcatenatedString):
                value = cst.List([cst.Element(value)])
            args.append(nodes.kwarg(keyword, value))
            given.add(keyword)
        for keyword, default in CORS_DEFAULTS.items():
            if keyword not in given:
                args.append(nodes.kwarg(keyword, nodes.expr(default)))
        if "max_age" not in given:
            self._note(
                "CORSMiddleware sends Access-Control-Max-Age: 600 on preflight "
                "replies (flask-cors sent none)"
            )
        AddImportsVisitor.add_needed_import(
            self.context, "fastapi.middleware.cors", "CORSMiddleware"
        )
        for name in names & CORS_NAMES:
            module, _, short = name.rpartition(".")
            RemoveImportsVisitor.remove_unused_import(self.context, module, short)
        self.state.applied_rule(Rule.CORS)
        func = cst.Attribute(value=app, attr=cst.Name("add_middleware"))
        sources = {a.keyword.value: a for a in updated_node.args if a.keyword is not None}
        placed = [(arg, sources.get(_option_of(arg))) for arg in args]
        return updated_node.with_changes(func=func, args=with_commas(placed, updated_node))

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel:
        if original_node.relative or original_node.module is None:
            return updated_node
        module = nodes.dotted(original_node.module) or ""
        if module.split(".")[0] == "flask_login" and self.state.enabled(Rule.LOGIN):
            return self._login_import(updated_node)
        suggestion = suggestion_for(module)
        if suggestion is not None:
            self._note(suggestion)
            self.state.applied_rule(Rule.EXTENSIONS)
        return updated_node

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import:
        for alias in original_node.names:
            suggestion = suggestion_for(nodes.dotted(alias.name) or "")
            if suggestion is not None:
                self._note(suggestion)
                self.state.applied_rule(Rule.EXTENSIONS)
        return updated_node

    def _login_import(self, node: cst.ImportFrom) -> cst.ImportFrom | cst.RemovalSentinel:
        if isinstance(node.names, cst.ImportStar):
            return node
        kept: list[cst.ImportAlias] = []
        for alias in node.names:
            name = nodes.dotted(alias.name) or ""
            target = LOGIN_NAMES.get(name)
            if target is None:
                kept.append(alias)
                self._note(f"flask_login.{name} is not provided by flask_views (kept)")
                continue
            asname = (
                alias.asname.name.value
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name)
                else (name if name != target else None)
            )
            module = self.state.support(target)
            AddImportsVisitor.add_needed_import(self.context, module, target, asname)
        self.state.applied_rule(Rule.LOGIN)
        self._note(LOGIN_NOTE)
        if not kept:
            return cst.RemovalSentinel.REMOVE
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return (
            node.with_changes(names=kept, lpar=None, rpar=None)
            if len(kept) == 1
            else (node.with_changes(names=kept))
        )

    def _note(self, note: str) -> None:
        if note not in self.state.notes:
            self.state.notes.append(note)


def _option_of(arg: cst.Arg) -> str:
    """The flask-cors option a CORSMiddleware keyword came from ("app" for the first)."""
    keyword = arg.keyword.value if arg.keyword is not None else ""
    for option, target in CORS_OPTIONS.items():
        if target == keyword:
            return option
    return "app"
