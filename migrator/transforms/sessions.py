"""`session` in views → `request.session` (Starlette's `SessionMiddleware`, keyed by the
app's `SECRET_KEY` through the support module's `FlaskSessionMiddleware`).

`session["user"]`, `session.get(...)`, `"x" in session` inside a view read the request's
session dict directly. Flask-only attributes (`session.permanent = True`, `.modified`) and
every use outside a view keep the support module's `session` proxy, as do `flash` and
`get_flashed_messages` (they store the messages in the session, as Flask did). Cookies that
Flask signed are not read by the new service: users sign in again (said in the report).
"""

from __future__ import annotations

import libcst as cst

from migrator.rules import Rule
from migrator.transforms import nodes
from migrator.transforms.base import Concern

FLASK_ONLY_ATTRIBUTES = {"permanent", "modified", "new", "accessed"}
SESSION_NOTE = (
    "session: Starlette's SessionMiddleware signs the cookie differently, so sessions made "
    "by the Flask service are not read (users sign in again)"
)


class SessionConcern(Concern):
    """`session` read in a view's body → `request.session`."""

    def reset(self) -> None:
        self.kept: set[int] = set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in FLASK_ONLY_ATTRIBUTES and isinstance(node.value, cst.Name):
            self.kept.add(id(node.value))

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        state = self.state
        if state.in_import or state.flask_name(original_node) != "session":
            return updated_node
        if not state.enabled(Rule.SESSION):
            return updated_node
        if SESSION_NOTE not in state.notes:
            state.notes.append(SESSION_NOTE)
        view = state.view
        if view is None or id(original_node) in self.kept:
            return updated_node
        view.needs_request = True
        params = {p.name.value for p in [*view.node.params.params, *view.node.params.kwonly_params]}
        request_name = "request" if "request" not in params else "http_request"
        state.applied_rule(Rule.SESSION)
        return nodes.expr(f"{request_name}.session")
