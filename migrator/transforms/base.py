"""What the per-concern transformers share: per-file state, name resolution, one traversal.

Each Flask concern (app, blueprints, routes, request access, responses, errors, hooks,
imports) is its own `ContextAwareTransformer` subclass in this package. `FlaskToFastAPI`,
the codemod command, runs them together in a single traversal of the module — visiting a
node calls each concern's `visit_<Node>`, leaving it chains each concern's `leave_<Node>` —
so metadata is resolved once per file instead of once per concern.
"""

from __future__ import annotations

import builtins
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import libcst as cst
from libcst.codemod import CodemodContext, ContextAwareTransformer, VisitorBasedCodemodCommand
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.metadata import MetadataWrapper

from migrator.project import FlaskObject, ProjectFacts, RulePlan, SourceFile
from migrator.rules import Rule
from migrator.templates import provider
from migrator.transforms.scheduled_imports import (
    STATEMENT_TYPES,
    LeadingLines,
    apply_scheduled_imports,
)

RouteStatus = Literal["converted", "review", "unsupported"]
BUILTINS = frozenset(dir(builtins))

# Flask/werkzeug names by qualified name → the short name the transformers dispatch on.
FLASK_API: dict[str, str] = {}
for _short, _names in {
    "request": ["flask.request", "flask.globals.request"],
    "g": ["flask.g", "flask.globals.g"],
    "current_app": ["flask.current_app", "flask.globals.current_app"],
    "session": ["flask.session", "flask.globals.session"],
    "jsonify": ["flask.jsonify", "flask.json.jsonify"],
    "Flask": ["flask.Flask", "flask.app.Flask"],
    "Blueprint": ["flask.Blueprint", "flask.blueprints.Blueprint"],
    "abort": ["flask.abort", "flask.helpers.abort", "werkzeug.exceptions.abort"],
    "make_response": ["flask.make_response", "flask.helpers.make_response"],
    "Response": [
        "flask.Response",
        "flask.wrappers.Response",
        "werkzeug.Response",
        "werkzeug.wrappers.Response",
        "werkzeug.wrappers.response.Response",
        "werkzeug.wrappers.BaseResponse",
    ],
    "redirect": ["flask.redirect", "flask.helpers.redirect", "werkzeug.utils.redirect"],
    "send_file": ["flask.send_file", "flask.helpers.send_file"],
    "send_from_directory": ["flask.send_from_directory", "flask.helpers.send_from_directory"],
    "stream_with_context": ["flask.stream_with_context", "flask.helpers.stream_with_context"],
    "secure_filename": ["werkzeug.utils.secure_filename"],
    "HTTPException": ["werkzeug.exceptions.HTTPException", "werkzeug.HTTPException"],
    "render_template": ["flask.render_template", "flask.templating.render_template"],
    "url_for": ["flask.url_for", "flask.helpers.url_for"],
    "flash": ["flask.flash", "flask.helpers.flash"],
    "render_template_string": ["flask.render_template_string"],
    "get_flashed_messages": ["flask.get_flashed_messages", "flask.helpers.get_flashed_messages"],
    "FlaskClient": ["flask.testing.FlaskClient"],
    "with_appcontext": ["flask.cli.with_appcontext"],
    "AppGroup": ["flask.cli.AppGroup"],
    "FlaskGroup": ["flask.cli.FlaskGroup"],
    "ScriptInfo": ["flask.cli.ScriptInfo"],
}.items():
    for _name in _names:
        FLASK_API[_name] = _short

# werkzeug exception classes → status code, for `raise NotFound()` and `errorhandler(NotFound)`.
WERKZEUG_ERRORS: dict[str, int] = {
    "BadRequest": 400,
    "BadRequestKeyError": 400,
    "Unauthorized": 401,
    "Forbidden": 403,
    "NotFound": 404,
    "MethodNotAllowed": 405,
    "NotAcceptable": 406,
    "RequestTimeout": 408,
    "Conflict": 409,
    "Gone": 410,
    "LengthRequired": 411,
    "PreconditionFailed": 412,
    "RequestEntityTooLarge": 413,
    "RequestURITooLarge": 414,
    "UnsupportedMediaType": 415,
    "RequestedRangeNotSatisfiable": 416,
    "ExpectationFailed": 417,
    "ImATeapot": 418,
    "UnprocessableEntity": 422,
    "Locked": 423,
    "FailedDependency": 424,
    "PreconditionRequired": 428,
    "TooManyRequests": 429,
    "RequestHeaderFieldsTooLarge": 431,
    "UnavailableForLegalReasons": 451,
    "InternalServerError": 500,
    "NotImplemented": 501,
    "BadGateway": 502,
    "ServiceUnavailable": 503,
    "GatewayTimeout": 504,
    "HTTPVersionNotSupported": 505,
}

# Names the generated support module provides with Flask's signature: only the import moves.
COMPAT_PROVIDED = {
    "jsonify",
    "request",
    "g",
    "current_app",
    "abort",
    "make_response",
    "send_file",
    "send_from_directory",
    "secure_filename",
    # templates, url_for, flash and session (migrator/transforms/templates.py, sessions.py)
    "render_template",
    "render_template_string",
    "url_for",
    "flash",
    "get_flashed_messages",
    "session",
    # the CLI (migrator/transforms/cli.py)
    "with_appcontext",
    "AppGroup",
    "FlaskGroup",
    "ScriptInfo",
}


@dataclass
class RouteRecord:
    """One converted (or not) route, for the report."""

    file: str
    line: int
    function: str
    rule: str
    path: str
    methods: list[str]
    status: RouteStatus = "converted"
    is_async: bool = False
    notes: list[str] = field(default_factory=list)
    symbol: str = ""


@dataclass
class FunctionInfo:
    """A function being transformed: whether it is a view, and what its body needs."""

    node: cst.FunctionDef
    qualname: str
    symbol: str
    is_view: bool = False
    routes: list[RouteRecord] = field(default_factory=list)
    methods: set[str] = field(default_factory=set)
    path_params: dict[str, str] = field(default_factory=dict)  # name → annotation code
    defaults: dict[str, cst.BaseExpression] = field(default_factory=dict)
    block_depth: int = 0
    parent_view: FunctionInfo | None = None
    # filled while the body is transformed
    lifted: list[LiftedParam] = field(default_factory=list)
    needs_request: bool = False
    uses_compat: bool = False
    notes: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    sync_reasons: list[str] = field(default_factory=list)
    emitted_async: bool = False
    response_names: set[str] = field(default_factory=set)
    statement_index: int = -1
    top_statements: dict[int, int] = field(default_factory=dict)
    keep_returns: bool = False  # a flask-restful method: flask_views turns returns into JSON
    schema_loads: set[int] = field(default_factory=set)  # `schema.load(...)` calls lifted

    @property
    def view(self) -> FunctionInfo | None:
        return self if self.is_view else self.parent_view


@dataclass
class LiftedParam:
    """A request value turned into a handler parameter."""

    name: str
    key: str  # what identifies the read: "query:page", "json", "header:X-Id"
    annotation: str
    default: str | None
    required: bool


class FileState:
    """Everything the concern transformers share while one file is rewritten."""

    def __init__(
        self, facts: ProjectFacts, file: SourceFile, disabled: frozenset[Rule], source: str
    ) -> None:
        self.facts = facts
        self.file = file
        self.disabled = disabled
        self.source = source  # the file's text as read, before any rewrite
        self.functions: list[FunctionInfo] = []
        self.scopes: list[tuple[str, bool]] = []  # (name, is_function)
        self.routes: list[RouteRecord] = []
        self.notes: list[str] = []
        self.applied: set[Rule] = set()
        self.module: cst.Module | None = None
        self.in_import = False
        self.bindings = facts.bindings.get(file.module, {})
        self.chain: list[tuple[str, bool]] = []  # enclosing scopes: (qualname, is_function)
        self._names: dict[int, str | None] = {}
        self.not_references: set[int] = set()  # names that are not uses: keywords, attributes

    # rules ---------------------------------------------------------------------------

    def enabled(self, rule: Rule) -> bool:
        return rule not in self.disabled

    def applied_rule(self, rule: Rule) -> None:
        self.applied.add(rule)

    # names ---------------------------------------------------------------------------

    @property
    def compat(self) -> str:
        return self.facts.compat_module

    def qualified_names(self, node: cst.CSTNode) -> set[str]:
        """What an original Name/Attribute refers to, by qualified name, never by spelling.

        `from flask import request as rq` and `import flask; flask.request` both give
        `flask.request`; project names come back as symbols (`pkg.views:bp`). The gathering
        pass recorded each scope's bindings, so this needs no per-file scope analysis.
        """
        key = id(node)
        if key not in self._names:
            self._names[key] = self._resolve(node)
        name = self._names[key]
        return {name} if name is not None else set()

    def _resolve(self, node: cst.CSTNode) -> str | None:
        if id(node) in self.not_references:
            return None
        if isinstance(node, cst.Attribute):
            base = self._resolve(node.value)
            return f"{base}.{node.attr.value}" if base is not None else None
        if not isinstance(node, cst.Name):
            return None
        name = node.value
        for index, (qualname, is_function) in enumerate(reversed(self.chain)):
            if index and not is_function:
                continue  # a class body is not visible from the functions inside it
            target = self.bindings.get(qualname, {}).get(name)
            if target is not None:
                return self._canonical(target)
        target = self.bindings.get("", {}).get(name)
        if target is not None:
            return self._canonical(target)
        if name in BUILTINS:
            return f"builtins.{name}"
        return None

    def _canonical(self, target: str) -> str:
        return target if ":" in target else self.facts.canonical(target)

    def flask_name(self, node: cst.CSTNode) -> str | None:
        """The Flask API name an original node refers to ("request", "jsonify"...), if any."""
        if not isinstance(node, cst.Name | cst.Attribute):
            return None
        for name in self.qualified_names(node):
            short = FLASK_API.get(name)
            if short is not None:
                return short
            if (
                name.startswith("werkzeug.exceptions.")
                and name.rpartition(".")[2] in WERKZEUG_ERRORS
            ):
                return "werkzeug:" + name.rpartition(".")[2]
        return None

    def flask_object(self, node: cst.CSTNode) -> FlaskObject | None:
        """The app or blueprint an original Name/Attribute names, if it is one."""
        if not isinstance(node, cst.Name | cst.Attribute):
            return None
        for name in self.qualified_names(node):
            obj = self.facts.objects.get(name)
            if obj is not None:
                return obj
        return None

    def symbol_of(self, node: cst.CSTNode) -> str | None:
        for name in self.qualified_names(node):
            if ":" in name:
                return name
        return None

    # functions -----------------------------------------------------------------------

    @property
    def function(self) -> FunctionInfo | None:
        return self.functions[-1] if self.functions else None

    @property
    def view(self) -> FunctionInfo | None:
        function = self.function
        return function.view if function is not None else None

    def in_view_body(self) -> FunctionInfo | None:
        """The view whose own body (not a nested function) is being visited."""
        function = self.function
        return function if function is not None and function.is_view else None

    def qualname(self, name: str) -> str:
        parts = []
        for scope_name, is_function in self.scopes:
            parts.append(scope_name)
            if is_function:
                parts.append("<locals>")
        return ".".join([*parts, name])

    def enter_scope(self, name: str, is_function: bool) -> None:
        self.chain.append((self.qualname(name), is_function))
        self.scopes.append((name, is_function))

    def exit_scope(self) -> None:
        self.scopes.pop()
        self.chain.pop()

    def external_rules(self, symbol: str) -> list[RulePlan]:
        return self.facts.external_views.get(symbol, [])

    def finish_function(self, info: FunctionInfo) -> None:
        """A view is done: settle each of its routes' status and notes for the report."""
        if not info.is_view:
            return
        for record in info.routes:
            record.is_async = info.emitted_async or info.node.asynchronous is not None
            for note in [*info.unsupported, *info.review, *info.notes]:
                if note not in record.notes:
                    record.notes.append(note)
            if info.unsupported:
                record.status = "unsupported"
            elif info.review:
                record.status = "review"
            self.routes.append(record)

    # imports -------------------------------------------------------------------------

    def add_import(
        self,
        context: CodemodContext,
        module: str,
        obj: str | None = None,
        asname: str | None = None,
    ) -> None:
        AddImportsVisitor.add_needed_import(context, module, obj, asname)

    def support(self, name: str) -> str:
        """The generated module providing `name`: the core support module, or the optional
        one holding it (`MethodView` → `pkg.flask_views`), which is then written too."""
        return self.facts.support_module(provider(name))

    def use_compat_module(self, context: CodemodContext, provides: str) -> str:
        """Import the support module that provides `provides` itself; returns the name to
        reference it by (`module.provides`)."""
        package, _, name = self.support(provides).rpartition(".")
        if package:
            AddImportsVisitor.add_needed_import(context, package, name)
        else:
            AddImportsVisitor.add_needed_import(context, name)
        return name

    def use_compat_name(self, context: CodemodContext, name: str) -> None:
        """`from <the support module providing name> import name`."""
        module = self.support(name)
        AddImportsVisitor.add_needed_import(context, module, name)
        RemoveImportsVisitor.remove_unused_import(context, module, name)


class Concern(ContextAwareTransformer):
    """One Flask concern's transformer; run inside `FlaskToFastAPI` with the shared state."""

    def __init__(self, context: CodemodContext, state: FileState) -> None:
        super().__init__(context)
        self.state = state
        self.reset()

    def reset(self) -> None:
        """Forget the previous file (instances are reused across files)."""


class FlaskToFastAPI(VisitorBasedCodemodCommand):
    """Convert one Flask module to FastAPI: every enabled concern, in one traversal."""

    DESCRIPTION = "Convert a Flask module to FastAPI, keeping its HTTP behaviour."

    def __init__(
        self,
        context: CodemodContext,
        state: FileState,
        concerns: Sequence[type[Concern]],
    ) -> None:
        super().__init__(context)
        self.state = state
        self.lines = LeadingLines()
        self.concerns = [concern(context, state) for concern in concerns]
        self._visit: dict[type[cst.CSTNode], list[Callable[..., Any]]] = {}
        self._leave: dict[type[cst.CSTNode], list[Callable[..., Any]]] = {}
        for concern in self.concerns:
            for kind, node_type, attribute in _handlers(type(concern)):
                table = self._visit if kind == "visit" else self._leave
                table.setdefault(node_type, []).append(getattr(concern, attribute))

    @classmethod
    def for_file(
        cls, context: CodemodContext, state: FileState, concerns: Sequence[type[Concern]]
    ) -> FlaskToFastAPI:
        """The command for one file; instances are reused within a process (libcst's
        transformer set-up introspects every class, which costs more than a small file)."""
        key = tuple(concerns)
        command = _COMMANDS.get(key)
        if command is None:
            command = _COMMANDS[key] = cls(context, state, concerns)
        command.bind(context, state)
        return command

    def bind(self, context: CodemodContext, state: FileState) -> None:
        self.context = context
        self.state = state
        self.lines = LeadingLines()
        for concern in self.concerns:
            concern.context = context
            concern.state = state
            concern.reset()

    def _handle_metadata_reference(self, module: cst.Module) -> Any:
        """Resolve metadata without libcst's defensive deep copy of the tree."""
        return _skip_copy_metadata(self, module)

    def transform_module(self, tree: cst.Module) -> cst.Module:
        """The concerns' pass, then the scheduled import additions and removals."""
        with self._handle_metadata_reference(tree) as tree_with_metadata:
            tree = self.transform_module_impl(tree_with_metadata)
        return apply_scheduled_imports(tree, self.context)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        for concern in self.concerns:
            concern.metadata = self.metadata
        self.state.module = tree
        return tree.visit(self)

    def on_visit(self, node: cst.CSTNode) -> bool:
        state = self.state
        kind = type(node)
        if kind in STATEMENTS:
            self.lines.visit(node)
        if kind is cst.FunctionDef:
            assert isinstance(node, cst.FunctionDef)
            qualname = state.qualname(node.name.value)
            parent = state.function
            info = FunctionInfo(
                node,
                qualname,
                f"{state.file.module}:{qualname}",
                parent_view=parent.view if parent is not None else None,
            )
            info.top_statements = {id(stmt): index for index, stmt in enumerate(node.body.body)}
            state.functions.append(info)
            state.not_references.add(id(node.name))
            for visit in self._visit.get(kind, ()):
                visit(node)
            state.enter_scope(node.name.value, True)
            return True
        if kind is cst.ClassDef:
            assert isinstance(node, cst.ClassDef)
            state.enter_scope(node.name.value, False)
        elif kind is cst.Import or kind is cst.ImportFrom:
            state.in_import = True
        elif state.functions:
            function = state.functions[-1]
            if kind in COMPOUND:
                function.block_depth += 1
                index = function.top_statements.get(id(node))
                if index is not None:
                    function.statement_index = index
            elif kind is cst.SimpleStatementLine:
                index = function.top_statements.get(id(node))
                if index is not None:
                    function.statement_index = index
        if kind in NAMING:
            self._mark_names(node)
        visits = self._visit.get(kind)
        if visits:
            for visit in visits:
                visit(node)
        return True

    def _mark_names(self, node: cst.CSTNode) -> None:
        """Names that name something rather than refer to it: never resolved as references."""
        marked = self.state.not_references
        if isinstance(node, cst.Attribute):
            marked.add(id(node.attr))
        elif isinstance(node, cst.Arg) and node.keyword is not None:
            marked.add(id(node.keyword))
        elif isinstance(node, cst.Param | cst.ClassDef):
            marked.add(id(node.name))

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        state = self.state
        kind = type(original_node)
        result: Any = updated_node
        leaves = self._leave.get(kind)
        if leaves:
            for leave in leaves:
                result = leave(original_node, result)
                if type(result) is not kind:
                    break
        if kind is cst.FunctionDef or kind is cst.ClassDef:
            state.exit_scope()
            functions = state.functions
            if kind is cst.FunctionDef and functions and functions[-1].node is original_node:
                state.finish_function(functions.pop())
        elif kind is cst.Import or kind is cst.ImportFrom:
            state.in_import = False
        elif kind in COMPOUND and state.functions:
            state.functions[-1].block_depth -= 1
        if kind in STATEMENTS:
            return self.lines.leave(original_node, result)
        return result

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        return None

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        return None


# Concrete node types, compared with `type(node) in ...`: isinstance on libcst's abstract
# base classes goes through ABC machinery and dominated the traversal's cost.
COMPOUND = frozenset(
    {cst.If, cst.For, cst.While, cst.Try, cst.TryStar, cst.With, cst.Match, cst.Lambda}
)
STATEMENTS = STATEMENT_TYPES
NAMING = frozenset({cst.Attribute, cst.Arg, cst.Param, cst.ClassDef})


@functools.cache
def _handlers(concern: type[Concern]) -> list[tuple[str, type[cst.CSTNode], str]]:
    """The `visit_<Node>`/`leave_<Node>` methods a concern defines (computed once per class)."""
    found = []
    for attribute in dir(concern):
        kind, _, node_name = attribute.partition("_")
        node_type = getattr(cst, node_name, None)
        if kind not in ("visit", "leave") or not isinstance(node_type, type):
            continue
        if getattr(concern, attribute) is getattr(cst.CSTTransformer, attribute, None):
            continue
        found.append((kind, node_type, attribute))
    return found


_COMMANDS: dict[tuple[type[Concern], ...], FlaskToFastAPI] = {}


def _skip_copy_metadata(command: Any, module: cst.Module) -> Any:
    from contextlib import contextmanager
    from dataclasses import replace

    @contextmanager
    def handle() -> Any:
        old = command.context.wrapper
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        with command.resolve(wrapper):
            command.context = replace(command.context, wrapper=wrapper)
            try:
                yield wrapper.module
            finally:
                command.context = replace(command.context, wrapper=old)

    return handle()
