"""Blueprints: `Blueprint(...)` → `APIRouter(...)`, `register_blueprint` → `include_router`.

The router keeps the blueprint's variable name, so imports across modules keep working. In
Flask the `url_prefix` given to `register_blueprint` replaces the blueprint's own; the
gathering pass knows every registration, so a blueprint registered once (the usual case)
gets its effective prefix on the `APIRouter`, and `include_router` needs none.
"""

from __future__ import annotations

import libcst as cst

from migrator.project import normalise_prefix
from migrator.rules import Rule
from migrator.transforms import nodes
from migrator.transforms.base import Concern

DROPPED_BLUEPRINT_OPTIONS = {
    "static_folder",
    "static_url_path",
    "template_folder",
    "subdomain",
    "url_defaults",
    "root_path",
    "cli_group",
}


class BlueprintConcern(Concern):
    """Blueprint construction and registration."""

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        value = original_node.value
        if not isinstance(value, cst.Call) or self.state.flask_name(value.func) != "Blueprint":
            return updated_node
        if not self.state.enabled(Rule.BLUEPRINT) or len(original_node.targets) != 1:
            return updated_node
        symbol = self.state.symbol_of(original_node.targets[0].target)
        if not isinstance(updated_node.value, cst.Call):
            return updated_node
        return updated_node.with_changes(value=self._router(updated_node.value, symbol))

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if self.state.flask_name(func) == "Blueprint" and self.state.enabled(Rule.BLUEPRINT):
            return updated_node  # converted in leave_Assign, where the target is known
        if not isinstance(func, cst.Attribute) or func.attr.value != "register_blueprint":
            return updated_node
        parent = self.state.flask_object(func.value)
        if parent is None or not self.state.enabled(Rule.REGISTER) or not original_node.args:
            return updated_node
        child = self.state.flask_object(original_node.args[0].value)
        if not isinstance(updated_node.func, cst.Attribute):
            return updated_node
        router = nodes.arg_value(updated_node, 0, "blueprint")
        if router is None:
            return updated_node
        args = [nodes.posarg(router)]
        prefix = nodes.arg_value(updated_node, None, "url_prefix")
        if child is not None:
            _, per_registration = self.state.facts.router_prefix(child.symbol)
            function = self.state.function
            scope = function.qualname if function is not None else ""
            registration = self.state.facts.find_registration(
                self.state.file.module, scope, parent.symbol, child.symbol
            )
            if per_registration and registration is not None:
                literal = self.state.facts.include_prefix(registration)
                if registration.prefix_is_literal:
                    prefix = nodes.string(literal) if literal else None
            elif registration is not None:
                prefix = None
        if prefix is not None and nodes.literal_str(prefix) is not None:
            literal = normalise_prefix(nodes.literal_str(prefix))
            prefix = nodes.string(literal) if literal else None
        if prefix is not None:
            args.append(nodes.kwarg("prefix", prefix))
        for keyword in nodes.keyword_names(updated_node):
            if keyword not in ("url_prefix", "blueprint"):
                self.state.notes.append(f"register_blueprint option {keyword}= dropped")
        self.state.applied_rule(Rule.REGISTER)
        return nodes.call(
            updated_node.func.with_changes(attr=cst.Name("include_router")), args, like=updated_node
        )

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        """`Blueprint` used as a type → `APIRouter`."""
        if self.state.in_import or not self.state.enabled(Rule.BLUEPRINT):
            return updated_node
        if self.state.flask_name(original_node) == "Blueprint":
            self.state.add_import(self.context, "fastapi", "APIRouter")
            return cst.Name("APIRouter")
        return updated_node

    def _router(self, call: cst.Call, symbol: str | None) -> cst.Call:
        name = nodes.arg_value(call, 0, "name")
        facts = self.state.facts
        prefix_node: cst.BaseExpression | None = nodes.arg_value(call, None, "url_prefix")
        obj = facts.objects.get(symbol) if symbol else None
        if obj is not None and obj.prefix_is_literal:
            prefix, _ = facts.router_prefix(obj.symbol)
            prefix_node = nodes.string(prefix) if prefix else None
        elif prefix_node is not None and nodes.literal_str(prefix_node) is not None:
            literal = normalise_prefix(nodes.literal_str(prefix_node))
            prefix_node = nodes.string(literal) if literal else None
        args: list[cst.Arg] = []
        if prefix_node is not None:
            args.append(nodes.kwarg("prefix", prefix_node))
        if name is not None:
            args.append(nodes.kwarg("tags", cst.List([cst.Element(name)])))
        for keyword in nodes.keyword_names(call):
            if keyword == "template_folder" and self.state.enabled(Rule.TEMPLATES):
                continue  # registered with the support module (transforms/templates.py)
            if keyword in DROPPED_BLUEPRINT_OPTIONS:
                self.state.notes.append(
                    f"Blueprint option {keyword}= dropped (no APIRouter equivalent)"
                )
        self.state.add_import(self.context, "fastapi", "APIRouter")
        self.state.applied_rule(Rule.BLUEPRINT)
        return nodes.call("APIRouter", args, like=call)
