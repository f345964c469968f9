"""Errors: `abort()`, raised werkzeug exceptions, and `errorhandler` registrations.

`abort(404, "msg")` as a statement becomes `raise HTTPException(status_code=404,
detail="msg")`; used inside an expression it stays `abort(...)`, imported from the support
module. Error handlers are registered with `flask_compat.errorhandler`, which dispatches the
way Flask did (status code first, then exception class, blueprint before app) and gives the
handler an exception with werkzeug's attributes, so handler bodies keep working unchanged.
"""

from __future__ import annotations

import libcst as cst

from migrator.rules import Rule
from migrator.transforms import nodes
from migrator.transforms.base import WERKZEUG_ERRORS, Concern

HANDLER_METHODS = {
    "errorhandler": False,
    "app_errorhandler": True,
    "register_error_handler": False,
}


class ErrorConcern(Concern):
    """abort/raise → HTTPException; errorhandler → flask_compat.errorhandler."""

    def leave_Expr(self, original_node: cst.Expr, updated_node: cst.Expr) -> cst.BaseSmallStatement:
        call = original_node.value
        if not isinstance(call, cst.Call) or self.state.flask_name(call.func) != "abort":
            return updated_node
        if not self.state.enabled(Rule.ABORT):
            return updated_node
        updated_call = updated_node.value
        if not isinstance(updated_call, cst.Call):
            return updated_node
        exception = self._http_exception(updated_call, position_code=0, position_detail=1)
        if exception is None:
            return updated_node
        return cst.Raise(exc=exception)

    def leave_Raise(self, original_node: cst.Raise, updated_node: cst.Raise) -> cst.Raise:
        exc = original_node.exc
        if exc is None or not self.state.enabled(Rule.ABORT):
            return updated_node
        target = exc.func if isinstance(exc, cst.Call) else exc
        name = self.state.flask_name(target)
        if name is None or not name.startswith("werkzeug:"):
            return updated_node
        code = WERKZEUG_ERRORS[name.partition(":")[2]]
        detail = nodes.arg_value(exc, 0, "description") if isinstance(exc, cst.Call) else None
        args = [nodes.kwarg("status_code", cst.Integer(str(code)))]
        if detail is not None:
            assert isinstance(updated_node.exc, cst.Call)
            detail = nodes.arg_value(updated_node.exc, 0, "description")
            assert detail is not None
            args.append(nodes.kwarg("detail", detail))
        self.state.add_import(self.context, "fastapi", "HTTPException")
        self.state.applied_rule(Rule.ABORT)
        return updated_node.with_changes(exc=nodes.call("HTTPException", args))

    def _http_exception(
        self, call: cst.Call, position_code: int, position_detail: int
    ) -> cst.BaseExpression | None:
        code = nodes.arg_value(call, position_code, "code")
        if code is None or isinstance(code, cst.Call) or nodes.has_star_args(call):
            return None
        if any(k not in ("code", "description") for k in nodes.keyword_names(call)):
            return None
        detail = nodes.arg_value(call, position_detail, "description")
        args = [nodes.kwarg("status_code", code)]
        if detail is not None:
            args.append(nodes.kwarg("detail", detail))
        self.state.add_import(self.context, "fastapi", "HTTPException")
        self.state.applied_rule(Rule.ABORT)
        return nodes.call("HTTPException", args, like=call)

    # errorhandler ---------------------------------------------------------------------

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if not isinstance(func, cst.Attribute) or not self.state.enabled(Rule.ERROR_HANDLER):
            return updated_node
        method = func.attr.value
        if method not in HANDLER_METHODS or self.state.flask_object(func.value) is None:
            return updated_node
        if not isinstance(updated_node.func, cst.Attribute):
            return updated_node
        owner = updated_node.func.value
        key = nodes.arg_value(updated_node, 0, "code_or_exception")
        if key is None:
            return updated_node
        registration = self._registration(owner, original_node, key, HANDLER_METHODS[method])
        if method == "register_error_handler":
            handler = nodes.arg_value(updated_node, 1, "f")
            if handler is None:
                return updated_node
            return nodes.call(registration, [nodes.posarg(handler)])
        return registration

    def _registration(
        self, owner: cst.BaseExpression, original: cst.Call, key: cst.BaseExpression, app_wide: bool
    ) -> cst.Call:
        """`flask_compat.errorhandler(owner, key)`, werkzeug classes mapped to their codes."""
        original_key = nodes.arg_value(original, 0, "code_or_exception")
        name = self.state.flask_name(original_key) if original_key is not None else None
        if name is not None and name.startswith("werkzeug:"):
            key = cst.Integer(str(WERKZEUG_ERRORS[name.partition(":")[2]]))
        module = self.state.use_compat_module(self.context, "errorhandler")
        args = [nodes.posarg(owner), nodes.posarg(key)]
        if app_wide:
            args.append(nodes.kwarg("app_wide", cst.Name("True")))
        self.state.applied_rule(Rule.ERROR_HANDLER)
        return nodes.call(f"{module}.errorhandler", args)
