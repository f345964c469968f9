"""What the per-concern transformers share: per-file state, name resolution, one traversal.

Each Flask concern (app, blueprints, routes, request access, responses, errors, hooks,
imports) is its own `ContextAwareTransformer` subclass in this package. `FlaskToFastAPI`,
the codemod command, runs them together in a single traversal of the module — visiting a
node calls each concern's `visit_<Node>`, leaving it chains each concern's `leave_<Node>` —
so metadata is resolved once per file instead of once per concern.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import libcst as cst
from libcst.codemod import CodemodContext, ContextAwareTransformer, VisitorBasedCodemodCommand
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.metadata import (
    MetadataWrapper,
    ProviderT,
    QualifiedName,
    QualifiedNameProvider,
    QualifiedNameSource,
)

from migrator.project import FlaskObject, ProjectFacts, RulePlan, SourceFile
from migrator.rules import Rule

RouteStatus = Literal["converted", "review", "unsupported"]

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
    ],
    "redirect": ["flask.redirect", "flask.helpers.redirect", "werkzeug.utils.redirect"],
    "send_file": ["flask.send_file", "flask.helpers.send_file"],
    "send_from_directory": ["flask.send_from_directory", "flask.helpers.send_from_directory"],
    "stream_with_context": ["flask.stream_with_context", "flask.helpers.stream_with_context"],
    "secure_filename": ["werkzeug.utils.secure_filename"],
    "HTTPException": ["werkzeug.exceptions.HTTPException", "werkzeug.HTTPException"],
    "render_template": ["flask.render_template", "flask.templating.render_template"],
    "url_for": ["flask.url_for", "flask.helpers.url_for"],
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
    "request",
    "g",
    "current_app",
    "abort",
    "make_response",
    "send_file",
    "send_from_directory",
    "secure_filename",
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

    def __init__(self, facts: ProjectFacts, file: SourceFile, disabled: frozenset[Rule]) -> None:
        self.facts = facts
        self.file = file
        self.disabled = disabled
        self.functions: list[FunctionInfo] = []
        self.scopes: list[tuple[str, bool]] = []  # (name, is_function)
        self.routes: list[RouteRecord] = []
        self.notes: list[str] = []
        self.applied: set[Rule] = set()
        self.module: cst.Module | None = None
        self.in_import = False
        self._qualified: Callable[[cst.CSTNode], set[QualifiedName]] = lambda node: set()

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
        """Canonical qualified names of an original node (imports resolved across files)."""
        names = set()
        for qualified in self._qualified(node):
            if qualified.source is QualifiedNameSource.LOCAL:
                names.add(f"{self.file.module}:{qualified.name}")
            elif qualified.source is QualifiedNameSource.IMPORT:
                names.add(self.facts.absolute(qualified.name, self.file.module))
            else:
                names.add(qualified.name)
        return names

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

    def use_compat_module(self, context: CodemodContext) -> str:
        """Import the support module itself; returns the name to reference it by."""
        package, _, name = self.compat.rpartition(".")
        if package:
            AddImportsVisitor.add_needed_import(context, package, name)
        else:
            AddImportsVisitor.add_needed_import(context, name)
        return name

    def use_compat_name(self, context: CodemodContext, name: str) -> None:
        AddImportsVisitor.add_needed_import(context, self.compat, name)
        RemoveImportsVisitor.remove_unused_import(context, self.compat, name)


class Concern(ContextAwareTransformer):
    """One Flask concern's transformer; run inside `FlaskToFastAPI` with the shared state."""

    METADATA_DEPENDENCIES: ClassVar[Sequence[ProviderT]] = (QualifiedNameProvider,)

    def __init__(self, context: CodemodContext, state: FileState) -> None:
        super().__init__(context)
        self.state = state


class FlaskToFastAPI(VisitorBasedCodemodCommand):
    """Convert one Flask module to FastAPI: every enabled concern, in one traversal."""

    DESCRIPTION = "Convert a Flask module to FastAPI, keeping its HTTP behaviour."
    METADATA_DEPENDENCIES: ClassVar[Sequence[ProviderT]] = (QualifiedNameProvider,)
    COMPOUND = (cst.If, cst.For, cst.While, cst.Try, cst.TryStar, cst.With, cst.Match, cst.Lambda)

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
            for attribute in dir(type(concern)):
                kind, _, node_name = attribute.partition("_")
                node_type = getattr(cst, node_name, None)
                if kind not in ("visit", "leave") or not isinstance(node_type, type):
                    continue
                if getattr(type(concern), attribute) is getattr(
                    cst.CSTTransformer, attribute, None
                ):
                    continue
                table = self._visit if kind == "visit" else self._leave
                table.setdefault(node_type, []).append(getattr(concern, attribute))

    def _handle_metadata_reference(self, module: cst.Module) -> Any:
        """Resolve metadata without libcst's defensive deep copy of the tree."""
        return _skip_copy_metadata(self, module)

    def transform_module(self, tree: cst.Module) -> cst.Module:
        """The concerns' pass, then the scheduled import additions and removals."""
        with self._handle_metadata_reference(tree) as tree_with_metadata:
            tree = self.transform_module_impl(tree_with_metadata)
        if AddImportsVisitor.CONTEXT_KEY in self.context.scratch:
            tree = _AddImports(self.context).transform_module(tree)
        if RemoveImportsVisitor.CONTEXT_KEY in self.context.scratch:
            tree = _RemoveImports(self.context).transform_module(tree)
        return tree

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        for concern in self.concerns:
            concern.metadata = self.metadata
        self.state.module = tree
        self.state._qualified = lambda node: self.get_metadata(QualifiedNameProvider, node, set())
        return tree.visit(self)

    def on_visit(self, node: cst.CSTNode) -> bool:
        state = self.state
        self.lines.visit(node)
        if isinstance(node, cst.FunctionDef):
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
            for visit in self._visit.get(cst.FunctionDef, ()):
                visit(node)
            state.scopes.append((node.name.value, True))
            return True
        if isinstance(node, cst.ClassDef):
            state.scopes.append((node.name.value, False))
        elif isinstance(node, cst.Import | cst.ImportFrom):
            state.in_import = True
        elif state.functions:
            function = state.functions[-1]
            if isinstance(node, self.COMPOUND):
                function.block_depth += 1
            index = function.top_statements.get(id(node))
            if index is not None:
                function.statement_index = index
        for visit in self._visit.get(type(node), ()):
            visit(node)
        return True

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        state = self.state
        result: Any = updated_node
        for leave in self._leave.get(type(original_node), ()):
            result = leave(original_node, result)
            if type(result) is not type(original_node):
                break
        if isinstance(original_node, cst.FunctionDef | cst.ClassDef):
            state.scopes.pop()
            if isinstance(original_node, cst.FunctionDef) and state.functions:
                if state.functions[-1].node is original_node:
                    state.finish_function(state.functions.pop())
        elif isinstance(original_node, cst.Import | cst.ImportFrom):
            state.in_import = False
        elif isinstance(original_node, self.COMPOUND) and state.functions:
            state.functions[-1].block_depth -= 1
        return self.lines.leave(original_node, result)

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        return None

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        return None


class LeadingLines:
    """When a statement disappears, its comments and blank lines go to the next statement."""

    def __init__(self) -> None:
        self.depth = 0
        self.carried: tuple[int, list[cst.EmptyLine]] | None = None

    def visit(self, node: cst.CSTNode) -> None:
        if isinstance(node, cst.BaseStatement):
            self.depth += 1

    def leave(self, original: cst.CSTNode, result: Any) -> Any:
        if not isinstance(original, cst.SimpleStatementLine | cst.BaseCompoundStatement):
            return result
        self.depth -= 1
        if self.carried is not None and self.carried[0] > self.depth:
            self.carried = None  # the removed line ended its block: nothing to carry over
        removed = result is cst.RemovalSentinel.REMOVE or (
            isinstance(result, cst.SimpleStatementLine) and not result.body and original.body
        )
        if removed:
            lines = list(original.leading_lines)
            if self.carried is not None and self.carried[0] == self.depth:
                lines = [*self.carried[1], *lines]
            if lines:
                self.carried = (self.depth, lines)
            return result
        if self.carried is None or self.carried[0] != self.depth:
            return result
        carried = self.carried[1]
        self.carried = None
        if isinstance(result, cst.FlattenSentinel):
            nodes_ = list(result.nodes)
            if nodes_:
                nodes_[0] = self._prepend(nodes_[0], carried)
            return cst.FlattenSentinel(nodes_)
        return self._prepend(result, carried)

    @staticmethod
    def _prepend(node: Any, carried: list[cst.EmptyLine]) -> Any:
        existing = list(node.leading_lines)
        if existing and existing[0].comment is None:
            carried = [line for line in carried if line.comment is not None]
        return node.with_changes(leading_lines=[*carried, *existing])


class _SkipCopy:
    """libcst codemods deep-copy the tree before resolving metadata; these trees are not reused."""

    context: CodemodContext

    def _handle_metadata_reference(self, module: cst.Module) -> Any:
        return _skip_copy_metadata(self, module)  # type: ignore[arg-type]


class _AddImports(_SkipCopy, AddImportsVisitor):
    pass


class _RemoveImports(_SkipCopy, RemoveImportsVisitor):
    """RemoveImportsVisitor that keeps the comments and blank lines of the lines it drops."""

    def __init__(self, context: CodemodContext) -> None:
        super().__init__(context)
        self.lines = LeadingLines()

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.lines.visit(node)
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        result = super().on_leave(original_node, updated_node)
        return self.lines.leave(original_node, result)


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
