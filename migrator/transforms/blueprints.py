"""Blueprints: `Blueprint(...)` → `APIRouter(...)`, `register_blueprint` → `include_router`.

The router keeps the blueprint's variable name, so imports across modules keep working. In
Flask the `url_prefix` given to `register_blueprint` replaces the blueprint's own; the
gathering pass knows every registration, so a blueprint registered once (the usual case)
gets its effective prefix on the `APIRouter`, and `include_router` needs none. A
blueprint's folders are registered with the support module right after it:
`template_folder=` (searched after the app's) and `static_folder=` (served under the
blueprint's prefix once it is included).
"""

from __future__ import annotations

import libcst as cst

from migrator.project import normalise_prefix
from migrator.rules import Rule
from migrator.transforms import nodes
from migrator.transforms.base import Concern

# Blueprint(...) positional parameters after name and import_name, as Flask orders them.
FOLDER_POSITIONS = {"static_folder": 2, "static_url_path": 3, "template_folder": 4}
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

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        """`bp = Blueprint(..., template_folder=, static_folder=)` → the router, then each
        folder registered with the support module."""
        statement = original_node.body[0] if len(original_node.body) == 1 else None
        if not isinstance(statement, cst.Assign) or not isinstance(statement.value, cst.Call):
            return updated_node
        call = statement.value
        if self.state.flask_name(call.func) != "Blueprint" or len(statement.targets) != 1:
            return updated_node
        folders = self._registered_folders(call)
        if not folders:
            return updated_node
        import_name = nodes.arg_value(call, 1, "import_name") or cst.Name("__name__")
        registrations: list[cst.Call] = []
        if "template_folder" in folders:
            self.state.applied_rule(Rule.TEMPLATES)
            folder = folders["template_folder"]
            args = [nodes.posarg(import_name), nodes.posarg(folder)]
            module = self.state.use_compat_module(self.context, "template_folder")
            registrations.append(nodes.call(f"{module}.template_folder", args))
        if "static_folder" in folders:
            name = nodes.arg_value(call, 0, "name") or nodes.string("")
            target = statement.targets[0].target
            args = [nodes.posarg(target), nodes.posarg(name), nodes.posarg(import_name)]
            args.append(nodes.posarg(folders["static_folder"]))
            if "static_url_path" in folders:
                args.append(nodes.kwarg("static_url_path", folders["static_url_path"]))
            module = self.state.use_compat_module(self.context, "static_folder")
            registrations.append(nodes.call(f"{module}.static_folder", args))
        lines = [cst.SimpleStatementLine([cst.Expr(call)]) for call in registrations]
        return cst.FlattenSentinel([updated_node, *lines])

    def _registered_folders(self, call: cst.Call) -> dict[str, cst.BaseExpression]:
        """The Blueprint folder options the support module takes over, by option name."""
        found: dict[str, cst.BaseExpression] = {}
        for option, position in FOLDER_POSITIONS.items():
            value = nodes.arg_value(call, position, option)
            if value is not None and not (isinstance(value, cst.Name) and value.value == "None"):
                found[option] = value
        if not self.state.enabled(Rule.TEMPLATES):
            found.pop("template_folder", None)
        if not self.state.enabled(Rule.BLUEPRINT):
            found.pop("static_folder", None)
        if "static_folder" not in found:
            found.pop("static_url_path", None)
        return found

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
            if keyword in self._registered_folders(call):
                continue  # registered with the support module (leave_SimpleStatementLine)
            if keyword in DROPPED_BLUEPRINT_OPTIONS:
                self.state.notes.append(
                    f"Blueprint option {keyword}= dropped (no APIRouter equivalent)"
                )
        self.state.add_import(self.context, "fastapi", "APIRouter")
        self.state.applied_rule(Rule.BLUEPRINT)
        return nodes.call("APIRouter", args, like=call)
