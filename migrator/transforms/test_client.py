"""The project's Flask test suite → `TestClient` tests, so the legacy tests run against the
migrated app.

A test file is one under a `test*` folder, named `test_*.py`/`*_test.py`/`conftest.py`, or
importing `flask.testing`. In it:

- `app.test_client()` → `TestClient(app, follow_redirects=False)` (Flask's client did not
  follow redirects unless asked; `follow_redirects=True` on a call still works), and the
  `FlaskClient` annotation → `TestClient`;
- a client is a name bound to one of those, a parameter annotated `FlaskClient`, or a
  parameter named `client`/`*_client` (the usual pytest fixture); on its requests
  `query_string=` → `params=`, `content_type=` → a `Content-Type` header, a text or bytes
  `data=` → `content=`, `data=` of unknown kind → `flask_compat.test_body(...)`
  (form fields, files given as `(stream, name)` tuples, or raw content, as werkzeug
  decided), `client.open(url, method=)` → `client.request(method, url)`;
- a response is a request's result or a name bound to one; `rv.data`/`rv.get_data()` →
  `rv.content`, `get_data(as_text=True)` → `rv.text`, `rv.get_json()`/`rv.json` →
  `rv.json()`, `rv.mimetype`, `rv.content_type`, `rv.is_json`, `rv.location` → header
  reads, `with client.get(...) as rv:` → `rv = client.get(...)` (httpx responses are not
  context managers);
- `client.application` → `flask_compat.flask_app(client.app)` (`.config`, `.extensions`),
  and so does an unannotated `app` fixture parameter's Flask API (`app.config`,
  `app.app_context()`); an app the gathering pass knows is converted by `AppConcern`.

`app.test_request_context(...)` (here and in any file, for an app the gathering pass knows)
→ `flask_compat.test_request_context(app, ...)`. What has no counterpart (`environ_base`)
is left as it was and named in the report (`test_cli_runner()`: `cli.py`);
`client.session_transaction()` → `flask_compat.session_transaction(client)` (the session
in the client's cookie, signed as the migrated app signs it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from migrator.rules import Rule
from migrator.transforms import nodes
from migrator.transforms.base import Concern

VERBS = {"get", "post", "put", "patch", "delete", "head", "options", "open", "trace"}
FLASK_APP_ATTRIBUTES = {
    "config",
    "extensions",
    "app_context",
    "logger",
    "jinja_env",
    "testing",
    "debug",
    "secret_key",
    "instance_path",
    "root_path",
}
NO_BODY_VERBS = {"get", "delete", "head", "options"}
DROPPED = {"buffered", "as_tuple"}
UNSUPPORTED_ARGUMENTS = {"environ_base", "environ_overrides", "base_url", "input_stream"}
UNSUPPORTED_CALLS = {"session_transaction"}  # session_transaction(args); cli.py: test_cli_runner


@dataclass
class _Scope:
    """Names in one function (and the functions around it) holding clients or responses."""

    clients: set[str] = field(default_factory=set)
    responses: set[str] = field(default_factory=set)
    senders: set[str] = field(default_factory=set)  # `send = client.post if ... else ...`
    apps: set[str] = field(default_factory=set)  # unannotated `app` fixture parameters


def is_test_file(relpath: str, text: str | None = None) -> bool:
    """Whether a project file belongs to its test suite."""
    parts = relpath.replace("\\", "/").split("/")
    name = parts[-1]
    if name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py"):
        return True
    if any(part.startswith("test") for part in parts[:-1]):
        return True
    return text is not None and "flask.testing" in text


class TestClientConcern(Concern):
    """Flask test-client calls and response reads → `TestClient` / httpx."""

    __test__ = False  # not a pytest class

    def reset(self) -> None:
        self.scopes: list[_Scope] = []
        self.active = False
        self.called: set[int] = set()  # attributes called as methods (`rv.json()` stays)

    def visit_Call(self, node: cst.Call) -> None:
        if self.active and isinstance(node.func, cst.Attribute):
            self.called.add(id(node.func))

    def visit_Module(self, node: cst.Module) -> None:
        text = None if is_test_file(self.state.file.relpath) else self.state.source
        self.active = self.state.enabled(Rule.TEST_CLIENT) and is_test_file(
            self.state.file.relpath, text
        )
        self.scopes = [_Scope()]
        if self.active:
            self._collect(node.body, self.scopes[0])

    # what names hold ----------------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if not self.active:
            return
        outer = self.scopes[-1]
        scope = _Scope(
            set(outer.clients), set(outer.responses), set(outer.senders), set(outer.apps)
        )
        for param in [*node.params.params, *node.params.kwonly_params]:
            name = param.name.value
            annotated = param.annotation is not None and (
                self.state.flask_name(param.annotation.annotation) == "FlaskClient"
            )
            if annotated or name == "client" or name.endswith("_client"):
                scope.clients.add(name)
            else:
                scope.clients.discard(name)
            if param.annotation is None and (name == "app" or name.endswith("_app")):
                scope.apps.add(name)
            else:
                scope.apps.discard(name)
        self._collect(node.body.body, scope)
        self.scopes.append(scope)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if self.active and len(self.scopes) > 1:
            self.scopes.pop()
        return updated_node

    def _collect(self, body: object, scope: _Scope) -> None:
        """Assignments and `with ... as` targets in a body (not in nested functions)."""
        concern = self

        class Bindings(cst.CSTVisitor):
            def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
                return False

            def visit_ClassDef(self, node: cst.ClassDef) -> bool:
                return False

            def visit_Assign(self, node: cst.Assign) -> None:
                for target in node.targets:
                    if isinstance(target.target, cst.Name):
                        concern._bind(target.target.value, node.value, scope)

            def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
                if isinstance(node.target, cst.Name) and node.value is not None:
                    concern._bind(node.target.value, node.value, scope)

            def visit_WithItem(self, node: cst.WithItem) -> None:
                if node.asname is not None and isinstance(node.asname.name, cst.Name):
                    concern._bind(node.asname.name.value, node.item, scope)

        if isinstance(body, list | tuple):
            for statement in body:
                statement.visit(Bindings())

    def _bind(self, name: str, value: cst.BaseExpression, scope: _Scope) -> None:
        if self._is_client(value, scope):
            scope.clients.add(name)
        elif self._is_response(value, scope):
            scope.responses.add(name)
        elif self._is_sender(value, scope):
            scope.senders.add(name)

    def _is_app(self, node: cst.BaseExpression) -> bool:
        """A Flask app the gathering pass knows, or an `app` fixture parameter in a test."""
        obj = self.state.flask_object(node)
        if obj is not None:
            return obj.kind == "app"
        return self.active and isinstance(node, cst.Name) and node.value in self.scopes[-1].apps

    def _is_dynamic_request(self, node: cst.BaseExpression) -> bool:
        """`getattr(client, method)(...)`."""
        if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Call):
            return False
        inner = node.func
        return (
            "builtins.getattr" in self.state.qualified_names(inner.func)
            and len(inner.args) == 2
            and not any(a.keyword or a.star for a in inner.args)
            and self._is_client(inner.args[0].value)
        )

    def _is_sender(self, node: cst.BaseExpression, scope: _Scope) -> bool:
        """A client's request method taken as a value (`client.post`, or one of two)."""
        if isinstance(node, cst.IfExp):
            return self._is_sender(node.body, scope) and self._is_sender(node.orelse, scope)
        return (
            isinstance(node, cst.Attribute)
            and node.attr.value in VERBS - {"open"}
            and self._is_client(node.value, scope)
        )

    def _is_client(self, node: cst.BaseExpression, scope: _Scope | None = None) -> bool:
        scope = scope or self.scopes[-1]
        if isinstance(node, cst.Name):
            return node.value in scope.clients
        if isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value == "test_client":
                return True
            return isinstance(func, cst.Name) and func.value == "TestClient"
        return False

    def _is_request(self, node: cst.BaseExpression, scope: _Scope | None = None) -> bool:
        scope = scope or self.scopes[-1]
        if not isinstance(node, cst.Call):
            return False
        if isinstance(node.func, cst.Name):
            return node.func.value in scope.senders
        return (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value in VERBS
            and self._is_client(node.func.value, scope)
        )

    def _is_response(self, node: cst.BaseExpression, scope: _Scope | None = None) -> bool:
        scope = scope or self.scopes[-1]
        if isinstance(node, cst.Name):
            return node.value in scope.responses
        return self._is_request(node, scope) or self._is_dynamic_request(node)

    # rewrites -------------------------------------------------------------------------------

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if not self.active or self.state.in_import:
            return updated_node
        if self.state.flask_name(original_node) == "FlaskClient":
            self._use_test_client()
            RemoveImportsVisitor.remove_unused_import(self.context, "flask.testing", "FlaskClient")
            return cst.Name("TestClient")
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "test_request_context"
            and isinstance(updated_node.func, cst.Attribute)
            and self.state.enabled(Rule.TEST_CLIENT)
            and self._is_app(func.value)
        ):
            module = self.state.use_compat_module(self.context, "test_request_context")
            self.state.applied_rule(Rule.TEST_CLIENT)
            args = [nodes.posarg(updated_node.func.value), *updated_node.args]
            return nodes.call(f"{module}.test_request_context", args, like=updated_node)
        if not self.active:
            return updated_node
        if isinstance(func, cst.Name) and func.value in self.scopes[-1].senders:
            return self._request(original_node, updated_node)
        if self._is_dynamic_request(original_node) and isinstance(updated_node.func, cst.Call):
            # `getattr(client, method)(...)` → `client.request(method.upper(), ...)`
            client, verb = (a.value for a in updated_node.func.args)
            verb = nodes.string(v.upper()) if (v := nodes.literal_str(verb)) else verb
            if not isinstance(verb, cst.SimpleString):
                verb = nodes.call(cst.Attribute(verb, cst.Name("upper")), [])
            request = nodes.call(cst.Attribute(client, cst.Name("request")), [])
            call = self._request(original_node, updated_node.with_changes(func=request.func))
            assert isinstance(call, cst.Call)
            return call.with_changes(args=[nodes.posarg(verb), *_spaced(call.args)])
        if not isinstance(func, cst.Attribute) or not isinstance(updated_node.func, cst.Attribute):
            return updated_node
        method = func.attr.value
        if method == "test_client":
            return self._test_client(updated_node)
        if (
            method == "session_transaction"
            and self._is_client(func.value)
            and not updated_node.args
        ):
            module = self.state.use_compat_module(self.context, "session_transaction")
            self.state.applied_rule(Rule.TEST_CLIENT)
            owner = updated_node.func.value
            return nodes.call(f"{module}.session_transaction", [nodes.posarg(owner)])
        if method in UNSUPPORTED_CALLS:
            self._note(f"{method}() has no TestClient counterpart: rewrite by hand")
            return updated_node
        if method in VERBS and self._is_client(func.value):
            return self._request(original_node, updated_node)
        if self._is_response(func.value):
            owner = updated_node.func.value
            if method == "get_json":
                self.state.applied_rule(Rule.TEST_CLIENT)
                return nodes.call(cst.Attribute(owner, cst.Name("json")), [])
            if method == "get_data":
                as_text = nodes.arg_value(updated_node, 0, "as_text")
                text = isinstance(as_text, cst.Name) and as_text.value == "True"
                self.state.applied_rule(Rule.TEST_CLIENT)
                return cst.Attribute(owner, cst.Name("text" if text else "content"))
        return updated_node

    def _test_client(self, call: cst.Call) -> cst.BaseExpression:
        assert isinstance(call.func, cst.Attribute)
        if any(a.keyword is None or a.keyword.value != "use_cookies" for a in call.args):
            return call
        self._use_test_client()
        self.state.applied_rule(Rule.TEST_CLIENT)
        args = [nodes.posarg(call.func.value), nodes.kwarg("follow_redirects", cst.Name("False"))]
        return nodes.call("TestClient", args)

    def _request(self, original: cst.Call, call: cst.Call) -> cst.BaseExpression:
        keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        if nodes.has_star_args(call):
            return call
        for keyword in keywords:
            if keyword in UNSUPPORTED_ARGUMENTS:
                self._note(f"test client {keyword}= has no TestClient counterpart")
                return call
        func: cst.BaseExpression = call.func
        method = call.func.attr.value if isinstance(call.func, cst.Attribute) else ""
        args: list[cst.Arg] = []
        if method == "open" and isinstance(call.func, cst.Attribute):
            verb = keywords.get("method") or nodes.string("GET")
            func = call.func.with_changes(attr=cst.Name("request"))
            args.append(nodes.posarg(verb))
        elif (
            method in NO_BODY_VERBS
            and {"json", "data"} & set(keywords)
            and isinstance(call.func, cst.Attribute)
        ):
            # httpx's get/delete/head/options take no body: `request(METHOD, ...)` does
            func = call.func.with_changes(attr=cst.Name("request"))
            args.append(nodes.posarg(nodes.string(method.upper())))
        content_type = keywords.get("content_type") or keywords.get("mimetype")
        for argument in call.args:
            value = argument.value
            if argument.keyword is None:
                args.append(nodes.posarg(value))
                continue
            keyword = argument.keyword.value
            if keyword in DROPPED or (method == "open" and keyword == "method"):
                continue
            elif keyword in ("content_type", "mimetype"):
                if "headers" not in keywords:
                    args.append(nodes.kwarg("headers", _with_content_type(None, value)))
            elif keyword == "headers" and content_type is not None:
                args.append(nodes.kwarg("headers", _with_content_type(value, content_type)))
            elif keyword == "query_string":
                args.append(nodes.kwarg("params", value))
            elif keyword == "data":
                args.append(self._body(value))
            else:
                args.append(argument.with_changes(comma=cst.MaybeSentinel.DEFAULT))
        self.state.applied_rule(Rule.TEST_CLIENT)
        return nodes.call(func, args, like=call)

    def _body(self, data: cst.BaseExpression) -> cst.Arg:
        """werkzeug's `data=`: text or bytes → `content=`, a dict of fields → `data=`, else
        decided at run time (files given as tuples go to `files=`)."""
        if isinstance(data, cst.SimpleString | cst.ConcatenatedString | cst.FormattedString):
            return nodes.kwarg("content", data)
        if isinstance(data, cst.Dict) and not _has_tuple_values(data):
            return nodes.kwarg("data", data)
        module = self.state.use_compat_module(self.context, "test_body")
        helper = nodes.call(f"{module}.test_body", [nodes.posarg(data)])
        return cst.Arg(helper, star="**")

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if not self.active or self.state.in_import:
            return updated_node
        attr = original_node.attr.value
        owner = updated_node.value
        if attr == "application" and self._is_client(original_node.value):
            module = self.state.use_compat_module(self.context, "flask_app")
            self.state.applied_rule(Rule.TEST_CLIENT)
            app = cst.Attribute(owner, cst.Name("app"))
            return nodes.call(f"{module}.flask_app", [nodes.posarg(app)])
        value = original_node.value
        if isinstance(value, cst.Name) and value.value in self.scopes[-1].apps:
            if attr not in FLASK_APP_ATTRIBUTES:
                return updated_node
            # an `app` fixture the gathering pass could not type: Flask's app API
            module = self.state.use_compat_module(self.context, "flask_app")
            self.state.applied_rule(Rule.TEST_CLIENT)
            return updated_node.with_changes(
                value=nodes.call(f"{module}.flask_app", [nodes.posarg(owner)])
            )
        if id(original_node) in self.called or not self._is_response(original_node.value):
            return updated_node
        code = nodes.code(owner)
        content_type = f'{code}.headers.get("content-type", "")'
        replacement = {
            "data": f"{code}.content",
            "json": f"{code}.json()",
            "mimetype": f'{content_type}.partition(";")[0]',
            "content_type": f'{code}.headers.get("content-type")',
            "is_json": f'{content_type}.partition(";")[0].endswith(("/json", "+json"))',
            "location": f'{code}.headers.get("location")',
            "status": f'f"{{{code}.status_code}} {{{code}.reason_phrase}}"',
            "content_length": f'int({code}.headers.get("content-length", 0))',
        }.get(attr)
        if replacement is None:
            return updated_node
        self.state.applied_rule(Rule.TEST_CLIENT)
        return nodes.expr(replacement)

    def leave_With(
        self, original_node: cst.With, updated_node: cst.With
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        """`with client.get(...) as rv:` → `rv = client.get(...)` then the block's body."""
        if not self.active or len(original_node.items) != 1:
            return updated_node
        item = original_node.items[0]
        if not self._is_request(item.item) or item.asname is None:
            return updated_node
        if not isinstance(updated_node.body, cst.IndentedBlock):
            return updated_node
        new_item = updated_node.items[0]
        assert new_item.asname is not None
        assign = cst.SimpleStatementLine(
            [cst.Assign([cst.AssignTarget(new_item.asname.name)], new_item.item)],
            leading_lines=updated_node.leading_lines,
        )
        self.state.applied_rule(Rule.TEST_CLIENT)
        return cst.FlattenSentinel([assign, *updated_node.body.body])

    def _use_test_client(self) -> None:
        AddImportsVisitor.add_needed_import(self.context, "fastapi.testclient", "TestClient")

    def _note(self, note: str) -> None:
        if note not in self.state.notes:
            self.state.notes.append(note)


def _with_content_type(
    headers: cst.BaseExpression | None, content_type: cst.BaseExpression
) -> cst.BaseExpression:
    entry = f'"Content-Type": {nodes.code(content_type)}'
    if headers is None:
        return nodes.expr(f"{{{entry}}}")
    return nodes.expr(f"{{**{nodes.code(headers)}, {entry}}}")


def _spaced(args: Sequence[cst.Arg]) -> list[cst.Arg]:
    """Arguments after a new first one: the last keeps no comma, the others one space."""
    spaced = [
        a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) for a in args
    ]
    if spaced:
        spaced[-1] = spaced[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return spaced


def _has_tuple_values(data: cst.Dict) -> bool:
    return any(
        isinstance(element, cst.StarredDictElement) or isinstance(element.value, cst.Tuple)
        for element in data.elements
    )
