"""Carry out the imports scheduled in the codemod context, without a scope analysis.

The concerns schedule imports the libcst way, `AddImportsVisitor.add_needed_import(context,
...)` and `RemoveImportsVisitor.remove_unused_import(context, ...)`. libcst's own visitors
then re-resolve scopes and qualified names on the rewritten module, which costs several
times parsing it. Every request scheduled here is a plain top-level name, so one pass
collecting the names the module still uses is enough: that is what this module does, with
the same scratch entries as input. Removed lines keep their comments and blank lines.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, ImportItem, RemoveImportsVisitor

from migrator.transforms import nodes


def _concrete(base: Any) -> frozenset[type[cst.CSTNode]]:
    found = set()
    for value in vars(cst).values():
        if isinstance(value, type) and issubclass(value, base) and not inspect.isabstract(value):
            found.add(value)
    return frozenset(found)


STATEMENT_TYPES = _concrete(cst.BaseStatement)
EXPRESSION_TYPES = _concrete(cst.BaseExpression)


def apply_scheduled_imports(module: cst.Module, context: CodemodContext) -> cst.Module:
    """Add, then remove (if unused), the imports scheduled in `context.scratch`."""
    additions: list[ImportItem] = context.scratch.get(AddImportsVisitor.CONTEXT_KEY, [])
    removals: list[tuple[str, str | None, str | None]] = context.scratch.get(
        RemoveImportsVisitor.CONTEXT_KEY, []
    )
    if additions:
        module = _add(module, additions)
    if removals:
        used = _used_names(module)
        module = module.visit(_RemoveUnused(set(removals), used))
    return module


class LeadingLines:
    """When a statement disappears, its comments and blank lines go to the next statement."""

    def __init__(self) -> None:
        self.depth = 0
        self.carried: tuple[int, list[cst.EmptyLine]] | None = None

    def visit(self, node: cst.CSTNode) -> None:
        if type(node) in STATEMENT_TYPES:
            self.depth += 1

    def leave(self, original: cst.CSTNode, result: Any) -> Any:
        if type(original) not in STATEMENT_TYPES:
            return result
        self.depth -= 1
        if self.carried is not None and self.carried[0] > self.depth:
            self.carried = None  # the removed line ended its block: nothing to carry over
        removed = result is cst.RemovalSentinel.REMOVE or (
            isinstance(result, cst.SimpleStatementLine)
            and not result.body
            and isinstance(original, cst.SimpleStatementLine)
            and original.body
        )
        if removed:
            lines = list(getattr(original, "leading_lines", []))
            if self.carried is not None and self.carried[0] == self.depth:
                lines = [*self.carried[1], *lines]
            if lines:
                self.carried = (self.depth, lines)
            return result
        if self.carried is None or self.carried[0] != self.depth:
            return result
        carried = self.carried[1]
        self.carried = None
        if isinstance(result, cst.FlattenSentinel):
            nodes_ = list(result.nodes)
            if nodes_:
                nodes_[0] = self._prepend(nodes_[0], carried)
            return cst.FlattenSentinel(nodes_)
        return self._prepend(result, carried)

    @staticmethod
    def _prepend(node: Any, carried: list[cst.EmptyLine]) -> Any:
        existing = list(node.leading_lines)
        if existing and existing[0].comment is None:
            carried = [line for line in carried if line.comment is not None]
        return node.with_changes(leading_lines=[*carried, *existing])


# --- adding ---------------------------------------------------------------------------------


def _add(module: cst.Module, items: Sequence[ImportItem]) -> cst.Module:
    body = list(module.body)
    present: set[tuple[str, str | None, str | None]] = set()
    from_index: dict[str, int] = {}
    last_import = -1
    insert_at = 0
    for index, statement in enumerate(body):
        if not isinstance(statement, cst.SimpleStatementLine):
            if last_import >= 0:
                break
            continue
        small = statement.body[0] if len(statement.body) == 1 else None
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString) and index == 0:
            insert_at = 1  # after the module docstring
            continue
        if isinstance(small, cst.Import):
            for alias in small.names:
                present.add((nodes.dotted(alias.name) or "", None, _asname(alias)))
            last_import = index
        elif isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
            name = ("." * len(small.relative)) + (
                nodes.dotted(small.module) or "" if small.module else ""
            )
            for alias in small.names:
                present.add((name, nodes.dotted(alias.name), _asname(alias)))
            if not small.relative and name != "__future__":
                from_index.setdefault(name, index)
            last_import = index
        elif last_import >= 0:
            break
    wanted: dict[str, list[tuple[str | None, str | None]]] = {}
    for item in items:
        key = (item.module, item.obj_name, item.alias)
        if key in present or ((item.module, item.obj_name, None) in present and item.alias is None):
            continue
        present.add(key)
        wanted.setdefault(item.module, []).append((item.obj_name, item.alias))
    new_lines: list[cst.SimpleStatementLine] = []
    for name in sorted(wanted):
        plain = [alias for obj, alias in wanted[name] if obj is None]
        names = sorted(((obj, alias) for obj, alias in wanted[name] if obj is not None), key=str)
        for plain_alias in plain:
            as_name = cst.AsName(cst.Name(plain_alias)) if plain_alias else None
            new_lines.append(
                cst.SimpleStatementLine(
                    [cst.Import([cst.ImportAlias(_module_node(name), as_name)])]
                )
            )
        if not names:
            continue
        aliases = [
            cst.ImportAlias(cst.Name(obj), cst.AsName(cst.Name(alias)) if alias else None)
            for obj, alias in names
            if obj is not None
        ]
        if name in from_index:
            index = from_index[name]
            statement = body[index]
            assert isinstance(statement, cst.SimpleStatementLine)
            existing = statement.body[0]
            assert isinstance(existing, cst.ImportFrom) and not isinstance(
                existing.names, cst.ImportStar
            )
            merged = _comma([*existing.names, *aliases])
            body[index] = statement.with_changes(body=[existing.with_changes(names=merged)])
            continue
        new_lines.append(
            cst.SimpleStatementLine(
                [cst.ImportFrom(module=_module_node(name), names=_comma(aliases))]
            )
        )
    position = last_import + 1 if last_import >= 0 else insert_at
    if new_lines and position < len(body) and last_import < 0:
        new_lines[0] = new_lines[0].with_changes(leading_lines=body[position].leading_lines)
        body[position] = body[position].with_changes(leading_lines=[cst.EmptyLine()])
    body[position:position] = new_lines
    return module.with_changes(body=body)


def _comma(aliases: Sequence[cst.ImportAlias]) -> list[cst.ImportAlias]:
    fixed = [
        alias.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        for alias in aliases[:-1]
    ]
    return [*fixed, aliases[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]


def _module_node(dotted: str) -> cst.Attribute | cst.Name:
    parts = dotted.split(".")
    node: cst.Attribute | cst.Name = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(node, cst.Name(part))
    return node


def _asname(alias: cst.ImportAlias) -> str | None:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return None


# --- removing -------------------------------------------------------------------------------


class _Names(cst.CSTVisitor):
    """Every name the module uses outside its import statements (and in `__all__`)."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.params: list[set[str]] = []  # parameter names of the enclosing functions

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if not any(node.value in names for names in self.params):
            self.used.add(node.value)

    # Names that are not uses: attribute names, keywords, parameters, definitions.
    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False

    def visit_Param(self, node: cst.Param) -> bool:
        for part in (node.annotation, node.default):
            if part is not None:
                part.visit(self)
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        for part in (*node.decorators, node.params, node.returns):
            if part is not None:
                part.visit(self)
        params = node.params
        names = [*params.posonly_params, *params.params, *params.kwonly_params]
        self.params.append({p.name.value for p in names})
        node.body.visit(self)
        self.params.pop()
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        for part in (*node.decorators, *node.bases, *node.keywords, node.body):
            part.visit(self)
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        targets = [t.target for t in node.targets]
        if any(isinstance(t, cst.Name) and t.value == "__all__" for t in targets):
            for value in nodes.literal(node.value, []) or []:
                if isinstance(value, str):
                    self.used.add(value)


def _used_names(module: cst.Module) -> set[str]:
    collector = _Names()
    module.visit(collector)
    return collector.used


class _RemoveUnused(cst.CSTTransformer):
    """Drop scheduled imports whose name the module no longer uses."""

    def __init__(self, removals: set[tuple[str, str | None, str | None]], used: set[str]) -> None:
        super().__init__()
        self.removals = removals
        self.used = used
        self.lines = LeadingLines()

    def on_visit(self, node: cst.CSTNode) -> bool:
        # Imports are statements: no need to walk into expressions.
        if type(node) in EXPRESSION_TYPES:
            return False
        self.lines.visit(node)
        return super().on_visit(node)

    def leave_Import(
        self, original_node: cst.Import, updated_node: cst.Import
    ) -> cst.Import | cst.RemovalSentinel:
        kept = []
        for alias in updated_node.names:
            name = nodes.dotted(alias.name) or ""
            asname = _asname(alias)
            bound = asname or name.split(".")[0]
            if (name, None, asname) in self.removals and bound not in self.used:
                continue
            kept.append(alias)
        if not kept:
            return cst.RemovalSentinel.REMOVE
        return (
            updated_node.with_changes(names=_comma(kept))
            if len(kept) != len(updated_node.names)
            else updated_node
        )

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel:
        if isinstance(updated_node.names, cst.ImportStar) or updated_node.relative:
            return updated_node
        module = nodes.dotted(updated_node.module) if updated_node.module else ""
        kept = []
        for alias in updated_node.names:
            name = nodes.dotted(alias.name) or ""
            asname = _asname(alias)
            if (module, name, asname) in self.removals and (asname or name) not in self.used:
                continue
            kept.append(alias)
        if not kept:
            return cst.RemovalSentinel.REMOVE
        if len(kept) == len(updated_node.names):
            return updated_node
        if len(kept) == 1:
            updated_node = updated_node.with_changes(lpar=None, rpar=None)
        return updated_node.with_changes(names=_comma(kept))

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        result = super().on_leave(original_node, updated_node)
        return self.lines.leave(original_node, result)
