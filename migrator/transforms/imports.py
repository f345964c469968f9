"""Imports of Flask and werkzeug names, scheduled through the codemod context.

A name the support module provides with Flask's signature (`request`, `g`, `abort`,
`send_from_directory`, ...) is imported from it instead; `HTTPException` and `Response`
come from FastAPI; names other concerns rewrite away (`Flask`, `jsonify`, ...) are removed
once unused (`RemoveImportsVisitor`); names not converted yet (`render_template`,
`session`, ...) stay imported from Flask, and the routes using them are `unsupported`.
"""

from __future__ import annotations

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from migrator.rules import Rule
from migrator.transforms import nodes
from migrator.transforms.base import COMPAT_PROVIDED, FLASK_API, WERKZEUG_ERRORS, Concern

MOVED_TO_FASTAPI = {"HTTPException", "Response"}
CONVERTED = {"Flask", "Blueprint", "redirect", "stream_with_context"}
RULE_FOR_MOVE = {
    "jsonify": Rule.JSONIFY,
    "request": Rule.GLOBALS,
    "g": Rule.GLOBALS,
    "current_app": Rule.GLOBALS,
    "abort": Rule.ABORT,
    "make_response": Rule.RESPONSE,
    "send_file": Rule.RESPONSE,
    "send_from_directory": Rule.RESPONSE,
    "secure_filename": Rule.RESPONSE,
    "HTTPException": Rule.ABORT,
    "Response": Rule.RESPONSE,
    "render_template": Rule.TEMPLATES,
    "render_template_string": Rule.TEMPLATES,
    "url_for": Rule.URL_FOR,
    "session": Rule.SESSION,
    "flash": Rule.FLASH,
    "get_flashed_messages": Rule.FLASH,
    "with_appcontext": Rule.CLI,
    "AppGroup": Rule.CLI,
    "FlaskGroup": Rule.CLI,
    "ScriptInfo": Rule.CLI,
}
NOT_CONVERTED = {"session", "render_template", "url_for", "flash", "render_template_string"}


def _module_node(dotted: str) -> cst.Attribute | cst.Name:
    parts = dotted.split(".")
    node: cst.Attribute | cst.Name = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(node, cst.Name(part))
    return node


def _is_flask_module(module: str) -> bool:
    return module.split(".")[0] in ("flask", "werkzeug")


class ImportsConcern(Concern):
    """`from flask import ...` → compat / FastAPI imports; unused ones removed."""

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel:
        if original_node.relative or original_node.module is None:
            return updated_node
        module = nodes.dotted(original_node.module) or ""
        if not _is_flask_module(module) or isinstance(original_node.names, cst.ImportStar):
            return updated_node
        # Each name goes to a module: the support module, FastAPI, or stays with Flask.
        groups: dict[str, list[cst.ImportAlias]] = {}
        for alias in original_node.names:
            name = nodes.dotted(alias.name) or ""
            asname = (
                alias.asname.name.value
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name)
                else None
            )
            short = FLASK_API.get(f"{module}.{name}")
            if module.startswith("werkzeug.exceptions") and name in WERKZEUG_ERRORS:
                short = f"werkzeug:{name}"
            rule = RULE_FOR_MOVE.get(short or "")
            destination = module
            if short in COMPAT_PROVIDED and rule is not None and self.state.enabled(rule):
                destination = self.state.support(short)
            elif short in MOVED_TO_FASTAPI and rule is not None and self.state.enabled(rule):
                destination = "fastapi"
            elif short in CONVERTED or (short or "").startswith("werkzeug:"):
                RemoveImportsVisitor.remove_unused_import(self.context, module, name, asname)
            if destination != module:
                assert short is not None
                RemoveImportsVisitor.remove_unused_import(self.context, destination, short, asname)
                alias = alias.with_changes(name=cst.Name(short))
            groups.setdefault(destination, []).append(alias)
        if list(groups) == [module]:
            return updated_node
        # The statement stays where it is, for the module keeping the most names.
        supports = [group for group in groups if group not in (module, "fastapi")]
        if module in groups:
            in_place = module
        elif supports:  # the core first: it is where most names go
            in_place = self.state.compat if self.state.compat in supports else supports[0]
        else:
            in_place = "fastapi"
        for destination, aliases in groups.items():
            if destination == in_place:
                continue
            for alias in aliases:
                asname = (
                    alias.asname.name.value
                    if alias.asname is not None and isinstance(alias.asname.name, cst.Name)
                    else None
                )
                AddImportsVisitor.add_needed_import(
                    self.context, destination, nodes.dotted(alias.name), asname
                )
        kept = groups[in_place]
        last = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        names = [*kept[:-1], last]
        if isinstance(updated_node.rpar, cst.RightParen) and len(names) > 1:
            first_comma = original_node.names[0].comma
            if isinstance(first_comma, cst.Comma) and isinstance(
                first_comma.whitespace_after, cst.ParenthesizedWhitespace
            ):
                names[-1] = last.with_changes(comma=first_comma)
        if len(names) == 1:
            updated_node = updated_node.with_changes(lpar=None, rpar=None)
            names = [last]
        return updated_node.with_changes(module=_module_node(in_place), names=names)

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import:
        for alias in original_node.names:
            name = nodes.dotted(alias.name) or ""
            if _is_flask_module(name):
                asname = (
                    alias.asname.name.value
                    if alias.asname is not None and isinstance(alias.asname.name, cst.Name)
                    else None
                )
                RemoveImportsVisitor.remove_unused_import(self.context, name, None, asname)
        return updated_node

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        """`flask.request` / `werkzeug.exceptions.HTTPException` used through the module."""
        if self.state.in_import:
            return updated_node
        short = self.state.flask_name(original_node)
        if short is None:
            return updated_node
        self._note_unsupported(short)
        rule = RULE_FOR_MOVE.get(short)
        if rule is None or not self.state.enabled(rule):
            return updated_node
        if short in COMPAT_PROVIDED:
            self.state.use_compat_name(self.context, short)
            return cst.Name(short)
        if short in MOVED_TO_FASTAPI:
            AddImportsVisitor.add_needed_import(self.context, "fastapi", short)
            return cst.Name(short)
        return updated_node

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if not self.state.in_import:
            short = self.state.flask_name(original_node)
            if short is not None:
                self._note_unsupported(short)
        return updated_node

    def visit_Call(self, node: cst.Call) -> None:
        """A view calling a project helper that reads the global request, or that uses what
        is not converted yet (`render_template`...), is marked review / unsupported."""
        view = self.state.view
        if view is None:
            return
        symbol = self.state.symbol_of(node.func)
        if symbol is None or symbol == view.symbol:
            return
        helper = symbol.partition(":")[2]
        for name in self.state.facts.unconverted_users.get(symbol, [])[:1]:
            note = f"calls {helper}, which uses {name} (not converted yet)"
            if note not in view.unsupported:
                view.unsupported.append(note)
        for name in self.state.facts.global_readers.get(symbol, [])[:1]:
            note = f"calls {helper}, which reads the global {name} through flask_compat"
            if note not in view.review:
                view.review.append(note)

    def _note_sync(self, short: str) -> None:
        view = self.state.view
        if view is not None and short in ("send_file", "send_from_directory"):
            reason = f"calls {short} (file system access)"
            if reason not in view.sync_reasons:
                view.sync_reasons.append(reason)

    def _note_unsupported(self, short: str) -> None:
        self._note_sync(short)
        if short not in NOT_CONVERTED or self.state.enabled(RULE_FOR_MOVE[short]):
            return
        note = f"{short} is not converted yet (still imported from Flask)"
        view = self.state.view
        if view is not None:
            if note not in view.unsupported:
                view.unsupported.append(note)
        elif note not in self.state.notes:
            self.state.notes.append(note)
