"""Routes: `@route`/`@get`/... and `add_url_rule` → FastAPI decorators and `add_api_route`.

Flask rules become Starlette paths with the converter kept where Starlette has the same
one (`<int:id>` → `{id:int}`, which rejects `-1` as Flask does); the view's parameters get
the converter's type. Multi-method rules use `api_route`; stacked decorators stay stacked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from migrator.project import FlaskObject
from migrator.rules import Rule
from migrator.transforms import nodes
from migrator.transforms.base import Concern, FunctionInfo, RouteRecord
from migrator.transforms.class_views import class_view_rule

RULE_VARIABLE = re.compile(
    r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<args>.*?)\))?:)?(?P<variable>[a-zA-Z_][a-zA-Z0-9_]*)>"
)
# Flask converter → (Starlette convertor suffix, parameter annotation)
CONVERTERS: dict[str, tuple[str, str]] = {
    "default": ("", "str"),
    "string": ("", "str"),
    "int": (":int", "int"),
    "float": (":float", "float"),
    "path": (":path", "str"),
    "uuid": (":uuid", "UUID"),
}
SHORTCUTS = {"get", "post", "put", "patch", "delete"}
VERBS = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE"}
BODY_METHODS = {"POST", "PUT", "PATCH"}
DROPPED_OPTIONS = {"subdomain", "host", "provide_automatic_options", "redirect_to", "websocket"}


def _defaults_in_order(params: list[cst.Param]) -> bool:
    seen_default = False
    for param in params:
        if param.default is not None:
            seen_default = True
        elif seen_default:
            return False
    return True


@dataclass
class ConvertedRule:
    """A Flask rule as a Starlette path, with the typed parameters it implies."""

    path: str  # with convertors: "/invoices/{id:int}"
    path_format: str  # without: "/invoices/{id}"
    params: dict[str, str] = field(default_factory=dict)  # name → annotation
    imports: set[tuple[str, str]] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    custom: bool = False


def convert_rule(rule: str) -> ConvertedRule:
    """`/x/<int:id>` → `/x/{id:int}`; custom converters become plain strings (reported)."""
    converted = ConvertedRule("", "")
    path_parts: list[str] = []
    format_parts: list[str] = []
    position = 0
    for match in RULE_VARIABLE.finditer(rule):
        path_parts.append(rule[position : match.start()])
        format_parts.append(rule[position : match.start()])
        position = match.end()
        name = match["variable"]
        converter = match["converter"] or "default"
        args = match["args"]
        format_parts.append(f"{{{name}}}")
        if converter == "any":
            items = [item.strip().strip("'\"") for item in (args or "").split(",") if item.strip()]
            path_parts.append(f"{{{name}}}")
            converted.params[name] = (
                "Literal[" + ", ".join(nodes.code(nodes.string(i)) for i in items) + "]"
            )
            converted.imports.add(("typing", "Literal"))
            continue
        if converter not in CONVERTERS:
            path_parts.append(f"{{{name}}}")
            converted.params[name] = "str"
            converted.custom = True
            converted.notes.append(
                f"custom converter <{converter}:{name}> is passed as a string: check its values"
            )
            continue
        suffix, annotation = CONVERTERS[converter]
        path_parts.append(f"{{{name}{suffix}}}")
        converted.params[name] = annotation
        if annotation == "UUID":
            converted.imports.add(("uuid", "UUID"))
        if args:
            converted.notes.append(
                f"converter arguments <{converter}({args}):{name}> are not enforced"
            )
    path_parts.append(rule[position:])
    format_parts.append(rule[position:])
    converted.path = "".join(path_parts)
    converted.path_format = "".join(format_parts)
    return converted


def route_decorator(
    state_concern: Concern, decorator: cst.Decorator
) -> tuple[FlaskObject, str, cst.Call] | None:
    """(object, method name, call) when the decorator is `@app.route(...)`/`@bp.get(...)`."""
    call = decorator.decorator
    if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
        return None
    attribute = call.func.attr.value
    if attribute != "route" and attribute not in SHORTCUTS:
        return None
    obj = state_concern.state.flask_object(call.func.value)
    if obj is None:
        return None
    return obj, attribute, call


class RouteConcern(Concern):
    """Route decorators and `add_url_rule`; marks the functions that are views."""

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        state = self.state
        info = state.function
        if info is None:
            return
        found = [found for d in node.decorators if (found := route_decorator(self, d)) is not None]
        external = state.external_rules(info.symbol)
        if not found and not external:
            return
        info.is_view = True
        for obj, attribute, call in found:
            self._record(info, obj, attribute, call)
        for plan in external:
            rule = plan.rule if plan.rule is not None else "<computed>"
            converted = convert_rule(rule)
            methods = list(plan.methods) or ["GET"]
            info.methods.update(methods)
            for name, annotation in converted.params.items():
                info.path_params.setdefault(name, annotation)
            info.routes.append(self._route_record(info, rule, converted.path_format, methods, ""))

    def _record(self, info: FunctionInfo, obj: FlaskObject, attribute: str, call: cst.Call) -> None:
        rule_node = nodes.arg_value(call, 0, "rule")
        rule = nodes.literal_str(rule_node)
        methods = self._methods(call, attribute)
        info.methods.update(methods or ["GET"])
        record_rule = rule if rule is not None else "<computed>"
        converted = convert_rule(record_rule)
        for name, annotation in converted.params.items():
            info.path_params.setdefault(name, annotation)
        defaults = nodes.arg_value(call, None, "defaults")
        if isinstance(defaults, cst.Dict):
            for element in defaults.elements:
                if isinstance(element, cst.DictElement):
                    key = nodes.literal_str(element.key)
                    if key is not None:
                        info.defaults.setdefault(key, element.value)
        prefix = self.state.facts.mount_prefix(obj.symbol)
        record = self._route_record(
            info, prefix + record_rule, prefix + converted.path_format, methods or ["GET"], ""
        )
        record.notes.extend(converted.notes)
        if converted.custom or rule is None:
            info.review.append(
                record.notes[-1] if converted.custom else "rule is computed at run time"
            )
        if rule is None:
            record.notes.append("rule is not a literal: converted at run time by flask_compat.path")
        info.routes.append(record)

    def _methods(self, call: cst.Call, attribute: str) -> list[str] | None:
        if attribute != "route":
            return [attribute.upper()]
        value = nodes.arg_value(call, None, "methods")
        if value is None:
            return None
        methods = nodes.literal(value, None)
        if isinstance(methods, list) and all(isinstance(m, str) for m in methods):
            return [str(m).upper() for m in methods]
        return None

    def _route_record(
        self, info: FunctionInfo, rule: str, path: str, methods: list[str], note: str
    ) -> RouteRecord:
        record = RouteRecord(
            file=self.state.file.relpath,
            line=self.state.facts.function_lines.get(info.symbol, 0),
            function=info.node.name.value,
            rule=rule,
            path=path,
            methods=methods,
            symbol=info.symbol,
        )
        if note:
            record.notes.append(note)
        return record

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        info = self.state.function
        if info is None or not info.is_view or not self.state.enabled(Rule.ROUTE):
            return updated_node
        decorators: list[cst.Decorator] = []
        for original, updated in zip(
            original_node.decorators, updated_node.decorators, strict=True
        ):
            found = route_decorator(self, original)
            if found is None:
                decorators.append(updated)
                continue
            obj, attribute, _ = found
            if not isinstance(updated.decorator, cst.Call):
                decorators.append(updated)
                continue
            decorators.extend(self._convert_decorator(info, obj, attribute, updated))
        params = self._typed_params(info, updated_node.params)
        self.state.applied_rule(Rule.ROUTE)
        updated_node = updated_node.with_changes(decorators=decorators, params=params)
        return self._sync_or_async(info, updated_node)

    def _sync_or_async(self, info: FunctionInfo, node: cst.FunctionDef) -> cst.FunctionDef:
        """`async def` only if the checker found nothing blocking and nothing here needs threads."""
        if node.asynchronous is not None:
            return node
        for finding in self.state.facts.blocking.get(info.symbol, [])[:3]:
            chain = [str(step) for step in finding["chain"]]  # type: ignore[attr-defined]
            via = f" via {' → '.join(chain[:-1])}" if len(chain) > 1 else ""
            note = f"stays def: calls {finding['call']}{via}"
            if note not in info.notes:
                info.notes.append(note)
        if info.symbol in self.state.facts.called and not self.state.facts.blocking.get(
            info.symbol
        ):
            info.notes.append("stays def: other project code calls it as a plain function")
        if info.symbol not in self.state.facts.async_views:
            return node
        if info.sync_reasons:
            info.notes.append(f"stays def: {info.sync_reasons[0]}")
            return node
        info.emitted_async = True
        return node.with_changes(asynchronous=cst.Asynchronous())

    def _convert_decorator(
        self, info: FunctionInfo, obj: FlaskObject, attribute: str, decorator: cst.Decorator
    ) -> list[cst.Decorator]:
        call = decorator.decorator
        assert isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
        owner = call.func.value
        rule_node = nodes.arg_value(call, 0, "rule")
        rule = nodes.literal_str(rule_node)
        methods = self._methods(call, attribute)
        path_arg: cst.BaseExpression
        alternate: str | None = None
        if rule is not None:
            path = convert_rule(rule).path
            path_arg = nodes.string(path)
            strict = nodes.literal(nodes.arg_value(call, None, "strict_slashes"), True)
            if strict is False and path not in ("", "/"):
                alternate = path[:-1] if path.endswith("/") else path + "/"
            for name in convert_rule(rule).imports:
                self.state.add_import(self.context, *name)
        else:
            module = self.state.use_compat_module(self.context, "path")
            path_arg = nodes.call(f"{module}.path", [nodes.posarg(rule_node or nodes.expr('""'))])
        kept: list[cst.Arg] = []
        endpoint = nodes.literal_str(nodes.arg_value(call, None, "endpoint"))
        route_name = self._endpoint_name(info, obj, endpoint)
        if route_name is not None:
            kept.append(nodes.kwarg("name", nodes.string(route_name)))
        for argument in call.args:
            keyword = argument.keyword.value if argument.keyword else None
            if keyword in (None, "rule", "methods", "endpoint", "defaults", "strict_slashes"):
                continue
            if keyword in DROPPED_OPTIONS:
                info.review.append(f"route option {keyword}= is not supported by FastAPI (dropped)")
                continue
            kept.append(argument)
        verbs = [m.lower() for m in methods if m in VERBS] if methods is not None else []
        if len(verbs) > 1:
            # One decorator per verb: FastAPI gives each its own operation id (an `api_route`
            # with several methods repeats one, and warns).
            per_verb: list[tuple[str, cst.Arg | None]] = [(verb, None) for verb in verbs]
        else:
            per_verb = [self._verb(methods, call)]
        result: list[cst.Decorator] = []
        for index, (verb, methods_arg) in enumerate(per_verb):
            extra = [methods_arg] if methods_arg is not None else []
            args = [nodes.posarg(path_arg), *extra, *kept]
            new_call = nodes.call(cst.Attribute(value=owner, attr=cst.Name(verb)), args, like=call)
            if index == 0:
                result.append(decorator.with_changes(decorator=new_call))
            else:
                result.append(cst.Decorator(decorator=new_call))
            if alternate is not None:
                hidden = [
                    nodes.posarg(nodes.string(alternate)),
                    *args[1:],
                    nodes.kwarg("include_in_schema", cst.Name("False")),
                ]
                alt = nodes.call(cst.Attribute(value=owner, attr=cst.Name(verb)), hidden, like=call)
                result.append(cst.Decorator(decorator=alt))
        return result

    def _endpoint_name(
        self, info: FunctionInfo, obj: FlaskObject, endpoint: str | None
    ) -> str | None:
        facts = self.state.facts
        function = endpoint or info.node.name.value
        if obj.kind == "blueprint" and facts.uses_endpoints and obj.blueprint_name:
            return f"{obj.blueprint_name}.{function}"
        return endpoint

    def _verb(self, methods: list[str] | None, call: cst.Call) -> tuple[str, cst.Arg | None]:
        value = nodes.arg_value(call, None, "methods")
        if methods is None:
            if value is None:
                return "get", None
            return "api_route", nodes.kwarg("methods", value)
        upper = [m for m in methods if m in VERBS]
        if len(upper) == 1:
            return upper[0].lower(), None
        if value is not None and [str(m) for m in nodes.literal(value, [])] == upper:
            return "api_route", nodes.kwarg("methods", value)
        elements = [
            cst.Element(
                nodes.string(m),
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                if i < len(upper) - 1
                else cst.MaybeSentinel.DEFAULT,
            )
            for i, m in enumerate(upper)
        ]
        return "api_route", nodes.kwarg("methods", cst.List(elements))

    def _typed_params(self, info: FunctionInfo, params: cst.Parameters) -> cst.Parameters:
        """Annotate path parameters with their converter's type; add `defaults=` values."""
        changed: list[cst.Param] = []
        for param in params.params:
            name = param.name.value
            if name in info.path_params and param.annotation is None:
                param = param.with_changes(
                    annotation=cst.Annotation(nodes.expr(info.path_params[name]))
                )
            if name in info.defaults and param.default is None:
                spacing = cst.SimpleWhitespace(" " if param.annotation is not None else "")
                param = param.with_changes(
                    default=info.defaults[name],
                    equal=cst.AssignEqual(whitespace_before=spacing, whitespace_after=spacing),
                )
            changed.append(param)
        if _defaults_in_order(changed) or params.star_arg is not cst.MaybeSentinel.DEFAULT:
            return params.with_changes(params=changed)
        # `defaults=` gave a parameter before others a default: FastAPI passes keywords, so
        # keyword-only parameters keep the signature valid without reordering it.
        return params.with_changes(
            params=[], kwonly_params=[*changed, *params.kwonly_params], star_arg=cst.ParamStar()
        )

    # add_url_rule ----------------------------------------------------------------------

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "add_url_rule":
            return updated_node
        obj = self.state.flask_object(func.value)
        if obj is None or not self.state.enabled(Rule.URL_RULE):
            return updated_node
        class_view = class_view_rule(self, original_node, updated_node)
        if class_view is not None:
            return class_view
        rule_node = nodes.arg_value(updated_node, 0, "rule")
        endpoint = nodes.arg_value(updated_node, 1, "endpoint")
        view = nodes.arg_value(updated_node, 2, "view_func")
        if view is None:
            text = nodes.code(original_node)[:60]
            self.state.notes.append(f"add_url_rule without view_func ({text}) is not converted")
            return updated_node
        rule = nodes.literal_str(rule_node)
        if rule is not None:
            path: cst.BaseExpression = nodes.string(convert_rule(rule).path)
        else:
            module = self.state.use_compat_module(self.context, "path")
            path = nodes.call(f"{module}.path", [nodes.posarg(rule_node or nodes.expr('""'))])
        args = [nodes.posarg(path), nodes.posarg(view)]
        methods = nodes.arg_value(updated_node, None, "methods")
        if methods is not None:
            args.append(nodes.kwarg("methods", methods))
        if endpoint is not None and not (
            isinstance(endpoint, cst.Name) and endpoint.value == "None"
        ):
            args.append(nodes.kwarg("name", endpoint))
        if not isinstance(updated_node.func, cst.Attribute):
            return updated_node
        self.state.applied_rule(Rule.URL_RULE)
        return nodes.call(
            updated_node.func.with_changes(attr=cst.Name("add_api_route")), args, like=updated_node
        )
