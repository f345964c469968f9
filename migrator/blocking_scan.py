"""One pass over one module's `ast`: the facts the blocking-call checker resolves later.

`scan_module` walks the tree once and keeps, per function (and for the module body), every
call with a *symbolic* callee: what the callee is made of (an import, a global of some
module, an attribute of a local's value, the result of another call...), not yet what it
is. Symbols are resolved by `migrator.blocking` once every module of the project has been
scanned, because a name may come from another module or be bound further down the file.
The tree itself is not kept.

A symbol (`Sym`) is a small tuple whose first item is its kind:

| symbol | means |
|---|---|
| `(EXT, "a.b.c")` | a dotted name reached through imports or a builtin (project or not) |
| `(GLOB, module, "name")` | a module-level name, looked up when the module is complete |
| `(ATTR, sym, "name")` | an attribute of a value |
| `(CALL, sym, class_sym)` | what calling a value returns (`class_sym`: its `class_=` argument) |
| `(ITEM, sym)` | `value[...]` |
| `(INST, type_sym)` | an instance of a type (from an annotation) |
| `(DEP, sym)` | what FastAPI's `Depends(sym)` injects |
| `(FUNC, facts)` / `(CLASS, facts)` | a function or class of the project |
| `(SELF, class)` / `(SUPER, class)` | `self` in a method, `super()` |
| `(DIV, sym)` | `value / ...` (pathlib) |
| `(EITHER, (sym, ...))` | the first of these that resolves (`a or b`, annotation or value) |
| `(UNKNOWN,)` | anything else: a local the checker knows nothing about |

Tuples rather than classes: a module yields one symbol per name, attribute and call, and
this pass must stay well under the cost of `ast.parse` itself.
"""

from __future__ import annotations

import ast
import re
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from migrator.blocking_rules import (
    NONBLOCKING_ARGUMENTS,
    NONBLOCKING_EXCEPTIONS,
    NONBLOCKING_KEYWORDS,
    RUNS_GIVEN_FUNCTION,
)

Sym = tuple[Any, ...]

UNKNOWN, EXT, GLOB, ATTR, CALL, ITEM, INST, DEP, FUNC, CLASS, SELF, SUPER, DIV, EITHER = range(14)
UNKNOWN_SYM: Sym = (UNKNOWN,)

# How a call's result is used: decides whether a coroutine was dropped.
OTHER, AWAITED, STATEMENT, RETURNED, ARGUMENT, ASSIGNED, DROPPED, ITERATED = range(8)

MODULE_QUALNAME = "<module>"

_NOQA = re.compile(
    r"#\s*noqa(?::\s?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE
)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)
_UNUSED_COROUTINE = re.compile(r"#\s*type:\s*ignore\[[^\]]*unused-coroutine")
_UNAWAITED_CODES = frozenset(("BLK901", "BLK902"))
_RUNNER_NAMES = frozenset(name.rpartition(".")[2] for name in RUNS_GIVEN_FUNCTION)
_WRAPPER_TYPES = frozenset(
    ("Annotated", "Optional", "Final", "ClassVar", "Required", "NotRequired", "ReadOnly")
)
_ITERATOR_TYPES = frozenset(
    ("Generator", "Iterator", "Iterable", "AsyncGenerator", "AsyncIterator", "AsyncIterable")
)


@dataclass(slots=True)
class CallSite:
    """One call in a function body.

    `parent` is the call this one is an argument of (-1 if none); `guards` lists the
    (call, argument position) pairs of the lambdas it sits in, so a lambda handed to an
    escape hatch like `asyncio.to_thread` is known to run off the event loop.
    """

    callee: Sym
    line: int
    col: int
    usage: int
    parent: int
    guards: tuple[tuple[int, int | str], ...]
    nonblocking: bool = False  # in `try: ... except BlockingIOError`, or `os.WNOHANG`...
    # Arguments that are the caller's own parameters or nested functions, by position:
    # how a project function is recognised as a wrapper around an escape hatch.
    forwarded: tuple[tuple[int | str, str | FunctionFacts], ...] = ()
    # Functions passed by name to a caller like `map` or `loop.call_soon`, by position.
    passed: tuple[tuple[int | str, Sym], ...] = ()


@dataclass(slots=True, eq=False)
class ClassFacts:
    """A class of the project: its bases, methods and the attributes its instances get."""

    module: ModuleFacts
    qualname: str
    line: int
    bases: list[Sym] = field(default_factory=list)
    methods: dict[str, FunctionFacts] = field(default_factory=dict)
    attributes: dict[str, list[Sym]] = field(default_factory=dict)


@dataclass(slots=True, eq=False)
class FunctionFacts:
    """A function, method, lambda bound to a name, or a module body (`<module>`)."""

    module: ModuleFacts
    qualname: str
    line: int
    col: int
    is_async: bool
    owner: ClassFacts | None = None
    decorators: list[Sym] = field(default_factory=list)
    is_generator: bool = False
    is_property: bool = False
    is_stub: bool = False  # `...`, `pass` or `raise`: a declaration, filled in elsewhere
    parameters: list[str] = field(default_factory=list)
    is_bound: bool = False  # a method whose first parameter is self or cls
    loaded_names: frozenset[str] = frozenset()  # names a nested function reads
    calls: list[CallSite] = field(default_factory=list)
    returns: list[Sym] = field(default_factory=list)
    yields: list[Sym] = field(default_factory=list)
    return_annotation: Sym | None = None
    yield_annotation: Sym | None = None

    @property
    def name(self) -> str:
        """`module.qualname`: how chains and configuration name this function."""
        return f"{self.module.name}.{self.qualname}"


@dataclass(slots=True, eq=False)
class ModuleFacts:
    """What one module defines and does, ready for cross-module resolution."""

    name: str
    path: str
    source: str
    symbols: dict[str, Sym] = field(default_factory=dict)
    star_imports: list[str] = field(default_factory=list)
    functions: list[FunctionFacts] = field(default_factory=list)
    classes: list[ClassFacts] = field(default_factory=list)
    noqa: dict[int, frozenset[str] | None] = field(default_factory=dict)
    _lines: list[str] | None = None

    def line_text(self, line: int) -> str:
        if self._lines is None:
            self._lines = self.source.splitlines()
        return self._lines[line - 1] if 0 < line <= len(self._lines) else ""

    def column(self, line: int, byte_offset: int) -> int:
        """1-based character column of an `ast` byte offset (they differ on non-ASCII lines)."""
        text = self.line_text(line)
        if text.isascii():
            return byte_offset + 1
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", "replace")) + 1

    def silenced(self, line: int, code: str) -> bool:
        """Whether a `# noqa` comment on `line` covers `code`."""
        if line not in self.noqa:
            return False
        codes = self.noqa[line]
        return codes is None or code in codes


@dataclass(frozen=True, slots=True)
class ImportContext:
    """Where a module's imports lead.

    `relative_bases[i]` is the package `from {'.' * (i + 1)}x import y` starts from;
    `siblings` maps the modules next to a script (its folder is on `sys.path`) to their
    names in the project.
    """

    relative_bases: Sequence[str] = ()
    siblings: Mapping[str, str] = field(default_factory=dict)

    def absolute(self, level: int, module: str | None) -> str:
        if level == 0:
            top, dot, rest = (module or "").partition(".")
            sibling = self.siblings.get(top)
            return f"{sibling}{dot}{rest}" if sibling else module or ""
        if level > len(self.relative_bases):
            return "<unresolved>"
        base = self.relative_bases[level - 1]
        if module:
            return f"{base}.{module}" if base else module
        return base


def scan_module(
    tree: ast.Module, name: str, path: str, source: str, imports: ImportContext
) -> ModuleFacts:
    """Facts of one parsed module."""
    module = ModuleFacts(name=name, path=path, source=source, noqa=_noqa_comments(source))
    body = FunctionFacts(module, MODULE_QUALNAME, 1, 0, is_async=False)
    module.functions.append(body)
    scanner = _Scanner(module, body, module.symbols, [], imports)
    scanner.block(tree.body)
    done = [scanner]
    queue = deque(scanner.deferred)  # nested scopes, once the enclosing one is complete
    while queue:
        nested = queue.popleft().scan()
        done.append(nested)
        queue.extend(nested.deferred)
    for finished in done:
        finished.mark_dropped()
    return module


def _noqa_comments(source: str) -> dict[int, frozenset[str] | None]:
    """`# noqa` and `# noqa: CODE,...` by line; mypy's `# type: ignore[unused-coroutine]`
    silences the un-awaited coroutine codes."""
    comments: dict[int, frozenset[str] | None] = {}
    if "noqa" in source or "NOQA" in source:
        for line, match in _matches_by_line(_NOQA, source):
            codes = match.group("codes")
            comments[line] = (
                None if codes is None else frozenset(c.upper() for c in _CODE.findall(codes))
            )
    if "unused-coroutine" in source:
        for line, _ in _matches_by_line(_UNUSED_COROUTINE, source):
            if line not in comments:
                comments[line] = _UNAWAITED_CODES
            elif (codes := comments[line]) is not None:
                comments[line] = codes | _UNAWAITED_CODES
    return comments


def _matches_by_line(pattern: re.Pattern[str], source: str) -> Iterator[tuple[int, re.Match[str]]]:
    line, position = 1, 0
    for match in pattern.finditer(source):
        line += source.count("\n", position, match.start())
        position = match.start()
        yield line, match


@dataclass(slots=True)
class _Deferred:
    """A nested function, scanned once its enclosing scope is complete."""

    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    facts: FunctionFacts
    outer: list[dict[str, Sym]]
    params: list[tuple[str, Sym]]
    imports: ImportContext
    enclosing_loaded: list[set[str]]

    def scan(self) -> _Scanner:
        scanner = _Scanner(
            self.facts.module, self.facts, dict(self.params), self.outer, self.imports
        )
        scanner.enclosing_loaded = self.enclosing_loaded
        if self.params and self.params[0][1][0] == SELF:
            scanner.self_name = self.params[0][0]
        scanner.parameters = {name for name, _ in self.params}
        if isinstance(self.node, ast.Lambda):
            scanner.facts.returns.append(scanner.expr(self.node.body, RETURNED))
        else:
            scanner.block(self.node.body)
        if self.outer:
            self.facts.loaded_names = frozenset(scanner.loaded)
        return scanner


class _Scanner:
    """Walks one scope's statements in order, tracking what local names hold."""

    def __init__(
        self,
        module: ModuleFacts,
        facts: FunctionFacts,
        env: dict[str, Sym],
        outer: list[dict[str, Sym]],
        imports: ImportContext,
    ) -> None:
        self.module = module
        self.facts = facts
        self.calls = facts.calls
        self.env = env
        self.outer = outer
        self.imports = imports
        self.is_module = facts.qualname == MODULE_QUALNAME
        self.prefix = "" if self.is_module else f"{facts.qualname}.<locals>."
        self.owner: ClassFacts | None = None  # the class whose body is being walked
        self.self_name: str | None = None
        self.global_names: set[str] = set()
        self.guards: tuple[tuple[int, int | str], ...] = ()
        self.nonblocking = 0  # depth of `try` blocks that catch BlockingIOError
        self.parameters: set[str] = set()
        self.loaded: set[str] = set()
        self.enclosing_loaded: list[set[str]] = []
        self.assigned: list[tuple[str, CallSite]] = []
        self.deferred: list[_Deferred] = []

    # Names -----------------------------------------------------------------------------

    def lookup(self, name: str) -> Sym:
        self.loaded.add(name)
        if self.enclosing_loaded:
            for loaded in self.enclosing_loaded:
                loaded.add(name)
        if not self.global_names or name not in self.global_names:
            sym = self.env.get(name)
            if sym is not None:
                return sym
            for scope in self.outer:
                sym = scope.get(name)
                if sym is not None:
                    return sym
        return (GLOB, self.module, name)

    def bind_name(self, name: str, sym: Sym) -> None:
        if name in self.global_names:
            return
        self.env[name] = sym
        if self.owner is not None:
            self.owner.attributes.setdefault(name, []).append(sym)

    def bind(self, target: ast.expr, sym: Sym) -> None:
        if isinstance(target, ast.Name):
            self.bind_name(target.id, sym)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self.bind(element, UNKNOWN_SYM)
        elif isinstance(target, ast.Starred):
            self.bind(target.value, UNKNOWN_SYM)
        elif isinstance(target, ast.Attribute):
            value = target.value
            self.expr(value)
            owner = self.facts.owner
            if owner is not None and isinstance(value, ast.Name) and value.id == self.self_name:
                owner.attributes.setdefault(target.attr, []).append(sym)
        elif isinstance(target, ast.Subscript):
            self.expr(target.value)
            self.expr(target.slice)

    # Statements ------------------------------------------------------------------------

    def block(self, statements: list[ast.stmt]) -> None:
        handlers = _STATEMENTS
        for statement in statements:
            handler = handlers.get(type(statement))
            if handler is not None:
                handler(self, statement)
            else:
                self._other_statement(statement)

    def _other_statement(self, node: ast.AST) -> None:
        if isinstance(node, ast.Match):
            self._match(node)
            return
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expr(child)
            elif isinstance(child, ast.stmt):
                self.block([child])

    def _match(self, node: ast.Match) -> None:
        self.expr(node.subject)
        for case in node.cases:
            for sub in ast.walk(case.pattern):
                if isinstance(sub, ast.MatchValue):
                    self.expr(sub.value)
                elif isinstance(sub, ast.MatchClass):
                    self.expr(sub.cls)
                for name in (getattr(sub, "name", None), getattr(sub, "rest", None)):
                    if isinstance(name, str):
                        self.bind_name(name, UNKNOWN_SYM)
            if case.guard is not None:
                self.expr(case.guard)
            self.block(case.body)

    def _expr_statement(self, node: ast.Expr) -> None:
        if not isinstance(node.value, ast.Constant):
            self.expr(node.value, STATEMENT)

    def _assign(self, node: ast.Assign) -> None:
        targets, value = node.targets, node.value
        target = targets[0]
        sym: Sym
        if len(targets) == 1 and isinstance(target, ast.Name):
            if isinstance(value, ast.Call):
                index = len(self.calls)  # where call() records this call (not `super()`)
                sym = self.call(value, ASSIGNED)
                if len(self.calls) > index:
                    self.assigned.append((target.id, self.calls[index]))
            elif isinstance(value, ast.Lambda):
                sym = self._named_lambda(value)
            else:
                sym = self.expr(value)
        else:
            sym = self.expr(value)
        if isinstance(value, ast.Subscript) and _last_name(value.value) == "Annotated":
            sym = self.type_expr(value)  # a type alias: SessionDep = Annotated[Session, ...]
        for each in targets:
            self.bind(each, sym)

    def _ann_assign(self, node: ast.AnnAssign) -> None:
        sym: Sym = (INST, self.type_expr(node.annotation))
        if node.value is not None:
            sym = (EITHER, (sym, self.expr(node.value)))
        self.bind(node.target, sym)

    def _aug_assign(self, node: ast.AugAssign) -> None:
        self.expr(node.value)
        if isinstance(node.target, ast.Name):
            self.lookup(node.target.id)
        else:
            self.bind(node.target, UNKNOWN_SYM)

    def _return(self, node: ast.Return) -> None:
        if node.value is not None:
            self.facts.returns.append(self.expr(node.value, RETURNED))

    def _if(self, node: ast.If | ast.While) -> None:
        test = node.test
        if isinstance(test, ast.Constant) and isinstance(node, ast.If):
            self.block(node.body if test.value else node.orelse)  # `if True:` skips the else
            return
        self.expr(test)
        self.block(node.body)
        self.block(node.orelse)

    def _for(self, node: ast.For | ast.AsyncFor) -> None:
        if isinstance(node, ast.For):
            self._iterate(node.iter)
        else:
            self.expr(node.iter)
        self.bind(node.target, UNKNOWN_SYM)
        self.block(node.body)
        self.block(node.orelse)

    def _with(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            sym = self.expr(item.context_expr)
            if item.optional_vars is not None:
                self.bind(item.optional_vars, sym)
        self.block(node.body)

    def _try(self, node: ast.Try | ast.TryStar) -> None:
        caught = {
            _last_name(kind)
            for handler in node.handlers
            if handler.type is not None
            for kind in (
                handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
            )
        }
        nonblocking = not caught.isdisjoint(NONBLOCKING_EXCEPTIONS)
        self.nonblocking += nonblocking
        try:
            self.block(node.body)
        finally:
            self.nonblocking -= nonblocking
        for handler in node.handlers:
            if handler.type is not None:
                self.expr(handler.type)
            if handler.name:
                self.bind_name(handler.name, UNKNOWN_SYM)
            self.block(handler.body)
        self.block(node.orelse)
        self.block(node.finalbody)

    def _import(self, node: ast.Import) -> None:
        absolute = self.imports.absolute
        for alias in node.names:
            if alias.asname:
                self.bind_name(alias.asname, (EXT, absolute(0, alias.name)))
            else:
                top = alias.name.partition(".")[0]
                self.bind_name(top, (EXT, absolute(0, top)))

    def _import_from(self, node: ast.ImportFrom) -> None:
        base = self.imports.absolute(node.level, node.module)
        if base == "__future__":
            return
        for alias in node.names:
            if alias.name == "*":
                if self.is_module:
                    self.module.star_imports.append(base)
                continue
            qualified = f"{base}.{alias.name}" if base else alias.name
            self.bind_name(alias.asname or alias.name, (EXT, qualified))

    def _global(self, node: ast.Global) -> None:
        if not self.is_module:  # `global x` at module level changes nothing
            self.global_names.update(node.names)

    def _nothing(self, node: ast.stmt) -> None:
        del node

    def _function_def(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        decorators = [self.expr(decorator) for decorator in node.decorator_list]
        decorator_names = {_last_name(decorator) for decorator in node.decorator_list}
        owner = self.owner
        qualname = f"{owner.qualname}.{node.name}" if owner is not None else self.prefix + node.name
        facts = FunctionFacts(
            self.module,
            qualname,
            node.lineno,
            node.col_offset,
            is_async=isinstance(node, ast.AsyncFunctionDef),
            owner=owner,
            decorators=decorators,
            is_property=bool(decorator_names & {"property", "cached_property"}),
            is_stub=_is_stub(node.body),
        )
        params = self._parameters(node.args, owner, decorator_names)
        facts.parameters = [name for name, _ in params]
        facts.is_bound = bool(params) and params[0][1][0] in (SELF, CLASS)
        returns = node.returns
        if returns is not None:
            facts.return_annotation = self.type_expr(returns)
            if isinstance(returns, ast.Subscript) and _last_name(returns.value) in _ITERATOR_TYPES:
                first = returns.slice
                if isinstance(first, ast.Tuple) and first.elts:
                    first = first.elts[0]
                facts.yield_annotation = self.type_expr(first)
        self.module.functions.append(facts)
        if owner is not None:
            owner.methods[node.name] = facts
        self.bind_name(node.name, (FUNC, facts))
        self._defer(node, facts, params)

    def _parameters(
        self, args: ast.arguments, owner: ClassFacts | None, decorator_names: set[str | None]
    ) -> list[tuple[str, Sym]]:
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
        defaults.extend(args.defaults)
        defaults.extend(args.kw_defaults)
        params: list[tuple[str, Sym]] = []
        for index, (arg, default) in enumerate(
            zip([*positional, *args.kwonlyargs], defaults, strict=True)
        ):
            sym: Sym = UNKNOWN_SYM
            if index == 0 and owner is not None and "staticmethod" not in decorator_names:
                sym = (CLASS, owner) if "classmethod" in decorator_names else (SELF, owner)
            elif arg.annotation is not None:
                sym = (INST, self.type_expr(arg.annotation))
            if default is not None:
                self.expr(default)
                if (
                    sym is UNKNOWN_SYM
                    and isinstance(default, ast.Call)
                    and _last_name(default.func) == "Depends"
                    and default.args
                ):
                    sym = (DEP, self.type_expr(default.args[0]))
            params.append((arg.arg, sym))
        for extra in (args.vararg, args.kwarg):
            if extra is not None:
                params.append((extra.arg, UNKNOWN_SYM))
        return params

    def _defer(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda,
        facts: FunctionFacts,
        params: list[tuple[str, Sym]],
    ) -> None:
        if self.is_module:
            outer: list[dict[str, Sym]] = []
        elif self.owner is not None:
            outer = self.outer  # a method does not see its class body's names
        else:
            outer = [self.env, *self.outer]
        loaded = [self.loaded, *self.enclosing_loaded]
        self.deferred.append(_Deferred(node, facts, outer, params, self.imports, loaded))

    def _class_def(self, node: ast.ClassDef) -> None:
        for decorator in node.decorator_list:
            self.expr(decorator)
        owner = self.owner
        qualname = f"{owner.qualname}.{node.name}" if owner else self.prefix + node.name
        facts = ClassFacts(self.module, qualname, node.lineno)
        facts.bases = [self.expr(base) for base in node.bases]
        for keyword in node.keywords:
            self.expr(keyword.value)
        self.module.classes.append(facts)
        saved = (self.env, self.outer, self.owner)
        self.env, self.outer, self.owner = {}, [self.env, *self.outer], facts
        try:
            self.block(node.body)
        finally:
            self.env, self.outer, self.owner = saved
        self.bind_name(node.name, (CLASS, facts))

    # Expressions -----------------------------------------------------------------------

    def expr(self, node: ast.expr, usage: int = OTHER, parent: int = -1) -> Sym:
        """Record the calls in `node` and return the symbol of its value."""
        if isinstance(node, ast.Name):
            return self.lookup(node.id)
        if isinstance(node, ast.Constant):
            return UNKNOWN_SYM
        if isinstance(node, ast.Attribute):
            base = self.expr(node.value)
            if base[0] == EXT:
                return (EXT, f"{base[1]}.{node.attr}")
            return (ATTR, base, node.attr)
        if isinstance(node, ast.Call):
            return self.call(node, usage, parent)
        if isinstance(node, ast.Await):
            return self.expr(node.value, AWAITED, parent)
        handler = _EXPRESSIONS.get(type(node))
        if handler is not None:
            return handler(self, node)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expr(child)
        return UNKNOWN_SYM

    def call(self, node: ast.Call, usage: int, parent: int = -1) -> Sym:
        func = node.func
        owner = self.facts.owner
        if isinstance(func, ast.Name) and func.id == "super" and not node.args and owner:
            return (SUPER, owner)
        callee = self.expr(func)
        index = len(self.calls)
        site = CallSite(
            callee, node.lineno, node.col_offset, usage, parent, self.guards, self.nonblocking > 0
        )
        self.calls.append(site)
        runner = _last_name(func) in _RUNNER_NAMES
        for position, argument in enumerate(node.args):
            if isinstance(argument, ast.Lambda):
                self._lambda_inline(argument, (index, position))
            elif isinstance(argument, ast.Starred):
                self.expr(argument.value)
            else:
                sym = self.expr(argument, ARGUMENT, index)
                if isinstance(argument, ast.Name):
                    self._forward(site, position, argument.id, sym)
                elif _names_flag(argument):
                    site.nonblocking = True
                if runner and isinstance(argument, ast.Name | ast.Attribute):
                    site.passed = (*site.passed, (position, sym))
        class_sym: Sym = UNKNOWN_SYM
        for keyword in node.keywords:
            value = keyword.value
            if isinstance(value, ast.Lambda):
                self._lambda_inline(value, (index, keyword.arg or "**"))
                continue
            sym = self.expr(value, ARGUMENT, index)
            name = keyword.arg
            if name and isinstance(value, ast.Name):
                self._forward(site, name, value.id, sym)
            if runner and name and isinstance(value, ast.Name | ast.Attribute):
                site.passed = (*site.passed, (name, sym))
            if name == "class_":
                class_sym = sym
            elif (
                name in NONBLOCKING_KEYWORDS
                and isinstance(value, ast.Constant)
                and value.value == NONBLOCKING_KEYWORDS[name]
            ):
                site.nonblocking = True
        return (CALL, callee, class_sym)

    def _forward(self, site: CallSite, position: int | str, name: str, sym: Sym) -> None:
        if name in self.parameters:
            site.forwarded = (*site.forwarded, (position, name))
        elif sym[0] == FUNC and sym[1].qualname.startswith(self.prefix) and not self.is_module:
            site.forwarded = (*site.forwarded, (position, sym[1]))

    def _lambda_inline(self, node: ast.Lambda, guard: tuple[int, int | str] | None = None) -> Sym:
        """A lambda that is not bound to a name runs where it is used: its calls are ours."""
        args = node.args
        for default in (*args.defaults, *args.kw_defaults):
            if default is not None:
                self.expr(default)
        saved = (self.env, self.outer, self.guards)
        self.outer = [self.env, *self.outer]
        self.env = dict.fromkeys(_parameter_names(args), UNKNOWN_SYM)
        if guard is not None:
            self.guards = (*self.guards, guard)
        try:
            self.expr(node.body, RETURNED)
        finally:
            self.env, self.outer, self.guards = saved
        return UNKNOWN_SYM

    def _named_lambda(self, node: ast.Lambda) -> Sym:
        """`f = lambda: ...` is a function of its own, reached when `f` is called."""
        facts = FunctionFacts(
            self.module, self.prefix + "<lambda>", node.lineno, node.col_offset, is_async=False
        )
        self.module.functions.append(facts)
        args = node.args
        for default in (*args.defaults, *args.kw_defaults):
            if default is not None:
                self.expr(default)
        self._defer(node, facts, [(name, UNKNOWN_SYM) for name in _parameter_names(args)])
        return (FUNC, facts)

    def _comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
    ) -> Sym:
        generators = node.generators
        self._iterate(generators[0].iter, generators[0].is_async)
        saved = (self.env, self.outer)
        self.outer = [self.env, *self.outer]
        self.env = {}
        try:
            for index, generator in enumerate(generators):
                if index:
                    self._iterate(generator.iter, generator.is_async)
                self.bind(generator.target, UNKNOWN_SYM)
                for condition in generator.ifs:
                    self.expr(condition)
            if isinstance(node, ast.DictComp):
                self.expr(node.key)
                self.expr(node.value)
            else:
                self.expr(node.elt)
        finally:
            self.env, self.outer = saved
        return UNKNOWN_SYM

    def _iterate(self, node: ast.expr, is_async: int = 0) -> None:
        """`for x in value`: iterating runs `value.__iter__` here, which is a query for a
        SQLAlchemy `Query`, or a project class's own `__iter__`."""
        if is_async:
            self.expr(node)
            return
        sym = self.expr(node, ITERATED)
        self.calls.append(
            CallSite(
                (ATTR, sym, "__iter__"),
                node.lineno,
                node.col_offset,
                ITERATED,
                -1,
                self.guards,
                self.nonblocking > 0,
            )
        )

    def _binop(self, node: ast.BinOp) -> Sym:
        """`a + b + c ...` nests to the left, thousands deep in generated code: walk it in a
        loop. `path / "x"` keeps the path's symbol for pathlib."""
        chain = [node]
        while isinstance(chain[-1].left, ast.BinOp):
            chain.append(chain[-1].left)
        sym = self.expr(chain[-1].left)
        for link in reversed(chain):
            self.expr(link.right)
            sym = (DIV, sym) if isinstance(link.op, ast.Div) else UNKNOWN_SYM
        return sym

    def _subscript(self, node: ast.Subscript) -> Sym:
        base = self.expr(node.value)
        self.expr(node.slice)
        return (ITEM, base)

    def _boolop(self, node: ast.BoolOp) -> Sym:
        return (EITHER, tuple(self.expr(value) for value in node.values))

    def _named_expr(self, node: ast.NamedExpr) -> Sym:
        sym = self.expr(node.value)
        self.bind_name(node.target.id, sym)
        return sym

    def _yield(self, node: ast.Yield | ast.YieldFrom) -> Sym:
        self.facts.is_generator = True
        if node.value is not None:
            usage = ITERATED if isinstance(node, ast.YieldFrom) else OTHER
            self.facts.yields.append(self.expr(node.value, usage))
        return UNKNOWN_SYM

    def _elements(self, node: ast.Tuple | ast.List | ast.Set | ast.JoinedStr) -> Sym:
        for element in node.elts if not isinstance(node, ast.JoinedStr) else node.values:
            self.expr(element)
        return UNKNOWN_SYM

    def _dict(self, node: ast.Dict) -> Sym:
        for key in node.keys:
            if key is not None:
                self.expr(key)
        for value in node.values:
            self.expr(value)
        return UNKNOWN_SYM

    def _compare(self, node: ast.Compare) -> Sym:
        self.expr(node.left)
        for comparator in node.comparators:
            self.expr(comparator)
        return UNKNOWN_SYM

    def _unary(self, node: ast.UnaryOp) -> Sym:
        self.expr(node.operand)
        return UNKNOWN_SYM

    def _if_exp(self, node: ast.IfExp) -> Sym:
        self.expr(node.test)
        return (EITHER, (self.expr(node.body), self.expr(node.orelse)))

    def _formatted(self, node: ast.FormattedValue) -> Sym:
        self.expr(node.value)
        if node.format_spec is not None:
            self.expr(node.format_spec)
        return UNKNOWN_SYM

    def _starred(self, node: ast.Starred) -> Sym:
        self.expr(node.value)
        return UNKNOWN_SYM

    def type_expr(self, node: ast.expr) -> Sym:
        """The class an annotation names, seen through Annotated/Optional/`X | None`."""
        if isinstance(node, ast.Name):
            return self.lookup(node.id)
        if isinstance(node, ast.Attribute):
            base = self.type_expr(node.value)
            if base[0] == EXT:
                return (EXT, f"{base[1]}.{node.attr}")
            return (ATTR, base, node.attr)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                parsed = ast.parse(node.value.strip(), mode="eval")
            except SyntaxError:
                return UNKNOWN_SYM
            return self.type_expr(parsed.body)
        if isinstance(node, ast.Subscript):
            base_name = _last_name(node.value)
            inner = node.slice
            elements = inner.elts if isinstance(inner, ast.Tuple) else [inner]
            if base_name in _WRAPPER_TYPES and elements:
                return self.type_expr(elements[0])
            if base_name == "Union":
                return _first_known([self.type_expr(e) for e in elements if not _is_none(e)])
            return self.type_expr(node.value)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            sides = [node.left, node.right]
            return _first_known([self.type_expr(s) for s in sides if not _is_none(s)])
        return UNKNOWN_SYM

    def mark_dropped(self) -> None:
        """A coroutine assigned to a name that is never read again was dropped."""
        for name, site in self.assigned:
            if name not in self.loaded:
                site.usage = DROPPED


def _names_flag(node: ast.expr) -> bool:
    """`os.WNOHANG` (or `os.WNOHANG | os.WUNTRACED`) as an argument: the call won't wait."""
    if isinstance(node, ast.Attribute):
        return node.attr in NONBLOCKING_ARGUMENTS
    if isinstance(node, ast.Name):
        return node.id in NONBLOCKING_ARGUMENTS
    if isinstance(node, ast.BinOp):
        return _names_flag(node.left) or _names_flag(node.right)
    return False


def _is_stub(body: list[ast.stmt]) -> bool:
    """Only a docstring, `...`, `pass` or a `raise`: a declaration that a subclass or the
    run-time object fills in (a Protocol, an abstract or a do-nothing base method)."""
    return all(
        isinstance(statement, ast.Pass | ast.Raise)
        or (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant))
        for statement in body
    )


def _parameter_names(args: ast.arguments) -> list[str]:
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    names.extend(a.arg for a in (args.vararg, args.kwarg) if a is not None)
    return names


def _last_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _last_name(node.func)
    return None


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _first_known(syms: list[Sym]) -> Sym:
    if not syms:
        return UNKNOWN_SYM
    return syms[0] if len(syms) == 1 else (EITHER, tuple(syms))


_STATEMENTS: dict[type[ast.AST], Callable[[_Scanner, Any], None]] = {
    ast.Expr: _Scanner._expr_statement,
    ast.Assign: _Scanner._assign,
    ast.AnnAssign: _Scanner._ann_assign,
    ast.AugAssign: _Scanner._aug_assign,
    ast.Return: _Scanner._return,
    ast.If: _Scanner._if,
    ast.While: _Scanner._if,
    ast.For: _Scanner._for,
    ast.AsyncFor: _Scanner._for,
    ast.With: _Scanner._with,
    ast.AsyncWith: _Scanner._with,
    ast.Try: _Scanner._try,
    ast.TryStar: _Scanner._try,
    ast.FunctionDef: _Scanner._function_def,
    ast.AsyncFunctionDef: _Scanner._function_def,
    ast.ClassDef: _Scanner._class_def,
    ast.Import: _Scanner._import,
    ast.ImportFrom: _Scanner._import_from,
    ast.Global: _Scanner._global,
    ast.Pass: _Scanner._nothing,
    ast.Break: _Scanner._nothing,
    ast.Continue: _Scanner._nothing,
}

_EXPRESSIONS: dict[type[ast.AST], Callable[[_Scanner, Any], Sym]] = {
    ast.BinOp: _Scanner._binop,
    ast.Subscript: _Scanner._subscript,
    ast.Lambda: _Scanner._lambda_inline,
    ast.ListComp: _Scanner._comprehension,
    ast.SetComp: _Scanner._comprehension,
    ast.GeneratorExp: _Scanner._comprehension,
    ast.DictComp: _Scanner._comprehension,
    ast.BoolOp: _Scanner._boolop,
    ast.NamedExpr: _Scanner._named_expr,
    ast.Yield: _Scanner._yield,
    ast.YieldFrom: _Scanner._yield,
    ast.Tuple: _Scanner._elements,
    ast.List: _Scanner._elements,
    ast.Set: _Scanner._elements,
    ast.Dict: _Scanner._dict,
    ast.Compare: _Scanner._compare,
    ast.UnaryOp: _Scanner._unary,
    ast.IfExp: _Scanner._if_exp,
    ast.JoinedStr: _Scanner._elements,
    ast.FormattedValue: _Scanner._formatted,
    ast.Starred: _Scanner._starred,
}
