"""What the post-passes share: they edit the converted text after every file is done.

`--spec` models, inferred body models and the fallback mount need the whole run's routes,
so they run on the results of the per-file rewrite, each parsing only the files it edits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor

if TYPE_CHECKING:
    from migrator.codemod import FileResult, MigrationResult

# (relpath of the file, the app's name, the enclosing top-level function) → the statement
MakeCode = Callable[[str, str, "cst.FunctionDef | None"], str]


def add_after_install(
    result: MigrationResult,
    module: str,
    make: MakeCode,
    marker: str,
) -> list[str]:
    """Insert a statement after each `<compat>.install(app, ...)` (module level or a top-level
    function) and import `module`; `marker` (`name.func`) says it is already there. `make`
    gives the statement's code. Returns the relpaths of the files holding an install call."""
    facts = result.facts
    compat_name = facts.compat_module.rpartition(".")[2]
    root = facts.src.resolve().parent
    modules = {file.relpath: file.module for file in facts.files}
    found: list[str] = []
    for file in result.files:
        if file.relpath not in modules:
            continue
        text = file.new
        if text is None:
            path = root / file.relpath
            if not path.exists():
                continue
            text = path.read_text(errors="replace")
        if f"{compat_name}.install(" not in text:
            continue
        adder = _AfterInstall(compat_name, file.relpath, make, marker)
        new_tree = cst.parse_module(text).visit(adder)
        if adder.found:
            found.append(file.relpath)
        if not adder.added:
            continue
        context = CodemodContext(full_module_name=modules[file.relpath])
        package, _, name = module.rpartition(".")
        if package:
            AddImportsVisitor.add_needed_import(context, package, name)
        else:
            AddImportsVisitor.add_needed_import(context, name)
        replace_text(result, file, AddImportsVisitor(context).transform_module(new_tree).code)
    return found


def replace_text(result: MigrationResult, file: FileResult, new: str) -> None:
    """A post-pass rewrote `file`: record it (an unchanged file becomes converted)."""
    if file.status != "converted":
        path = result.facts.src.resolve().parent / file.relpath
        file.old = path.read_text(errors="replace")
        file.status = "converted"
    file.new = new


def add_generated(
    result: MigrationResult, relpath: str, text: str, note: str, *, regenerate: bool
) -> None:
    """A generated module of the output: new, unchanged, regenerated (`regenerate`), or —
    when the team edited it — kept as is."""
    from migrator.codemod import FileResult

    existing = result.facts.src.resolve().parent / relpath
    old = existing.read_text(errors="replace") if existing.exists() else ""
    result.files = [f for f in result.files if f.relpath != relpath]
    if old == text:
        result.files.append(FileResult(relpath, "unchanged"))
    elif old and not regenerate:  # edited by the team: theirs
        result.files.append(
            FileResult(
                relpath,
                "unchanged",
                notes=[f"{relpath} exists and differs: kept as is (delete it to regenerate)"],
            )
        )
    else:
        result.files.append(FileResult(relpath, "converted", old=old, new=text, notes=[note]))
    result.files.sort(key=lambda f: f.relpath)


def with_keyword(call: cst.Call, keyword: str, value: cst.BaseExpression) -> cst.Call:
    """`call` with `keyword=value` appended (no spaces around `=`, as in a signature)."""
    args = list(call.args)
    if args:
        args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    equal = cst.AssignEqual(
        whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
    )
    return call.with_changes(args=[*args, cst.Arg(value, keyword=cst.Name(keyword), equal=equal)])


class _AfterInstall(cst.CSTTransformer):
    """Insert a statement after an install call at module level or in a top-level def."""

    def __init__(self, compat_name: str, relpath: str, make: MakeCode, marker: str) -> None:
        self.compat_name = compat_name
        self.relpath = relpath
        self.make = make
        self.marker = marker
        self.depth = 0
        self.function: cst.FunctionDef | None = None
        self.found = False
        self.added = False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.depth += 1
        if self.depth == 1:
            self.function = node
        return self.depth == 1

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.depth -= 1
        if self.depth == 0:
            self.function = None
        return updated_node

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        if self.depth != 1 or self.function is None:
            return updated_node
        return updated_node.with_changes(body=self._insert(updated_node.body, self.function))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        return updated_node.with_changes(body=self._insert(updated_node.body, None))

    def _insert(
        self, body: Sequence[cst.BaseStatement], function: cst.FunctionDef | None
    ) -> list[cst.BaseStatement]:
        statements = list(body)
        out: list[cst.BaseStatement] = []
        for index, statement in enumerate(statements):
            out.append(statement)
            app = self._installed_app(statement)
            if app is None:
                continue
            self.found = True
            following = statements[index + 1 : index + 4]
            if any(_calls(s, self.marker) for s in following):
                continue
            out.append(cst.parse_statement(self.make(self.relpath, app, function)))
            self.added = True
        return out

    def _installed_app(self, statement: cst.BaseStatement) -> str | None:
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return None
        expr = statement.body[0]
        if not isinstance(expr, cst.Expr) or not isinstance(expr.value, cst.Call):
            return None
        call = expr.value
        func = call.func
        if not (
            isinstance(func, cst.Attribute)
            and func.attr.value == "install"
            and isinstance(func.value, cst.Name)
            and func.value.value == self.compat_name
            and call.args
            and isinstance(call.args[0].value, cst.Name)
        ):
            return None
        app = call.args[0].value
        assert isinstance(app, cst.Name)
        return app.value


def _calls(statement: cst.BaseStatement, marker: str) -> bool:
    """Whether `statement` is the call `marker` (`name.func(...)`)."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    expr = statement.body[0]
    if not isinstance(expr, cst.Expr) or not isinstance(expr.value, cst.Call):
        return False
    func = expr.value.func
    name, _, attr = marker.partition(".")
    return (
        isinstance(func, cst.Attribute)
        and isinstance(func.value, cst.Name)
        and func.value.value == name
        and func.attr.value == attr
    )
