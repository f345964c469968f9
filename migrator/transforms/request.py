"""Request access: `request.*`, `g` and `current_app`.

Inside a view, a read of the request becomes a FastAPI parameter when that keeps Flask's
behaviour (`request.args.get("page", 1, type=int)` → `page: Annotated[int, arg_type(int, 1)]
= 1`, falling back to the default as Flask did); `request.method`/`path`/... read the
Starlette `request: Request`; `g.x` → `request.state.x`; `current_app.config` →
`request.app.state.config`. A read that cannot be lifted without changing behaviour (a
required value read only on one branch, JSON read by a view that also serves GET) goes
through `flask_compat.request`, which has Flask's API, and the route is marked `review`.

Outside views (helpers, decorators, hooks), `request`/`g`/`current_app` keep their code and
are imported from the generated `flask_compat` module instead of Flask.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field

import libcst as cst

from migrator.rules import Rule
from migrator.transforms import nodes
from migrator.transforms.base import Concern, FileState, FunctionInfo, LiftedParam
from migrator.transforms.routes import BODY_METHODS
from migrator.transforms.schema_routes import body_annotation

STORES = {
    "args": "query",
    "form": "form",
    "files": "file",
    "headers": "header",
    "cookies": "cookie",
}
MARKERS = {"query": "Query", "form": "Form", "file": "File", "header": "Header", "cookie": "Cookie"}
RULE_OF_KIND = {
    "query": Rule.QUERY,
    "form": Rule.FORM,
    "file": Rule.FORM,
    "header": Rule.HEADERS,
    "cookie": Rule.HEADERS,
    "json": Rule.JSON_BODY,
    "raw": Rule.RAW_BODY,
}
SIMPLE_TYPES = {"builtins.int": "int", "builtins.float": "float", "builtins.bool": "bool"}

# request.<attr> in a view → an expression on the Starlette request (`{r}`).
REQUEST_ATTRIBUTES: dict[str, str] = {
    "method": "{r}.method",
    "path": "{r}.url.path",
    "url": "str({r}.url)",
    "base_url": 'str({r}.url.replace(query=""))',
    "url_root": "str({r}.base_url)",
    "host": "{r}.url.netloc",
    "scheme": "{r}.url.scheme",
    "is_secure": "{r}.url.is_secure",
    "remote_addr": "({r}.client.host if {r}.client else None)",
    "content_type": '{r}.headers.get("content-type")',
    "user_agent": '{r}.headers.get("user-agent", "")',
    "referrer": '{r}.headers.get("referer")',
    "query_string": "{r}.url.query.encode()",
    "authorization": "{compat}.authorization({r})",
}
# current_app.<attr> / app.<attr> → where the FastAPI app keeps it.
APP_STATE_ATTRIBUTES = {
    "config",
    "extensions",
    "logger",
    "json",
    "instance_path",
    "root_path",
    "name",
    "import_name",
}
APP_CONFIG_ATTRIBUTES = {"debug": "DEBUG", "testing": "TESTING", "secret_key": "SECRET_KEY"}


@dataclass
class Read:
    """One read of the request inside a view, found before the view is rewritten."""

    node: cst.CSTNode
    kind: str  # query/form/file/header/cookie/json/raw
    key: str | None
    variant: str  # get/item/getlist/contains/json/raw/raw_text
    default: cst.BaseExpression | None = None
    type_: cst.BaseExpression | None = None
    nested: bool = False
    statement: int = -1
    assigned_to: str | None = None
    negated: bool = False
    silent: bool = False
    force: bool = False
    loaded_by: cst.Call | None = None  # `x = schema.load(<this read>)`


@dataclass
class ViewPlan:
    """What a view's request reads become: node id → replacement, and the new parameters."""

    replacements: dict[int, cst.BaseExpression] = field(default_factory=dict)
    claimed: set[int] = field(default_factory=set)
    drop_statements: set[int] = field(default_factory=set)
    params: list[LiftedParam] = field(default_factory=list)


class _Prescan(cst.CSTVisitor):
    """Collects a view's request reads, and where each local name is first bound and read."""

    COMPOUND = frozenset(
        {
            cst.If,
            cst.For,
            cst.While,
            cst.Try,
            cst.TryStar,
            cst.With,
            cst.Match,
            cst.FunctionDef,
            cst.Lambda,
            cst.ClassDef,
            cst.ListComp,
            cst.SetComp,
            cst.DictComp,
            cst.GeneratorExp,
        }
    )

    def __init__(self, state: FileState, function: cst.FunctionDef) -> None:
        self.state = state
        self.reads: list[Read] = []
        self.depth = 0
        self.statement = -1
        self.top = {id(stmt): index for index, stmt in enumerate(function.body.body)}
        self.first_binding: dict[str, int] = {}
        self.first_read: dict[str, int] = {}
        self.names: set[str] = set()
        self.assign_target: str | None = None
        self.assign_value: cst.CSTNode | None = None
        self.exact: set[int] = set()
        self.params = {p.name.value for p in _all_params(function.params)}

    def on_visit(self, node: cst.CSTNode) -> bool:
        if id(node) in self.top:
            self.statement = self.top[id(node)]
            self.assign_target = None
            if isinstance(node, cst.SimpleStatementLine) and len(node.body) == 1:
                small = node.body[0]
                if (
                    isinstance(small, cst.Assign)
                    and len(small.targets) == 1
                    and isinstance(small.targets[0].target, cst.Name)
                ):
                    self.assign_target = small.targets[0].target.value
                    self.assign_value = small.value
        if type(node) in self.COMPOUND:
            self.depth += 1
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if type(original_node) in self.COMPOUND:
            self.depth -= 1
        super().on_leave(original_node)

    # names ----------------------------------------------------------------------------

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def _bind(self, target: cst.BaseExpression) -> None:
        for name in _names_in(target):
            self.first_binding.setdefault(name, self.statement)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._bind(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target)
        for name in _names_in(node.target):
            self.first_read.setdefault(name, self.statement)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind(node.asname.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        for name in _names_in(node.value) if isinstance(node.value, cst.Name) else []:
            self.first_read.setdefault(name, self.statement)

    def visit_Arg(self, node: cst.Arg) -> None:
        if isinstance(node.value, cst.Name):
            self.first_read.setdefault(node.value.value, self.statement)

    def visit_Return(self, node: cst.Return) -> None:
        if isinstance(node.value, cst.Name):
            self.first_read.setdefault(node.value.value, self.statement)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        for name in _names_in(node.left) if isinstance(node.left, cst.Name) else []:
            self.first_read.setdefault(name, self.statement)
        for target in node.comparisons:
            if isinstance(target.comparator, cst.Name):
                self.first_read.setdefault(target.comparator.value, self.statement)
        self._contains(node)

    # reads ------------------------------------------------------------------------------

    def _store(self, node: cst.BaseExpression) -> str | None:
        """The store ("query", "form"...) when `node` is `request.args`, `request.form`..."""
        if not isinstance(node, cst.Attribute) or node.attr.value not in STORES:
            return None
        return STORES[node.attr.value] if self.state.flask_name(node.value) == "request" else None

    def _add(self, read: Read) -> None:
        read.nested = self.depth > 0
        read.statement = self.statement
        if not read.nested and self.assign_target is not None:
            read.assigned_to = self.assign_target
            if self.assign_value is read.node:
                self.exact.add(id(read.node))
            value = self.assign_value
            if (
                isinstance(value, cst.Call)
                and isinstance(value.func, cst.Attribute)
                and value.func.attr.value == "load"
                and len(value.args) == 1
                and value.args[0].keyword is None
                and value.args[0].value is read.node
            ):
                read.loaded_by = value
        self.reads.append(read)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        store = self._store(func.value)
        if store is not None and method in ("get", "getlist"):
            key = nodes.literal_str(nodes.arg_value(node, 0, "key"))
            if key is None or nodes.has_star_args(node):
                return
            if method == "get":
                self._add(
                    Read(
                        node,
                        store,
                        key,
                        "get",
                        default=nodes.arg_value(node, 1, "default"),
                        type_=nodes.arg_value(node, 2, "type"),
                    )
                )
            else:
                self._add(Read(node, store, key, "getlist", type_=nodes.arg_value(node, 1, "type")))
            return
        if self.state.flask_name(func.value) != "request":
            return
        if method == "get_json":
            silent = nodes.literal(nodes.arg_value(node, 1, "silent"), False)
            force = nodes.literal(nodes.arg_value(node, 0, "force"), False)
            if (
                isinstance(silent, bool)
                and isinstance(force, bool)
                and not nodes.has_star_args(node)
            ):
                self._add(Read(node, "json", None, "json", silent=silent, force=force))
        elif method == "get_data":
            as_text = nodes.literal(nodes.arg_value(node, 1, "as_text"), False)
            if isinstance(as_text, bool):
                self._add(Read(node, "raw", None, "raw_text" if as_text else "raw"))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        store = self._store(node.value)
        if store is None or len(node.slice) != 1:
            return
        index = node.slice[0].slice
        if isinstance(index, cst.Index):
            key = nodes.literal_str(index.value)
            if key is not None:
                self._add(Read(node, store, key, "item"))

    def _contains(self, node: cst.Comparison) -> None:
        if len(node.comparisons) != 1:
            return
        target = node.comparisons[0]
        if not isinstance(target.operator, cst.In | cst.NotIn):
            return
        store = self._store(target.comparator)
        key = nodes.literal_str(node.left)
        if store is not None and key is not None:
            read = Read(
                node, store, key, "contains", negated=isinstance(target.operator, cst.NotIn)
            )
            self._add(read)

    def _attribute_read(self, node: cst.Attribute) -> None:
        if self.state.flask_name(node.value) != "request":
            return
        if node.attr.value == "json":
            self._add(Read(node, "json", None, "json"))
        elif node.attr.value == "data":
            self._add(Read(node, "raw", None, "raw"))

    def leave_Attribute(self, original_node: cst.Attribute) -> None:
        self._attribute_read(original_node)


def _all_params(params: cst.Parameters) -> list[cst.Param]:
    result = [*params.posonly_params, *params.params, *params.kwonly_params]
    if isinstance(params.star_arg, cst.Param):
        result.append(params.star_arg)
    if params.star_kwarg is not None:
        result.append(params.star_kwarg)
    return result


def _names_in(node: cst.BaseExpression) -> list[str]:
    if isinstance(node, cst.Name):
        return [node.value]
    if isinstance(node, cst.Tuple | cst.List):
        return [name for element in node.elements for name in _names_in(element.value)]
    if isinstance(node, cst.StarredElement):
        return _names_in(node.value)
    return []


def _identifier(key: str, kind: str) -> str:
    name = key.lower().replace("-", "_") if kind == "header" else key
    name = re.sub(r"\W", "_", name)
    if not name or name[0].isdigit():
        name = f"_{name}"
    if keyword.iskeyword(name):
        name = f"{name}_"
    return name


class RequestConcern(Concern):
    """`request`, `g` and `current_app` in views (parameters) and elsewhere (proxies)."""

    def reset(self) -> None:
        self.plans: dict[int, ViewPlan] = {}
        self.claimed: set[int] = set()

    # planning ---------------------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        info = self.state.function
        if info is None or not info.is_view:
            return
        prescan = _Prescan(self.state, node)
        self.state.enter_scope(node.name.value, True)
        try:
            node.body.visit(prescan)
        finally:
            self.state.exit_scope()
        self.plans[id(node)] = self._plan(info, prescan)

    def _plan(self, info: FunctionInfo, prescan: _Prescan) -> ViewPlan:
        plan = ViewPlan()
        taken = set(prescan.params) | set(info.path_params) | prescan.names | {"request"}
        assigned: set[str] = set()
        by_key: dict[tuple[str, str | None], list[Read]] = {}
        for read in prescan.reads:
            by_key.setdefault((read.kind, read.key), []).append(read)
        has_form = any(kind in ("form", "file") for kind, _ in by_key)
        methods = info.methods or {"GET"}
        # Other decorators (auth checks, `@json_body`...) run before the view body: only reads
        # that can never fail may move into the signature, which is checked before them.
        decorated = self.state.facts.views.get(info.symbol, 0) > 0
        for (kind, key), reads in by_key.items():
            if not self.state.enabled(RULE_OF_KIND[kind]):
                continue
            spec = self._spec(kind, key, reads, methods, has_form, prescan)
            if spec is None or (decorated and spec[2]):
                continue
            annotation, default, required, alias_needed_name = spec
            name = self._name(kind, key, reads, prescan, taken, assigned, info)
            if alias_needed_name is not None:
                annotation = self._with_alias(kind, key or "", name, annotation)
            loaded = self._schema_body(info, reads, name)
            if loaded is not None:
                annotation = loaded
                plan.drop_statements.add(reads[0].statement)
            param = LiftedParam(name, f"{kind}:{key}", annotation, default, required)
            info.lifted.append(param)
            if kind == "file":
                info.sync_reasons.append("reads an uploaded file (werkzeug's sync file API)")
            plan.params.append(param)
            for read in reads:
                plan.replacements[id(read.node)] = self._replacement(read, name)
                if id(read.node) in prescan.exact and read.assigned_to == name:
                    plan.drop_statements.add(read.statement)
            self.state.applied_rule(RULE_OF_KIND[kind])
        return plan

    def _schema_body(self, info: FunctionInfo, reads: list[Read], name: str) -> str | None:
        """`name = <schema>.load(<the body>)`, the view's only body read: the schema's typed
        body parameter (`schema_routes.py`), the statement then goes."""
        if len(reads) != 1 or reads[0].kind != "json" or reads[0].silent:
            return None
        if len(info.node.body.body) < 2:
            return None  # the statement could not go: a view is more than its body's read
        read = reads[0]
        if read.loaded_by is None or read.assigned_to != name:
            return None
        return body_annotation(self, info, read.loaded_by, force=read.force)

    def _spec(
        self,
        kind: str,
        key: str | None,
        reads: list[Read],
        methods: set[str],
        has_form: bool,
        prescan: _Prescan,
    ) -> tuple[str, str | None, bool, str | None] | None:
        """(annotation, default, required, alias-marker) for one key, or None to keep the proxy."""
        variants = {read.variant for read in reads}
        if kind == "json":
            flags = {(read.silent, read.force) for read in reads}
            if len(flags) != 1 or has_form or not methods <= BODY_METHODS:
                return None
            if any(read.nested for read in reads):
                return None
            silent, force = flags.pop()
            options = "silent=True" if silent else "force=True" if force else ""
            annotation = f"Annotated[Any, Body(), {self._compat('json_body')}.json_body({options})]"
            return annotation, ("None" if silent else None), not silent, None
        if kind == "raw":
            module = self._compat("raw_body")
            return f"Annotated[bytes, Depends({module}.raw_body)]", None, True, None
        assert key is not None
        marker = MARKERS[kind]
        if kind in ("form", "file") and not methods <= BODY_METHODS and "item" in variants:
            return None
        value_type = "FileStorage" if kind == "file" else "str"
        if kind == "file":
            value_type = f"{self._compat('FileStorage')}.FileStorage"
        if variants == {"getlist"}:
            if any(read.type_ is not None for read in reads):
                return None
            return f"Annotated[list[{value_type}], {marker}()]", "[]", False, marker
        if "getlist" in variants:
            return None
        if variants == {"item"}:
            if any(read.nested for read in reads):
                return None
            annotation = f"Annotated[{value_type}, {marker}()]" if kind != "query" else value_type
            return annotation, None, True, marker
        gets = [read for read in reads if read.variant == "get"]
        specs = {
            (nodes.code(r.default) if r.default else None, nodes.code(r.type_) if r.type_ else None)
            for r in gets
        }
        if len(specs) > 1:
            return None
        default_code, type_code = specs.pop() if specs else (None, None)
        if ("item" in variants or "contains" in variants) and (
            default_code not in (None, "None") or type_code
        ):
            return None
        default_node = gets[0].default if gets else None
        type_node = gets[0].type_ if gets else None
        if default_node is not None and not self._module_level(default_node, prescan):
            return None
        if type_node is not None and not self._module_level(type_node, prescan):
            return None
        default = default_code if default_code is not None else "None"
        optional = default == "None"
        if type_node is None or self._simple_type(type_node) == "str":
            base = f"{value_type} | None" if optional else value_type
            annotation = f"Annotated[{base}, {marker}()]" if kind != "query" else base
            return annotation, default, False, marker
        simple = self._simple_type(type_node)
        default_value = nodes.literal(default_node, object()) if default_node is not None else None
        type_code = nodes.code(type_node)
        converter = f"{self._compat('arg_type')}.arg_type({type_code}" + (
            f", {default})" if not optional else ")"
        )
        if simple is not None and (optional or type(default_value).__name__ == simple):
            base = f"{simple} | None" if optional else simple
        else:
            base = "Any"
        middle = f", {marker}()" if kind != "query" else ""
        return f"Annotated[{base}{middle}, {converter}]", default, False, marker

    def _with_alias(self, kind: str, key: str, name: str, annotation: str) -> str:
        marker = MARKERS.get(kind)
        if marker is None:
            return annotation
        wanted = name.replace("_", "-") == key.lower() if kind == "header" else name == key
        if wanted:
            return annotation
        alias = f"{marker}(alias={nodes.code(nodes.string(key))})"
        if f"{marker}()" in annotation:
            return annotation.replace(f"{marker}()", alias, 1)
        if annotation.startswith("Annotated["):
            base, _, rest = annotation[len("Annotated[") :].partition(", ")
            return f"Annotated[{base}, {alias}, {rest}"
        return f"Annotated[{annotation}, {alias}]"

    def _module_level(self, node: cst.BaseExpression, prescan: _Prescan) -> bool:
        """A default/type usable in a signature: evaluated once, at definition time, it must
        not read the view's locals or the request (`get("ip", request.remote_addr)`)."""
        if nodes.is_literal(node):
            return True
        names: list[cst.Name] = []

        class Collect(cst.CSTVisitor):
            def visit_Name(self, name: cst.Name) -> None:
                names.append(name)

            def visit_Attribute(self, attribute: cst.Attribute) -> bool:
                attribute.value.visit(self)
                return False

        node.visit(Collect())
        for name in names:
            if name.value in prescan.first_binding or name.value in prescan.params:
                return False
            if self.state.flask_name(name) in ("request", "g", "current_app", "session"):
                return False
        return True

    def _simple_type(self, node: cst.BaseExpression) -> str | None:
        for name in self.state.qualified_names(node):
            if name in SIMPLE_TYPES:
                return SIMPLE_TYPES[name]
            if name == "builtins.str":
                return "str"
        return None

    def _name(
        self,
        kind: str,
        key: str | None,
        reads: list[Read],
        prescan: _Prescan,
        taken: set[str],
        assigned: set[str],
        info: FunctionInfo,
    ) -> str:
        for read in reads:
            target = read.assigned_to
            if (
                target is not None
                and read.variant in ("get", "item", "getlist", "json", "raw")
                and target not in assigned
                and target not in prescan.params
                and target not in info.path_params
                and target != "request"
                and prescan.first_binding.get(target) == read.statement
                and prescan.first_read.get(target, read.statement + 1) > read.statement
            ):
                assigned.add(target)
                return target
        base = {"json": "body", "raw": "raw_body"}.get(kind) or _identifier(key or kind, kind)
        name = base
        suffix = {
            "query": "arg",
            "header": "header",
            "cookie": "cookie",
            "form": "field",
            "file": "file",
        }
        if name in taken or name in assigned:
            name = f"{base}_{suffix.get(kind, 'value')}"
        counter = 2
        while name in taken or name in assigned:
            name = f"{base}_{counter}"
            counter += 1
        assigned.add(name)
        return name

    def _replacement(self, read: Read, name: str) -> cst.BaseExpression:
        if read.variant == "contains":
            return nodes.expr(f"{name} is None" if read.negated else f"{name} is not None")
        if read.variant == "raw_text":
            return nodes.expr(f'{name}.decode(errors="replace")')
        return cst.Name(name)

    def _compat(self, name: str) -> str:
        """Import the support module providing `name`; the name to reference it by."""
        return self.state.use_compat_module(self.context, name)

    # rewriting ---------------------------------------------------------------------------

    def _plan_for_view(self) -> ViewPlan | None:
        view = self.state.view
        return self.plans.get(id(view.node)) if view is not None else None

    def on_claim(self, node: cst.CSTNode) -> None:
        """Mark the request sub-expressions of a node that is replaced whole."""
        for child in node.children:
            self.claimed.add(id(child))
            if isinstance(child, cst.Attribute | cst.Name | cst.Call | cst.Subscript | cst.Arg):
                self.on_claim(child)

    def visit_Call(self, node: cst.Call) -> None:
        self._claim_if_replaced(node)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self._claim_if_replaced(node)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        self._claim_if_replaced(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self._claim_if_replaced(node):
            return
        if self.state.view is None:
            return
        name = self.state.flask_name(node.value)
        if name in ("request", "g", "current_app"):
            self.claimed.add(id(node.value))

    def _claim_if_replaced(self, node: cst.CSTNode) -> bool:
        plan = self._plan_for_view()
        if plan is not None and id(node) in plan.replacements:
            self.on_claim(node)
            return True
        return False

    def _replace(self, original: cst.CSTNode) -> cst.BaseExpression | None:
        plan = self._plan_for_view()
        if plan is not None and id(original) in plan.replacements:
            return plan.replacements[id(original)]
        return None

    def leave_Subscript(
        self, original_node: cst.Subscript, updated_node: cst.Subscript
    ) -> cst.BaseExpression:
        return self._replace(original_node) or updated_node

    def leave_Comparison(
        self, original_node: cst.Comparison, updated_node: cst.Comparison
    ) -> cst.BaseExpression:
        replaced = self._replace(original_node)
        if replaced is not None:
            return replaced
        view = self.state.view
        if view is None or not self.state.enabled(Rule.G) or len(original_node.comparisons) != 1:
            return updated_node
        target = original_node.comparisons[0]
        if (
            isinstance(target.operator, cst.In | cst.NotIn)
            and self.state.flask_name(target.comparator) == "g"
        ):
            self._need_request(view)
            key = updated_node.left
            test = nodes.call(
                "hasattr",
                [nodes.posarg(nodes.expr(f"{self._request_name(view)}.state")), nodes.posarg(key)],
            )
            self.state.applied_rule(Rule.G)
            if isinstance(target.operator, cst.NotIn):
                return cst.UnaryOperation(operator=cst.Not(), expression=test)
            return test
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        replaced = self._replace(original_node)
        if replaced is not None:
            return replaced
        view = self.state.view
        func = original_node.func
        if view is None or not isinstance(func, cst.Attribute):
            return updated_node
        if (
            func.attr.value == "get"
            and self.state.flask_name(func.value) == "g"
            and self.state.enabled(Rule.G)
        ):
            self._need_request(view)
            args = [nodes.posarg(nodes.expr(f"{self._request_name(view)}.state"))]
            args += [
                a.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT)
                for a in updated_node.args
            ]
            self.state.applied_rule(Rule.G)
            return nodes.call("getattr", args, like=updated_node)
        return updated_node

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        replaced = self._replace(original_node)
        if replaced is not None:
            return replaced
        view = self.state.view
        name = self.state.flask_name(original_node.value)
        if view is None or name is None or id(original_node) in self.claimed:
            return updated_node
        attr = original_node.attr.value
        if name == "request":
            return self._request_attribute(view, attr, updated_node)
        if name == "g" and self.state.enabled(Rule.G):
            if attr in ("get", "pop", "setdefault"):
                return self._proxy(view, "g", updated_node)
            self._need_request(view)
            self.state.applied_rule(Rule.G)
            return updated_node.with_changes(value=nodes.expr(f"{self._request_name(view)}.state"))
        if name == "current_app" and self.state.enabled(Rule.CURRENT_APP):
            request_name = self._request_name(view)
            if attr in APP_STATE_ATTRIBUTES:
                self._need_request(view)
                self.state.applied_rule(Rule.CURRENT_APP)
                return updated_node.with_changes(value=nodes.expr(f"{request_name}.app.state"))
            if attr in APP_CONFIG_ATTRIBUTES:
                self._need_request(view)
                self.state.applied_rule(Rule.CURRENT_APP)
                return nodes.expr(
                    f'{request_name}.app.state.config["{APP_CONFIG_ATTRIBUTES[attr]}"]'
                )
            return self._proxy(view, "current_app", updated_node)
        if name in ("g", "current_app"):
            return self._proxy(view, name, updated_node)
        return updated_node

    def _request_attribute(
        self, view: FunctionInfo, attr: str, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        template = REQUEST_ATTRIBUTES.get(attr)
        if template is not None and self.state.enabled(Rule.REQUEST_ATTRS):
            self._need_request(view)
            self.state.applied_rule(Rule.REQUEST_ATTRS)
            compat = self._compat(attr) if "{compat}" in template else ""
            return nodes.expr(template.format(r=self._request_name(view), compat=compat))
        return self._proxy(view, "request", updated_node)

    def _proxy(
        self, view: FunctionInfo, name: str, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if not self.state.enabled(Rule.GLOBALS):
            return updated_node
        module = self._compat(name)
        view.uses_compat = True
        note = (
            f"reads flask_compat.{name}.{updated_node.attr.value} (Flask semantics, request-scoped)"
        )
        if note not in view.review:
            view.review.append(note)
        self.state.applied_rule(Rule.GLOBALS)
        return updated_node.with_changes(value=nodes.expr(f"{module}.{name}"))

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        if id(original_node) in self.claimed:
            return updated_node
        view = self.state.view
        if view is None:
            return updated_node
        name = self.state.flask_name(original_node)
        if name in ("request", "g", "current_app") and self.state.enabled(Rule.GLOBALS):
            module = self._compat(name)
            view.uses_compat = True
            note = f"passes flask_compat.{name} on (Flask semantics, request-scoped)"
            if note not in view.review:
                view.review.append(note)
            return nodes.expr(f"{module}.{name}")
        return updated_node

    def _need_request(self, view: FunctionInfo) -> None:
        view.needs_request = True

    def _request_name(self, view: FunctionInfo) -> str:
        params = {p.name.value for p in _all_params(view.node.params)}
        if "request" in params and not view.needs_request:
            return "http_request"
        return "request" if "request" not in params else "http_request"

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        view = self.state.in_view_body()
        if view is None:
            return updated_node
        plan = self.plans.get(id(view.node))
        if plan is None or view.statement_index not in plan.drop_statements:
            return updated_node
        body = view.node.body.body
        if (
            view.statement_index < len(body)
            and body[view.statement_index] is original_node
            and len(body) > 1
        ):
            return cst.RemovalSentinel.REMOVE
        return updated_node

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        info = self.state.function
        plan = self.plans.pop(id(original_node), None)
        if info is None or not info.is_view or plan is None:
            return updated_node
        new: list[str] = []
        if info.needs_request:
            new.append(f"{self._request_name(info)}: Request")
            self.state.add_import(self.context, "fastapi", "Request")
        required = [p for p in plan.params if p.required and p.default is None]
        optional = [p for p in plan.params if not (p.required and p.default is None)]
        for param in [*required, *optional]:
            text = f"{param.name}: {param.annotation}"
            if param.default is not None:
                text += f" = {param.default}"
            new.append(text)
            self._imports_for(param.annotation)
        if not new:
            return updated_node
        return updated_node.with_changes(
            **signature(updated_node, new, len(self.state.scopes) - 1, self.state)
        )

    def _imports_for(self, annotation: str) -> None:
        for name in ("Annotated", "Any"):
            if re.search(rf"\b{name}\[|\b{name}\b", annotation):
                self.state.add_import(self.context, "typing", name)
        for marker in ("Query", "Header", "Cookie", "Form", "File", "Body", "Depends"):
            if f"{marker}(" in annotation:
                self.state.add_import(self.context, "fastapi", marker)


def signature(
    function: cst.FunctionDef, new: list[str], depth: int, state: FileState
) -> dict[str, object]:
    """The function's parameters with `new` ones appended (keyword-only after a default)."""
    params = function.params
    existing = [
        nodes.code(p.with_changes(comma=cst.MaybeSentinel.DEFAULT)).strip() for p in params.params
    ]
    posonly = [
        nodes.code(p.with_changes(comma=cst.MaybeSentinel.DEFAULT)).strip()
        for p in params.posonly_params
    ]
    kwonly = [
        nodes.code(p.with_changes(comma=cst.MaybeSentinel.DEFAULT)).strip()
        for p in params.kwonly_params
    ]
    star = None
    if isinstance(params.star_arg, cst.Param):
        star = (
            "*" + nodes.code(params.star_arg.with_changes(comma=cst.MaybeSentinel.DEFAULT)).strip()
        )
    elif isinstance(params.star_arg, cst.ParamStar):
        star = "*"
    star_kwarg = (
        "**" + nodes.code(params.star_kwarg.with_changes(comma=cst.MaybeSentinel.DEFAULT)).strip()
        if params.star_kwarg
        else None
    )
    has_default = any(p.default is not None for p in [*params.posonly_params, *params.params])
    required_new = [text for text in new if "=" not in text.split(":", 1)[1].split("]")[-1]]
    if star is None and (has_default and required_new):
        star = "*"
    parts = [*posonly, *(["/"] if posonly else [])]
    if star is None:
        parts += [*existing, *new]
    else:
        parts += [*existing, star, *kwonly, *new]
    if star_kwarg:
        parts.append(star_kwarg)
    module = state.module
    indent = module.default_indent if module is not None else "    "
    prefix = "async def" if function.asynchronous else "def"
    header = f"{prefix} {function.name.value}(" + ", ".join(parts) + ")"
    if len(indent * depth + header) + 20 <= 100:
        text = f"{header}:\n{indent}pass\n"
    else:
        inner = "".join(f"{indent}{part},\n" for part in parts)
        text = f"{prefix} {function.name.value}(\n{inner}):\n{indent}pass\n"
    if depth:
        parsed = _dedent_first(cst.parse_module(_indent(text, indent * depth)).body[0])
    else:
        statement = cst.parse_statement(text)
        assert isinstance(statement, cst.FunctionDef)
        parsed = statement
    return {"params": parsed.params, "whitespace_before_params": parsed.whitespace_before_params}


def _indent(text: str, prefix: str) -> str:
    lines = text.splitlines(keepends=True)
    wrapped = "if True:\n" + "".join(f"{prefix}{line}" if line.strip() else line for line in lines)
    return wrapped


def _dedent_first(parsed: cst.CSTNode) -> cst.FunctionDef:
    assert isinstance(parsed, cst.If)
    body = parsed.body
    assert isinstance(body, cst.IndentedBlock)
    function = body.body[0]
    assert isinstance(function, cst.FunctionDef)
    return function
