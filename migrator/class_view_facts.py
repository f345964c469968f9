"""Gathering facts about class-based views: which classes are routed, under which rules.

`MethodView`/`View` subclasses registered with `add_url_rule(rule, view_func=C.as_view(n))`
(or through a variable holding `C.as_view(n)`), and flask-restful / flask-restx `Resource`
subclasses registered with `api.add_resource(C, "/a", "/b/<int:id>")`. Each HTTP method of
such a class (`get`, `post`, ... — found on the class or a project base class) is recorded
as a view of its own, so the rewrite converts its body with the function views' rules.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from migrator.project import ProjectFacts, _ModuleScan

ClassViewKind = Literal["method_view", "view", "resource"]

# Base classes by qualified name → what kind of class view a subclass is.
VIEW_BASES: dict[str, ClassViewKind] = {
    "flask.views.MethodView": "method_view",
    "flask.views.View": "view",
    "flask_restful.Resource": "resource",
    "flask_restful.resource.Resource": "resource",
    "flask_restx.Resource": "resource",
    "flask_restx.resource.Resource": "resource",
}
VERBS = ("get", "post", "put", "patch", "delete")


@dataclass
class ClassInfo:
    """A class of the project: its bases (resolved) and the methods its body defines."""

    bases: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)
    variadic: list[str] = field(default_factory=list)  # methods taking *args / **kwargs


def class_info(node: ast.ClassDef, resolve: Callable[[ast.expr], str | None]) -> ClassInfo:
    """What the gathering pass records for one class statement."""
    info = ClassInfo()
    for base in node.bases:
        resolved = resolve(base)
        if resolved is not None:
            info.bases.append(resolved)
    for statement in node.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            info.methods.append(statement.name)
            if statement.args.vararg is not None or statement.args.kwarg is not None:
                info.variadic.append(statement.name)
        elif isinstance(statement, ast.Assign):
            info.attributes.extend(t.id for t in statement.targets if isinstance(t, ast.Name))
    return info


def as_view_args(node: ast.Call, resolve: Callable[[ast.expr], str | None]) -> dict[str, str]:
    """Arguments of a call that are `C.as_view(...)`: keyword (or position) → C, resolved."""
    found: dict[str, str] = {}
    arguments: list[tuple[str, ast.expr]] = [(str(i), a) for i, a in enumerate(node.args)]
    arguments += [(kw.arg, kw.value) for kw in node.keywords if kw.arg]
    for key, value in arguments:
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr == "as_view"
        ):
            resolved = resolve(value.func.value)
            if resolved is not None:
                found[key] = resolved
    return found


def find_class_views(
    facts: ProjectFacts, scans: list[_ModuleScan], local: Callable[[str, str], str]
) -> None:
    """Record routed class views in `facts.class_views` (and the variables holding their
    `as_view()`), and their methods as views."""
    from migrator.project import RulePlan

    classes = {symbol: info for scan in scans for symbol, info in scan.classes.items()}

    def kind_of(symbol: str, depth: int = 0) -> ClassViewKind | None:
        info = classes.get(symbol)
        if info is None or depth > 8:
            return None
        for base in info.bases:
            canonical = facts.canonical(base) if ":" not in base else base
            if canonical in VIEW_BASES:
                return VIEW_BASES[canonical]
            if base in VIEW_BASES:
                return VIEW_BASES[base]
            found = kind_of(local(base, symbol.partition(":")[0]), depth + 1)
            if found is not None:
                return found
        return None

    def methods_of(symbol: str, depth: int = 0) -> dict[str, str]:
        """Method name → the class (symbol) defining it, the nearest first."""
        info = classes.get(symbol)
        if info is None or depth > 8:
            return {}
        found: dict[str, str] = {}
        for base in reversed(info.bases):
            found.update(methods_of(local(base, symbol.partition(":")[0]), depth + 1))
        # A method taking *args/**kwargs is left as it is (its request reads go through
        # flask_compat's global request): parameters cannot be added after them safely.
        found.update({name: symbol for name in info.methods if name not in info.variadic})
        return found

    variables = {
        symbol: call.func.removesuffix(".as_view")
        for scan in scans
        for symbol, call in scan.assignments
        if call.func.endswith(".as_view")
    }
    registered: set[str] = set()
    for scan in scans:
        module = scan.file.module
        for call in scan.calls:
            target: str | None = None
            rules: list[str | None] = []
            if call.func.endswith(".add_url_rule"):
                owner = local(call.func.rpartition(".")[0], module)
                if owner not in facts.objects:
                    continue
                target = call.as_views.get("view_func") or call.as_views.get("2")
                if target is None:
                    view = call.kwargs.get("view_func") or (
                        call.args[2] if len(call.args) > 2 else None
                    )
                    target = variables.get(local(view, module)) if view is not None else None
                rule = call.literal_args[0] if call.literal_args else None
                rules = [rule if rule is not None else call.literal_kwargs.get("rule")]
            elif call.func.endswith(".add_resource") and call.args and call.args[0]:
                target = call.args[0]
                rules = list(call.literal_args[1:]) or [None]
            if target is None:
                continue
            cls = local(target, module)
            kind = kind_of(cls)
            if kind is None:
                continue
            facts.class_views[cls] = kind
            registered.add(cls)
            for variable, value in variables.items():
                if local(value, variable.partition(":")[0]) == cls:
                    facts.class_views[variable] = kind  # a variable holding C.as_view()
            defined = methods_of(cls)
            wanted = tuple(m.upper() for m in call.literal_lists.get("methods", []))
            for rule in rules:
                if kind == "view":
                    if "dispatch_request" in defined:
                        owner_class = defined["dispatch_request"]
                        facts.class_views.setdefault(owner_class, kind)
                        facts.external_views.setdefault(
                            f"{owner_class}.dispatch_request", []
                        ).append(RulePlan(rule, wanted or ("GET",)))
                    continue
                for verb in VERBS:
                    if verb not in defined or (wanted and verb.upper() not in wanted):
                        continue
                    owner_class = defined[verb]
                    facts.class_views.setdefault(owner_class, kind)
                    facts.external_views.setdefault(f"{owner_class}.{verb}", []).append(
                        RulePlan(rule, (verb.upper(),))
                    )
    # Classes registered by a project helper from a route table (`C.as_view(...)` on a
    # variable, rules known only at run time): every class view of the project is still
    # served, so its methods are views, under a computed rule.
    for scan in scans:
        for cls in scan.classes:
            kind = kind_of(cls)
            if kind is None or cls in registered:
                continue
            registered.add(cls)
            facts.class_views[cls] = kind
            defined = methods_of(cls)
            verbs = ["dispatch_request"] if kind == "view" else [v for v in VERBS if v in defined]
            for verb in verbs:
                if verb not in defined:
                    continue
                owner_class = defined[verb]
                facts.class_views.setdefault(owner_class, kind)
                method = "GET" if verb == "dispatch_request" else verb.upper()
                facts.external_views.setdefault(f"{owner_class}.{verb}", []).append(
                    RulePlan(None, (method,))
                )
