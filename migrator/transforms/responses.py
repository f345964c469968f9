"""Responses: `jsonify`, `Response`, `make_response`, `redirect`, streaming, view returns.

Flask turns whatever a view returns into a response; FastAPI serialises it as JSON. So a
view's `return "<p>hi</p>"` becomes `HTMLResponse(...)` (Flask served text/html),
`return jsonify(x), 201, headers` becomes `JSONResponse(x, status_code=201, headers=...)`,
and a return whose kind is only known at run time goes through `flask_compat.make_response`,
which applies Flask's rules. `JSONResponse` is the support module's: it serialises as
`jsonify` did (sorted keys, dates as HTTP dates), so bodies stay byte-compatible.
"""

from __future__ import annotations

import libcst as cst

from migrator.rules import Rule
from migrator.transforms import nodes
from migrator.transforms.base import Concern, FunctionInfo

TEXT_TYPES = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)
RESPONSE_MAKERS = {
    "jsonify",
    "Response",
    "make_response",
    "redirect",
    "send_file",
    "send_from_directory",
}


class ResponseConcern(Concern):
    """Response constructors everywhere; return values of views."""

    def reset(self) -> None:
        self._module_node: cst.Module | None = None
        self._generators: set[str] | None = None

    def visit_Module(self, node: cst.Module) -> None:
        self._module_node = node

    @property
    def generators(self) -> set[str]:
        # Looked for only when a response wraps a call (rare): a whole-module walk per file
        # cost an eighth of the codemod's time.
        if self._generators is None:
            found = self._module_node
            self._generators = _generator_functions(found) if found is not None else set()
        return self._generators

    # constructors ---------------------------------------------------------------------

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        name = self.state.flask_name(original_node.func)
        if name == "jsonify" and self.state.enabled(Rule.JSONIFY):
            return self._jsonify(updated_node)
        if name == "Response" and self.state.enabled(Rule.RESPONSE):
            return self._response(original_node, updated_node)
        if name == "make_response" and self.state.enabled(Rule.RESPONSE):
            return self._make_response(original_node, updated_node)
        if name == "redirect" and self.state.enabled(Rule.REDIRECT):
            return self._redirect(updated_node)
        if name == "stream_with_context" and self.state.enabled(Rule.RESPONSE):
            inner = nodes.arg_value(updated_node, 0, "generator_or_function")
            if inner is not None and len(updated_node.args) == 1:
                self.state.applied_rule(Rule.RESPONSE)
                return inner
        if (
            isinstance(original_node.func, cst.Attribute)
            and original_node.func.attr.value == "set_cookie"
            and self.state.enabled(Rule.COOKIES)
            and "samesite" not in nodes.keyword_names(original_node)
            and self._file_is_flask()
        ):
            self.state.applied_rule(Rule.COOKIES)
            return nodes.call(
                updated_node.func,
                [*updated_node.args, nodes.kwarg("samesite", cst.Name("None"))],
                like=updated_node,
            )
        return updated_node

    def _file_is_flask(self) -> bool:
        return bool(self.state.facts.relevant)

    def _json_response(self) -> str:
        self.state.use_compat_name(self.context, "JSONResponse")
        return "JSONResponse"

    def _jsonify_content(self, call: cst.Call) -> cst.BaseExpression | None:
        """What `jsonify(...)` serialises: its one argument, a dict of keywords, or a list."""
        positional = [a for a in call.args if a.keyword is None and not a.star]
        named = [a for a in call.args if a.keyword is not None or a.star == "**"]
        if any(a.star == "*" for a in call.args) or (positional and named):
            return None
        if not call.args:
            return cst.Dict([])
        if len(positional) == 1:
            return positional[0].value
        if positional:
            return cst.List([cst.Element(a.value) for a in positional])
        elements: list[cst.BaseDictElement] = []
        for argument in named:
            if argument.keyword is not None:
                elements.append(
                    cst.DictElement(
                        nodes.string(argument.keyword.value),
                        argument.value,
                        whitespace_before_colon=cst.SimpleWhitespace(""),
                    )
                )
            else:
                elements.append(cst.StarredDictElement(argument.value))
        return nodes.dict_like(elements, call)

    def _jsonify(self, call: cst.Call) -> cst.BaseExpression:
        content = self._jsonify_content(call)
        if content is None:
            return call
        self.state.applied_rule(Rule.JSONIFY)
        if isinstance(content, cst.Dict) and nodes.is_multiline(call):
            return call.with_changes(
                func=cst.Name(self._json_response()),
                args=[cst.Arg(content, whitespace_after_arg=nodes.newline(""))],
            )
        return nodes.call(self._json_response(), [nodes.posarg(content)], like=call)

    def _response(self, original: cst.Call, call: cst.Call) -> cst.BaseExpression:
        """werkzeug `Response(body, status, headers, mimetype, content_type)`."""
        body = nodes.arg_value(call, 0, "response")
        status = nodes.arg_value(call, 1, "status")
        headers = nodes.arg_value(call, 2, "headers")
        mimetype = nodes.arg_value(call, 3, "mimetype") or nodes.arg_value(call, 4, "content_type")
        known = {"response", "status", "headers", "mimetype", "content_type"}
        if any(k not in known for k in nodes.keyword_names(call)) or nodes.has_star_args(call):
            return call
        streaming = body is not None and self._is_stream(original, body)
        args: list[cst.Arg] = []
        if body is not None:
            args.append(nodes.posarg(body))
        if status is not None:
            args.append(nodes.kwarg("status_code", status))
        if headers is not None:
            args.append(nodes.kwarg("headers", _header_mapping(headers)))
        args.append(nodes.kwarg("media_type", mimetype or nodes.string("text/html")))
        self.state.applied_rule(Rule.RESPONSE)
        if streaming:
            self.state.add_import(self.context, "fastapi.responses", "StreamingResponse")
            return nodes.call("StreamingResponse", args, like=call)
        self.state.add_import(self.context, "fastapi", "Response")
        if body is not None:
            args[0] = nodes.kwarg("content", body)
        return nodes.call("Response", args, like=call)

    def _is_stream(self, original: cst.Call, body: cst.BaseExpression) -> bool:
        value = nodes.arg_value(original, 0, "response")
        if isinstance(value, cst.GeneratorExp):
            return True
        if isinstance(value, cst.Call):
            if self.state.flask_name(value.func) == "stream_with_context":
                return True
            target = nodes.dotted(value.func)
            return target is not None and target.rpartition(".")[2] in self.generators
        return False

    def _make_response(self, original: cst.Call, call: cst.Call) -> cst.BaseExpression:
        positional = [a for a in call.args if a.keyword is None and not a.star]
        if len(positional) != len(call.args) or not positional:
            return self._compat_make_response(call)
        body_original = next(a for a in original.args if a.keyword is None).value
        built = self._response_for(body_original, positional[0].value, positional[1:], call)
        return built if built is not None else self._compat_make_response(call)

    def _compat_make_response(self, call: cst.Call) -> cst.BaseExpression:
        self.state.use_compat_name(self.context, "make_response")
        self.state.applied_rule(Rule.RESPONSE)
        return call.with_changes(func=cst.Name("make_response"))

    def _redirect(self, call: cst.Call) -> cst.BaseExpression:
        location = nodes.arg_value(call, 0, "location")
        code = nodes.arg_value(call, 1, "code") or cst.Integer("302")
        if location is None:
            return call
        self.state.add_import(self.context, "fastapi.responses", "RedirectResponse")
        self.state.applied_rule(Rule.REDIRECT)
        return nodes.call(
            "RedirectResponse",
            [nodes.posarg(location), nodes.kwarg("status_code", code)],
            like=call,
        )

    # view returns ---------------------------------------------------------------------

    def visit_Assign(self, node: cst.Assign) -> None:
        """Remember the view's variables holding a response (`resp = make_response(...)`)."""
        view = self.state.in_view_body()
        if (
            view is None
            or len(node.targets) != 1
            or not isinstance(node.targets[0].target, cst.Name)
        ):
            return
        if (
            isinstance(node.value, cst.Call)
            and self.state.flask_name(node.value.func) in RESPONSE_MAKERS
        ):
            view.response_names.add(node.targets[0].target.value)

    def leave_Return(self, original_node: cst.Return, updated_node: cst.Return) -> cst.Return:
        view = self.state.in_view_body()
        if view is None or updated_node.value is None or not self.state.enabled(Rule.RETURNS):
            return updated_node
        if view.keep_returns:
            return updated_node
        assert original_node.value is not None
        value = self._view_return(view, original_node.value, updated_node.value)
        return updated_node.with_changes(value=value)

    def _view_return(
        self, view: FunctionInfo, original: cst.BaseExpression, value: cst.BaseExpression
    ) -> cst.BaseExpression:
        if (
            isinstance(value, cst.Tuple)
            and isinstance(original, cst.Tuple)
            and 2 <= len(value.elements) <= 3
        ):
            body, *rest = [e.value for e in value.elements]
            built = self._response_for(
                original.elements[0].value, body, [cst.Arg(v) for v in rest], None
            )
            if built is not None:
                self.state.applied_rule(Rule.RETURNS)
                return built
            return self._runtime_return(view, value)
        kind = self._kind(original, value)
        if kind in ("response", "json-literal"):
            return value
        if kind == "html":
            self.state.add_import(self.context, "fastapi.responses", "HTMLResponse")
            self.state.applied_rule(Rule.RETURNS)
            return nodes.call("HTMLResponse", [nodes.posarg(value)])
        if kind == "none":
            return value
        return self._runtime_return(view, value)

    def _runtime_return(self, view: FunctionInfo, value: cst.BaseExpression) -> cst.BaseExpression:
        self.state.use_compat_name(self.context, "make_response")
        self.state.applied_rule(Rule.RETURNS)
        note = "return value converted at run time by flask_compat.make_response"
        if note not in view.notes:
            view.notes.append(note)
        return nodes.call("make_response", [nodes.posarg(value)])

    def _kind(self, original: cst.BaseExpression, value: cst.BaseExpression) -> str:
        """What a returned expression is: response, json-literal, html, none or unknown."""
        if isinstance(original, TEXT_TYPES):
            return "html"
        if isinstance(original, cst.Dict | cst.List | cst.DictComp | cst.ListComp):
            return "json-literal"
        if isinstance(original, cst.Name) and original.value == "None":
            return "none"
        if isinstance(original, cst.Call):
            name = self.state.flask_name(original.func)
            if name in (
                "jsonify",
                "Response",
                "make_response",
                "redirect",
                "send_file",
                "send_from_directory",
                "render_template",
            ):
                rendered = isinstance(value, cst.Call) and nodes.dotted(value.func) == (
                    "templates.TemplateResponse"  # migrator/transforms/templates.py
                )
                return "html" if name == "render_template" and not rendered else "response"
            if isinstance(original.func, cst.Name) and original.func.value == "str":
                return "html"
            func = original.func
            text_method = isinstance(func, cst.Attribute) and func.attr.value in ("format", "join")
            if (
                text_method
                and isinstance(func, cst.Attribute)
                and isinstance(func.value, TEXT_TYPES)
            ):
                return "html"
        if isinstance(value, cst.Call) and nodes.dotted(value.func) in (
            "templates.TemplateResponse",
            "JSONResponse",
            "HTMLResponse",
            "Response",
            "StreamingResponse",
            "RedirectResponse",
            "FileResponse",
        ):
            return "response"
        if isinstance(original, cst.BinaryOperation) and isinstance(original.left, TEXT_TYPES):
            return "html"
        view = self.state.view
        if isinstance(original, cst.Name) and view is not None:
            if view.path_params.get(original.value) == "str":
                return "html"
            if original.value in view.response_names:
                return "response"
        return "unknown"

    def _response_for(
        self,
        body_original: cst.BaseExpression,
        body: cst.BaseExpression,
        rest: list[cst.Arg],
        like: cst.Call | None,
    ) -> cst.BaseExpression | None:
        """`(body, status[, headers])` with a body of known kind → one response constructor."""
        status: cst.BaseExpression | None = None
        headers: cst.BaseExpression | None = None
        if len(rest) == 2:
            status, headers = rest[0].value, rest[1].value
        elif len(rest) == 1:
            if isinstance(rest[0].value, cst.Dict | cst.List):
                headers = rest[0].value
            elif isinstance(rest[0].value, cst.Integer | cst.Attribute | cst.Name):
                status = rest[0].value
            else:
                return None
        extra: list[cst.Arg] = []
        if status is not None:
            extra.append(nodes.kwarg("status_code", status))
        if headers is not None:
            extra.append(nodes.kwarg("headers", _header_mapping(headers)))
        kind = self._kind(body_original, body)
        if (
            isinstance(body_original, cst.SimpleString)
            and nodes.literal_str(body_original) == ""
            and status is not None
        ):
            self.state.add_import(self.context, "fastapi", "Response")
            return nodes.call("Response", extra, like=like)
        if (
            isinstance(body_original, cst.Call)
            and self.state.flask_name(body_original.func) == "jsonify"
        ):
            assert isinstance(body, cst.Call)
            return body.with_changes(args=[*body.args, *extra]) if extra else body
        if kind == "json-literal":
            return nodes.call(self._json_response(), [nodes.posarg(body), *extra], like=like)
        if kind == "html":
            self.state.add_import(self.context, "fastapi.responses", "HTMLResponse")
            return nodes.call("HTMLResponse", [nodes.posarg(body), *extra], like=like)
        if kind == "response" and not extra:
            return body
        return None

    # annotations of views -------------------------------------------------------------

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        info = self.state.function
        if info is None or not info.is_view or updated_node.returns is None:
            return updated_node
        annotation = nodes.code(updated_node.returns.annotation)
        mentions_response = any(
            self.state.flask_name(n) == "Response" for n in _names(original_node.returns)
        )
        if mentions_response or "tuple[" in annotation or "Tuple[" in annotation:
            self.state.add_import(self.context, "fastapi", "Response")
            return updated_node.with_changes(returns=cst.Annotation(cst.Name("Response")))
        return updated_node


def _names(node: cst.CSTNode | None) -> list[cst.CSTNode]:
    found: list[cst.CSTNode] = []
    if node is None:
        return found

    class Collect(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.append(name)

        def visit_Attribute(self, attribute: cst.Attribute) -> None:
            found.append(attribute)

    node.visit(Collect())
    return found


def _header_mapping(headers: cst.BaseExpression) -> cst.BaseExpression:
    """Starlette wants a mapping; Flask also took a list of (name, value) pairs."""
    if isinstance(headers, cst.List):
        return nodes.call("dict", [nodes.posarg(headers)])
    return headers


def _generator_functions(module: cst.Module) -> set[str]:
    """Names of functions (at any depth) whose body yields: their calls make a stream."""
    names: set[str] = set()

    class Find(cst.CSTVisitor):
        def __init__(self) -> None:
            self.stack: list[tuple[str, bool]] = []

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.stack.append((node.name.value, False))

        def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
            name, yields = self.stack.pop()
            if yields:
                names.add(name)

        def visit_Yield(self, node: cst.Yield) -> None:
            if self.stack:
                self.stack[-1] = (self.stack[-1][0], True)

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

    module.visit(Find())
    return names
