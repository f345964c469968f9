"""The blocking-call checker: which calls block the event loop, directly or via project code.

Public API (the codemod and `migrate check` both use it):

- `analyze_paths(paths, config=None, *, relative_to=None) -> ProjectAnalysis` reads every
  `.py` file under `paths` (a `UserError` if one is missing) and analyses the project.
  `config=None` reads `[tool.migrate.check]` from the nearest pyproject.toml; pass
  `CheckConfig()` for the built-in rules only.
- `analyze_sources({path: text}, config=None, *, root=None) -> ProjectAnalysis` does the
  same for sources already in memory.
- `ProjectAnalysis.findings() -> list[Finding]`: what `migrate check` reports: blocking
  calls made inside `async def` (directly or through the project's sync functions, with
  the chain), and coroutines that are never awaited. Sorted; select/ignore and `# noqa`
  applied.
- `ProjectAnalysis.blocking_calls(module_file, function_qualname) -> list[Finding]`: the
  blocking calls any function (sync or async) would make if it were `async def`; this is
  what decides whether a Flask view can become `async def`. `function_qualname` is Python's
  `__qualname__` (`index`, `UserView.get`, `outer.<locals>.inner`); `module_file` is the
  path as given, as reported in findings, or absolute.
- `ProjectAnalysis.errors` (files that could not be read or parsed; the rest is analysed)
  and `ProjectAnalysis.files_checked`.

How it works: each file is parsed once with `ast` and scanned once
(`migrator.blocking_scan`); symbols are then resolved across modules with the rule table
(`migrator.blocking_rules`). A sync project function's blocking calls are summarised once,
following only the project's sync functions (an awaited `async def` is checked on its
own), with the shortest chain to each kind of blocking call; ties break by name, so the
result does not depend on the order files are read in.
"""

from __future__ import annotations

import ast
import builtins
import gc
import os
import sys
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath
from typing import Any, NamedTuple, TypeVar

from migrator import blocking_rules as table
from migrator.blocking_rules import BlockingRule
from migrator.blocking_scan import (
    ARGUMENT,
    ATTR,
    AWAITED,
    CALL,
    CLASS,
    DEP,
    DIV,
    DROPPED,
    EITHER,
    EXT,
    FUNC,
    GLOB,
    INST,
    ITEM,
    ITERATED,
    SELF,
    STATEMENT,
    SUPER,
    UNKNOWN_SYM,
    CallSite,
    ClassFacts,
    FunctionFacts,
    ImportContext,
    ModuleFacts,
    Sym,
    scan_module,
)
from migrator.check_config import CheckConfig, load_check_config
from migrator.findings import Finding
from migrator.python_sources import SourceError, find_python_files, read_source

__all__ = [
    "FileError",
    "ProjectAnalysis",
    "UnknownFunctionError",
    "all_rules",
    "analyze_paths",
    "analyze_sources",
]

_BUILTINS = frozenset(dir(builtins))
_RECURSION_LIMIT = 20_000


@dataclass(frozen=True, slots=True)
class FileError:
    """A file left out of the analysis: unreadable, not UTF-8, or not valid Python."""

    file: str
    message: str
    line: int | None = None
    col: int | None = None

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of `errors` in `migrate check --format json`."""
        return {"file": self.file, "line": self.line, "col": self.col, "message": self.message}


class UnknownFunctionError(LookupError):
    """`blocking_calls` was asked about a module or function the analysis does not have."""


def all_rules(config: CheckConfig | None = None) -> list[BlockingRule]:
    """Every rule, built-in and configured, by code: for --list-rules and SARIF."""
    rules = [*table.BLOCKING_RULES, table.UNAWAITED_API, table.UNAWAITED_PROJECT]
    if config is not None:
        rules.extend(config.blocking_calls)
    return sorted(rules, key=lambda rule: rule.code)


def analyze_paths(
    paths: Sequence[Path | str],
    config: CheckConfig | None = None,
    *,
    relative_to: Path | None = None,
) -> ProjectAnalysis:
    """Analyse every Python file under `paths`; file paths are reported relative to
    `relative_to` (default: the common folder of `paths`)."""
    given = [Path(p) for p in paths]
    files = find_python_files(given)
    if config is None:
        config = load_check_config(given)
    folders = [p.resolve() if p.is_dir() else p.resolve().parent for p in given]
    root = Path(os.path.commonpath(folders)) if folders else Path.cwd()
    display_base = (relative_to or root).resolve()
    sources: dict[PurePath, str] = {}
    errors: list[FileError] = []
    shown: dict[PurePath, str] = {}
    for file in files:
        absolute = file.resolve()
        shown[absolute] = _display(absolute, display_base)
        try:
            sources[absolute] = read_source(file)
        except SourceError as error:
            errors.append(FileError(shown[absolute], str(error)))
    prefix = _package_prefix_on_disk(root)
    return _analyze(sources, config, root, prefix, shown, errors)


_PathKey = TypeVar("_PathKey", bound=str | PurePath)


def analyze_sources(
    sources: Mapping[_PathKey, str],
    config: CheckConfig | None = None,
    *,
    root: PurePath | str | None = None,
) -> ProjectAnalysis:
    """Analyse in-memory sources keyed by file path; paths are reported relative to `root`
    (default: their common folder)."""
    keyed: dict[PurePath, str] = {
        PurePosixPath(PurePath(key).as_posix()): text for key, text in sources.items()
    }
    if root is not None:
        base = PurePosixPath(PurePath(root).as_posix())
    elif keyed:
        base = PurePosixPath(os.path.commonpath([str(key.parent) for key in keyed]))
    else:
        base = PurePosixPath(".")
    shown = {key: _display(key, base) for key in keyed}
    prefix: tuple[str, ...] = ()
    if base / "__init__.py" in keyed and base.name not in ("", ".", ".."):
        prefix = (base.name,)
    return _analyze(dict(keyed), config or CheckConfig(), base, prefix, shown, [])


def _display(path: PurePath, base: PurePath) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def _package_prefix_on_disk(root: Path) -> tuple[str, ...]:
    """The package `root` itself belongs to: `a/b` with `a/__init__.py` and `a/b/__init__.py`
    makes its modules `a.b.*`."""
    names: list[str] = []
    folder = root
    while (folder / "__init__.py").is_file() and folder.name:
        names.insert(0, folder.name)
        folder = folder.parent
    return tuple(names)


def _analyze(
    sources: Mapping[PurePath, str],
    config: CheckConfig,
    root: PurePath,
    prefix: tuple[str, ...],
    shown: Mapping[PurePath, str],
    errors: list[FileError],
) -> ProjectAnalysis:
    naming = _ModuleNaming([_relative_parts(path, root) for path in sources], prefix)
    modules: list[ModuleFacts] = []
    aliases: dict[str, list[str]] = {}
    by_path: dict[str, ModuleFacts] = {}
    with _deep_recursion(), _no_cyclic_gc():
        for path, text in sources.items():
            parts = _relative_parts(path, root)
            display = shown.get(path, path.as_posix())
            try:
                tree = ast.parse(text, filename=display)
            except SyntaxError as error:
                errors.append(
                    FileError(display, f"cannot parse: {error.msg}", error.lineno, error.offset)
                )
                continue
            except (ValueError, RecursionError, MemoryError) as error:
                errors.append(FileError(display, f"cannot parse: {error}"))
                continue
            name = naming.canonical(parts)
            try:
                module = scan_module(tree, name, display, text, naming.imports(parts))
            except RecursionError:
                errors.append(FileError(display, "cannot analyse: nested too deeply"))
                continue
            del tree
            modules.append(module)
            aliases[name] = naming.aliases(parts)
            for key in {display, path.as_posix(), str(path)}:
                by_path[key] = module
    modules.sort(key=lambda m: (m.name, m.path))
    errors.sort(key=lambda e: (e.file, e.line or 0))
    return ProjectAnalysis(modules, aliases, by_path, config, errors)


def _relative_parts(path: PurePath, root: PurePath) -> tuple[str, ...]:
    try:
        return path.relative_to(root).parts
    except ValueError:
        return (path.name,)


@contextmanager
def _deep_recursion() -> Iterator[None]:
    """`ast` and the scanner recurse per nesting level; real code nests deeper than 1000."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, _RECURSION_LIMIT))
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Millions of short-lived AST nodes would trigger the cycle collector again and again
    over every fact kept so far; none of them form garbage cycles, so pause it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _ModuleNaming:
    """Dotted module names from file paths, packages (`__init__.py`) or plain folders."""

    def __init__(self, files: Iterable[tuple[str, ...]], prefix: tuple[str, ...]) -> None:
        self.prefix = prefix
        self.folders: dict[tuple[str, ...], list[str]] = {}
        for parts in files:
            self.folders.setdefault(parts[:-1], []).append(parts[-1])
        self.packages = {folder for folder, names in self.folders.items() if "__init__.py" in names}

    def canonical(self, parts: tuple[str, ...]) -> str:
        folders, stem = parts[:-1], _stem(parts[-1])
        tail = [] if stem == "__init__" else [stem]
        return ".".join((*self.folder_name(folders), *tail))

    def folder_name(self, folders: tuple[str, ...]) -> tuple[str, ...]:
        """A package's dotted name; a plain folder is named by its path from the root."""
        if folders not in self.packages:
            return folders
        depth = len(folders)
        while depth > 0 and folders[: depth - 1] in self.packages:
            depth -= 1
        if depth == 0:  # packages all the way up, the root included
            return (*self.prefix, *folders)
        return folders[depth - 1 :]

    def imports(self, parts: tuple[str, ...]) -> ImportContext:
        """Relative imports' packages and, for a script outside any package, its siblings."""
        folders = parts[:-1]
        depths = range(len(folders), -1, -1)
        bases = [".".join(self.folder_name(folders[:depth])) for depth in depths]
        if () in self.packages:
            above = range(len(self.prefix) - 1, 0, -1)
            bases.extend(".".join(self.prefix[:depth]) for depth in above)
        siblings: dict[str, str] = {}
        if folders not in self.packages:
            for name in self.folders.get(folders, ()):
                if name not in (parts[-1], "__init__.py"):
                    siblings[_stem(name)] = self.canonical((*folders, name))
        return ImportContext(bases, siblings)

    def aliases(self, parts: tuple[str, ...]) -> list[str]:
        """Other names an import may use: the path from the root, with the root's package."""
        stem = _stem(parts[-1])
        plain = [*parts[:-1]] + ([] if stem == "__init__" else [stem])
        names = [".".join(plain)]
        if self.prefix:
            names.append(".".join((*self.prefix, *plain)))
        return [name for name in names if name]


def _stem(filename: str) -> str:
    return (
        filename[: -len(".py")]
        if filename.endswith(".py")
        else filename.rpartition(".")[0] or filename
    )


# Resolution ------------------------------------------------------------------------------

UNKNOWN, EXTERNAL, MODULE, FUNCTION, KLASS, INSTANCE, PROJECT_INSTANCE, MEMBER, SUPER_OF = range(9)


class Value(NamedTuple):
    """What a symbol turned out to be.

    EXTERNAL: `name` is a dotted name outside the project; INSTANCE: an object of type
    `name`; MEMBER: `name` is `Type.attribute` of such an object; MODULE, FUNCTION, KLASS,
    PROJECT_INSTANCE, SUPER_OF: `target` is the project's module, function or class.
    """

    kind: int
    name: str = ""
    target: Any = None


_UNKNOWN = Value(UNKNOWN)
_Key = TypeVar("_Key", bound=Hashable)


class _Rules:
    """The rule table, with the project's configuration merged in, indexed for lookups."""

    def __init__(self, config: CheckConfig) -> None:
        self.config = config
        self.blocking: dict[str, BlockingRule] = {}
        self.blocking_any: dict[str, BlockingRule] = {}
        for rule in (*table.BLOCKING_RULES, *config.blocking_calls):
            for call in rule.calls:
                if call.endswith(".*"):
                    self.blocking_any[call[:-2]] = rule
                else:
                    self.blocking[call] = rule
        self.async_apis = {name for name in table.ASYNC_APIS if not name.endswith(".*")}
        self.async_any = {name[:-2] for name in table.ASYNC_APIS if name.endswith(".*")}
        self.aliases = table.ALIASES
        self.returns = {**table.RETURNS, **config.returns}
        self.attributes = table.ATTRIBUTES
        self.safe = table.SAFE_CALLS | frozenset(config.safe_wrappers)
        self.escapes: dict[str, int | None] = {
            name: position for name, position in table.ESCAPE_HATCHES.items() if name[0] != "*"
        }
        self.escapes.update(dict.fromkeys(config.safe_wrappers))
        self.escape_methods = {
            name[2:]: position for name, position in table.ESCAPE_HATCHES.items() if name[0] == "*"
        }
        self.known_types = {*self.returns.values(), *self.attributes.values()}
        owners = (*self.blocking, *self.returns, *self.attributes, *self.async_apis, *self.escapes)
        for name in owners:
            self.known_types.add(name.rpartition(".")[0])
        self.known_types.update(self.blocking_any)
        self.known_types.update(self.async_any)
        self._canonical: dict[str, str] = {}

    def canonical(self, name: str) -> str:
        """`requests.api.get` → `requests.get`: the name the tables use."""
        found = self._canonical.get(name)
        if found is not None:
            return found
        result = self.aliases.get(name, name)
        head = "" if name in self.aliases else name.rpartition(".")[0]
        while head:  # an alias of a dotted prefix: requests.api.* is requests.*
            if head in self.aliases:
                result = f"{self.aliases[head]}{name[len(head) :]}"
                break
            head = head.rpartition(".")[0]
        self._canonical[name] = result
        return result

    def blocking_rule(self, key: str) -> BlockingRule | None:
        if key in self.safe:
            return None
        rule = self.blocking.get(key)
        if rule is None:
            owner, _, method = key.rpartition(".")
            if owner in self.blocking_any and not method.startswith("_"):
                rule = self.blocking_any[owner]
        if rule is None or not self.config.enabled(rule.code):
            return None
        return rule

    def is_async_api(self, key: str) -> bool:
        if key in self.safe:
            return False
        if key in self.async_apis:
            return True
        owner, _, method = key.rpartition(".")
        return owner in self.async_any and not method.startswith("_")


class _Facet(NamedTuple):
    """What one call site means for the checker."""

    key: str | None  # the callee's qualified name, when it has one
    rule: BlockingRule | None  # a blocking call
    edges: tuple[FunctionFacts, ...]  # sync functions of the project it runs here
    coroutine: bool  # its result is a coroutine (a known async API or a project async def)


_ANY = "*"


def _method_name(callee: Sym) -> str:
    """The last name of a callee: `run_in_executor` of `loop.run_in_executor`."""
    if callee[0] == ATTR:
        return str(callee[2])
    if callee[0] == EXT:
        return str(callee[1]).rpartition(".")[2]
    return ""


def _place(function: FunctionFacts) -> tuple[int, int, str]:
    return (function.line, function.col, function.qualname)


def _matches(positions: frozenset[int | str], position: int | str) -> bool:
    return position in positions or _ANY in positions


class _Path(NamedTuple):
    """The shortest way from a function to one kind of blocking call."""

    length: int
    chain: tuple[str, ...]
    rule: BlockingRule


class _Resolver:
    """Turns symbols into values across the project; everything is cached."""

    def __init__(
        self, modules: Sequence[ModuleFacts], aliases: Mapping[str, list[str]], rules: _Rules
    ) -> None:
        self.rules = rules
        self.modules: dict[str, ModuleFacts] = {}
        for module in modules:
            self.modules.setdefault(module.name, module)
        for module in modules:
            for alias in aliases.get(module.name, ()):
                self.modules.setdefault(alias, module)
        self._names: dict[str, Value] = {}
        self._globals: dict[tuple[int, str], Value] = {}
        self._members: dict[tuple[int, str, bool], Value] = {}
        self._results: dict[int, Value] = {}
        self._mro: dict[int, list[ClassFacts]] = {}
        self._external_bases: dict[int, list[str]] = {}
        self._active: set[object] = set()

    def resolve(self, sym: Sym) -> Value:
        kind = sym[0]
        if kind == EXT:
            return self.name(sym[1])
        if kind == GLOB:
            return self.global_(sym[1], sym[2])
        if kind == ATTR:
            return self.attribute(self.resolve(sym[1]), sym[2])
        if kind == CALL:
            return self.call_result(self.resolve(sym[1]), sym[2])
        if kind == FUNC:
            return Value(FUNCTION, target=sym[1])
        if kind == SELF:
            return Value(PROJECT_INSTANCE, target=sym[1])
        if kind == INST:
            return self.instance(self.resolve(sym[1]))
        if kind == CLASS:
            return Value(KLASS, target=sym[1])
        if kind == ITEM:
            return self.method_result(self.resolve(sym[1]), "__getitem__")
        if kind == DIV:
            return self.method_result(self.resolve(sym[1]), "__truediv__")
        if kind == EITHER:
            for option in sym[1]:
                value = self.resolve(option)
                if value.kind != UNKNOWN:
                    return value
            return _UNKNOWN
        if kind == DEP:
            return self.dependency(self.resolve(sym[1]))
        if kind == SUPER:
            return Value(SUPER_OF, target=sym[1])
        return _UNKNOWN

    def _once(
        self, key: _Key, cache: dict[_Key, Value] | None, compute: Callable[[], Value]
    ) -> Value:
        """`compute()`, kept in `cache` when given; UNKNOWN when `key` is already being
        computed, so that cycles in the project (`a = b`, `b = a`) end."""
        if key in self._active:
            return _UNKNOWN
        self._active.add(key)
        try:
            value = compute()
        finally:
            self._active.discard(key)
        if cache is not None:
            cache[key] = value
        return value

    def name(self, dotted: str) -> Value:
        """A dotted name from an import: a project module's content, or an external name."""
        found = self._names.get(dotted)
        if found is not None:
            return found
        return self._once(dotted, self._names, lambda: self._name(dotted))

    def _name(self, dotted: str) -> Value:
        parts = dotted.split(".")
        for depth in range(len(parts), 0, -1):
            module = self.modules.get(".".join(parts[:depth]))
            if module is not None:
                value = Value(MODULE, target=module)
                for attribute in parts[depth:]:
                    value = self.attribute(value, attribute)
                return value
        return Value(EXTERNAL, dotted)

    def global_(self, module: ModuleFacts, name: str, builtin: bool = True) -> Value:
        key = (id(module), name)
        found = self._globals.get(key)
        if found is not None:
            return found
        return self._once(key, self._globals, lambda: self._global(module, name, builtin))

    def _global(self, module: ModuleFacts, name: str, builtin: bool) -> Value:
        sym = module.symbols.get(name)
        if sym is not None:
            return self.resolve(sym)
        for star in module.star_imports:
            source = self.name(star)
            if source.kind == MODULE:
                value = self.global_(source.target, name, builtin=False)
                if value.kind != UNKNOWN:
                    return value
        if builtin and name in _BUILTINS:
            return Value(EXTERNAL, name)
        return _UNKNOWN

    def attribute(self, value: Value, name: str) -> Value:
        kind = value.kind
        if kind == EXTERNAL:
            return Value(EXTERNAL, f"{value.name}.{name}")
        if kind == INSTANCE:
            return Value(MEMBER, f"{value.name}.{name}")
        if kind in (PROJECT_INSTANCE, KLASS):
            return self.member(value.target, name, kind == PROJECT_INSTANCE)
        if kind == MODULE:
            module: ModuleFacts = value.target
            if name in module.symbols or module.star_imports:
                found = self.global_(module, name, builtin=False)
                if found.kind != UNKNOWN or name in module.symbols:
                    return found
            submodule = self.modules.get(f"{module.name}.{name}")
            return Value(MODULE, target=submodule) if submodule is not None else _UNKNOWN
        if kind == MEMBER:
            return self.attribute(self.as_instance(value), name)
        if kind == SUPER_OF:
            return self.member(value.target, name, True, skip_self=True)
        return _UNKNOWN

    def member(
        self, owner: ClassFacts, name: str, instance: bool, skip_self: bool = False
    ) -> Value:
        key = (id(owner), name, instance and not skip_self)
        cache = None if skip_self else self._members
        found = None if cache is None else cache.get(key)
        if found is not None:
            return found
        return self._once(key, cache, lambda: self._member(owner, name, instance, skip_self))

    def _member(self, owner: ClassFacts, name: str, instance: bool, skip_self: bool) -> Value:
        classes = self.mro(owner)[1:] if skip_self else self.mro(owner)
        for klass in classes:
            method = klass.methods.get(name)
            if method is not None:
                if method.is_property and instance:
                    return self.function_result(method)
                return Value(FUNCTION, target=method)
            for sym in klass.attributes.get(name, ()):
                value = self.resolve(sym)
                if value.kind != UNKNOWN:
                    return self.instance(value) if value.kind == KLASS and instance else value
        bases = self.external_bases(owner)
        return Value(MEMBER, f"{bases[0]}.{name}") if bases else _UNKNOWN

    def mro(self, owner: ClassFacts) -> list[ClassFacts]:
        found = self._mro.get(id(owner))
        if found is not None:
            return found
        self._mro[id(owner)] = [owner]  # a class inheriting from itself stops here
        order = [owner]
        external: list[str] = []
        for base in owner.bases:
            value = self.resolve(base)
            if value.kind == KLASS:
                for klass in self.mro(value.target):
                    if klass not in order:
                        order.append(klass)
                external.extend(self.external_bases(value.target))
            elif value.kind in (EXTERNAL, MEMBER):
                external.append(self.rules.canonical(value.name))
        self._mro[id(owner)] = order
        self._external_bases[id(owner)] = list(dict.fromkeys(external))
        return order

    def external_bases(self, owner: ClassFacts) -> list[str]:
        self.mro(owner)
        return self._external_bases.get(id(owner), [])

    def as_instance(self, value: Value) -> Value:
        """A MEMBER used as an object: the attribute's type, when the table knows it."""
        if value.kind != MEMBER:
            return value
        attributes = self.rules.attributes
        owner = value.name.rpartition(".")[0]
        found = attributes.get(value.name) or attributes.get(f"{owner}.*")
        if found is None:
            canonical = self.rules.canonical(value.name)
            if canonical != value.name:
                found = attributes.get(canonical)
        return Value(INSTANCE, found) if found else _UNKNOWN

    def call_result(self, value: Value, class_sym: Sym = UNKNOWN_SYM) -> Value:
        kind = value.kind
        if kind in (EXTERNAL, MEMBER):
            key = self.rules.canonical(value.name)
            if class_sym is not UNKNOWN_SYM and class_sym[0] != 0:
                chosen = self.resolve(class_sym)
                if chosen.kind == EXTERNAL:
                    pair = (key, self.rules.canonical(chosen.name))
                    built = table.CLASS_ARGUMENT_RETURNS.get(pair)
                    if built is not None:
                        return Value(INSTANCE, built)
            returned = self.rules.returns.get(key)
            if returned is not None:
                return Value(INSTANCE, returned)
            if key in self.rules.known_types:
                return Value(INSTANCE, key)
            return _UNKNOWN
        if kind == FUNCTION:
            configured = self.rules.returns.get(value.target.name)
            if configured is not None:
                return Value(INSTANCE, configured)
            return self.function_result(value.target, called=True)
        if kind == KLASS:
            return Value(PROJECT_INSTANCE, target=value.target)
        if kind in (INSTANCE, PROJECT_INSTANCE):
            return self.method_result(value, "__call__")
        return _UNKNOWN

    def method_result(self, value: Value, method: str) -> Value:
        if value.kind == MEMBER:
            value = self.as_instance(value)
        if value.kind == INSTANCE:
            returned = self.rules.returns.get(f"{value.name}.{method}")
            return Value(INSTANCE, returned) if returned else _UNKNOWN
        if value.kind == PROJECT_INSTANCE:
            found = self.member(value.target, method, True)
            if found.kind == FUNCTION:
                return self.function_result(found.target)
        return _UNKNOWN

    def instance(self, value: Value) -> Value:
        """An object of the class `value` names (from an annotation)."""
        if value.kind in (EXTERNAL, MEMBER):
            return Value(INSTANCE, self.rules.canonical(value.name))
        if value.kind == KLASS:
            return Value(PROJECT_INSTANCE, target=value.target)
        return _UNKNOWN

    def dependency(self, value: Value) -> Value:
        """What `Depends(value)` injects: a dependency's return value, or what it yields."""
        if value.kind == FUNCTION and value.target.is_generator:
            return self.yielded(value.target)
        return self.call_result(value)

    def function_result(self, function: FunctionFacts, called: bool = False) -> Value:
        if called and function.is_generator:
            if self.is_context_manager(function):
                return self.yielded(function)
            return _UNKNOWN  # a generator object
        key = id(function)
        found = self._results.get(key)
        if found is not None:
            return found
        return self._once(key, self._results, lambda: self._returned(function))

    def _returned(self, function: FunctionFacts) -> Value:
        if function.return_annotation is not None:
            value = self.instance(self.resolve(function.return_annotation))
            if value.kind != UNKNOWN:
                return value
        return _UNKNOWN if function.is_generator else self._common(function.returns)

    def yielded(self, function: FunctionFacts) -> Value:
        if function.yield_annotation is not None:
            value = self.instance(self.resolve(function.yield_annotation))
            if value.kind != UNKNOWN:
                return value
        return self._once(("yield", id(function)), None, lambda: self._common(function.yields))

    def _common(self, syms: Sequence[Sym]) -> Value:
        """The one object type all these values have, if they agree."""
        found: set[Value] = set()
        for sym in syms:
            value = self.resolve(sym)
            if value.kind == MEMBER:
                value = self.as_instance(value)
            if value.kind in (INSTANCE, PROJECT_INSTANCE):
                found.add(value)
        return found.pop() if len(found) == 1 else _UNKNOWN

    def is_context_manager(self, function: FunctionFacts) -> bool:
        for decorator in function.decorators:
            value = self.resolve(decorator)
            if value.kind == EXTERNAL and value.name in table.CONTEXT_MANAGER_DECORATORS:
                return True
        return False

    def key(self, value: Value) -> str | None:
        """The qualified name the rule tables use for a callee."""
        kind = value.kind
        if kind == EXTERNAL:
            return self.rules.canonical(value.name)
        if kind == MEMBER:
            owner, _, method = value.name.rpartition(".")
            return f"{self.rules.canonical(owner)}.{method}"
        if kind == INSTANCE:
            return f"{value.name}.__call__"
        if kind == FUNCTION:
            return str(value.target.name)
        if kind == KLASS:
            klass: ClassFacts = value.target
            return f"{klass.module.name}.{klass.qualname}"
        return None


# Analysis --------------------------------------------------------------------------------


class ProjectAnalysis:
    """The analysed project: ask it for findings, or for one function's blocking calls."""

    def __init__(
        self,
        modules: list[ModuleFacts],
        aliases: Mapping[str, list[str]],
        by_path: Mapping[str, ModuleFacts],
        config: CheckConfig,
        errors: list[FileError],
    ) -> None:
        self.modules = modules
        self.config = config
        self.errors = errors
        self.files_checked = len(modules)
        self._by_path = dict(by_path)
        self._rules = _Rules(config)
        self._resolver = _Resolver(modules, aliases, self._rules)
        self._facets: dict[int, list[_Facet]] = {}
        self._escapes: dict[tuple[int, int], frozenset[int | str]] = {}
        self._summaries: dict[FunctionFacts, dict[str, _Path]] = {}
        self._functions = [  # modules come sorted; functions by place within each
            function for module in modules for function in sorted(module.functions, key=_place)
        ]

    def findings(self) -> list[Finding]:
        """Blocking calls in `async def` (direct and via project helpers) and dropped
        coroutines, sorted."""
        found: list[Finding] = []
        with _deep_recursion(), _no_cyclic_gc():
            for function in self._functions:
                found.extend(self._unawaited(function))
                if function.is_async:
                    found.extend(self._blocking(function))
        return sorted(found, key=Finding.sort_key)

    def blocking_calls(self, module_file: Path | str, function_qualname: str) -> list[Finding]:
        """The blocking calls `function_qualname` would make if it ran on the event loop,
        directly or through the project's sync functions; the chains start at its calls."""
        module = self._module(module_file)
        wanted = {function_qualname, function_qualname.replace("<locals>.", "")}
        for function in module.functions:
            if function.qualname in wanted or function.qualname.replace("<locals>.", "") in wanted:
                with _deep_recursion():
                    return sorted(self._blocking(function), key=Finding.sort_key)
        raise UnknownFunctionError(f"{module.path}: no function {function_qualname!r}")

    def _module(self, module_file: Path | str) -> ModuleFacts:
        text = Path(module_file).as_posix() if isinstance(module_file, Path) else module_file
        text = text.replace("\\", "/")
        candidates = [text, str(Path(text).resolve()) if not text.startswith("/") else text]
        for candidate in candidates:
            if candidate in self._by_path:
                return self._by_path[candidate]
        matches = {m for key, m in self._by_path.items() if key.endswith("/" + text)}
        if len(matches) == 1:
            return matches.pop()
        raise UnknownFunctionError(f"{module_file}: not among the analysed files")

    # Call sites ------------------------------------------------------------------------

    def _facets_of(self, function: FunctionFacts) -> list[_Facet]:
        found = self._facets.get(id(function))
        if found is None:
            found = [self._facet(function, site) for site in function.calls]
            self._facets[id(function)] = found
        return found

    def _facet(self, function: FunctionFacts, site: CallSite) -> _Facet:
        resolver = self._resolver
        value = resolver.resolve(site.callee)
        key = resolver.key(value)
        rule: BlockingRule | None = None
        edge: FunctionFacts | None = None
        coroutine = False
        rules = self._rules
        if value.kind == FUNCTION:
            target: FunctionFacts = value.target
            if target.is_async:
                coroutine = (
                    not target.is_generator and not target.is_stub and self._keeps_coroutine(target)
                )
            elif self._follows(function, site, target):
                edge = target
        elif value.kind == KLASS:
            init = resolver.member(value.target, "__init__", True)
            if init.kind == FUNCTION and not init.target.is_async:
                edge = init.target if self._follows(function, site, init.target) else None
            elif init.kind == MEMBER:
                key = resolver.key(Value(EXTERNAL, init.name.rpartition(".")[0])) or key
        elif value.kind == PROJECT_INSTANCE:
            call = resolver.member(value.target, "__call__", True)
            if call.kind == FUNCTION and not call.target.is_async:
                edge = call.target if self._follows(function, site, call.target) else None
        if key is not None and key in rules.safe:
            edge = None
        elif key is not None:
            if site.usage != AWAITED and not site.nonblocking:  # only awaitables are awaited
                rule = rules.blocking_rule(key)
                if rule is not None and key in table.LAZY_CALLS:
                    rule = rule if self._iterated_here(function, site) else None
            if rule is not None:
                edge = None
            coroutine = coroutine or rules.is_async_api(key)
        edges: tuple[FunctionFacts, ...] = (edge,) if edge is not None else ()
        if site.passed:
            edges += self._passed_functions(site, key)
        return _Facet(key, rule, edges, coroutine)

    def _passed_functions(self, site: CallSite, key: str | None) -> tuple[FunctionFacts, ...]:
        """Sync project functions handed to a caller that runs them here (`map(fetch, urls)`,
        `sorted(key=score)`, `loop.call_soon(refresh)`)."""
        positions = table.RUNS_GIVEN_FUNCTION.get(key or "")
        if positions is None and site.callee[0] != GLOB:
            positions = table.RUNS_GIVEN_FUNCTION.get(f"*.{_method_name(site.callee)}")
        positions = positions or ()
        found: list[FunctionFacts] = []
        for position, sym in site.passed:
            if position in positions:
                value = self._resolver.resolve(sym)
                target = value.target if value.kind == FUNCTION else None
                if (
                    target is not None
                    and not target.is_async
                    and not target.is_generator
                    and target.name not in self._rules.safe
                ):
                    found.append(target)
        return tuple(found)

    def _escape(self, function: FunctionFacts, index: int) -> frozenset[int | str]:
        """The argument positions (or names; `*`: any) whose callable the call at `index`
        runs off the event loop; empty if it is no escape hatch."""
        cache_key = (id(function), index)
        found = self._escapes.get(cache_key)
        if found is not None:
            return found
        self._escapes[cache_key] = frozenset()  # a recursive wrapper is no escape for itself
        site = function.calls[index]
        rules = self._rules
        value = self._resolver.resolve(site.callee)
        key = self._resolver.key(value)
        callee = site.callee
        method = _method_name(callee) if callee[0] in (ATTR, EXT) else None
        positions: frozenset[int | str] = frozenset()
        if key is not None and key in rules.escapes:
            position = rules.escapes[key]
            positions = frozenset((_ANY,) if position is None else (position,))
        elif method is not None and method in rules.escape_methods:
            positions = frozenset((rules.escape_methods[method],))
        elif value.kind == FUNCTION:
            positions = self._forwarded_to_escape(value.target, bound=callee[0] == ATTR)
        self._escapes[cache_key] = positions
        return positions

    def _forwarded_to_escape(self, function: FunctionFacts, bound: bool) -> frozenset[int | str]:
        """A project function that hands one of its parameters to an escape hatch is one
        too (`async def run_sync(fn): return await loop.run_in_executor(None, fn)`)."""
        names: set[str] = set()
        for index, site in enumerate(function.calls):
            for position, forwarded in site.forwarded:
                if _matches(self._escape(function, index), position):
                    if isinstance(forwarded, str):
                        names.add(forwarded)
                    else:  # a nested function that calls the parameter in the thread
                        names.update(p for p in function.parameters if p in forwarded.loaded_names)
        offset = 1 if bound and function.is_bound else 0
        positions: set[int | str] = set(names)
        for name in names:
            index = function.parameters.index(name) - offset
            if index >= 0:
                positions.add(index)
        return frozenset(positions)

    def _follows(self, caller: FunctionFacts, site: CallSite, target: FunctionFacts) -> bool:
        """Whether calling `target` at `site` runs its body here."""
        resolver = self._resolver
        for decorator in target.decorators:
            key = resolver.key(resolver.resolve(decorator))
            if key is not None and key in self._rules.safe:
                return False
        if target.is_generator and not resolver.is_context_manager(target):
            return self._iterated_here(caller, site)
        return not (site.usage == AWAITED and target.decorators)

    def _iterated_here(self, caller: FunctionFacts, site: CallSite) -> bool:
        """Whether the iterator a call returns is consumed where it is made."""
        if site.usage == ITERATED:
            return True
        if site.usage == ARGUMENT and site.parent >= 0:
            parent = self._resolver.resolve(caller.calls[site.parent].callee)
            return parent.kind == EXTERNAL and parent.name in table.ITERATOR_CONSUMERS
        return False

    def _keeps_coroutine(self, function: FunctionFacts) -> bool:
        """An `async def` stays a coroutine function unless a decorator may wrap it."""
        for decorator in function.decorators:
            key = self._resolver.key(self._resolver.resolve(decorator))
            if key not in table.COROUTINE_PRESERVING_DECORATORS:
                return False
        return True

    def _guarded(self, function: FunctionFacts, site: CallSite) -> bool:
        """Whether the call sits in a lambda handed to an escape hatch."""
        return any(
            _matches(self._escape(function, index), position) for index, position in site.guards
        )

    # Findings --------------------------------------------------------------------------

    def _unawaited(self, function: FunctionFacts) -> Iterator[Finding]:
        facets: list[_Facet] | None = None
        for index, site in enumerate(function.calls):
            if site.usage != STATEMENT and site.usage != DROPPED:
                continue
            if facets is None:
                facets = self._facets_of(function)
            facet = facets[index]
            if not facet.coroutine or facet.key is None:
                continue
            value = self._resolver.resolve(site.callee)
            rule = table.UNAWAITED_PROJECT if value.kind == FUNCTION else table.UNAWAITED_API
            if not self.config.enabled(rule.code) or function.module.silenced(site.line, rule.code):
                continue
            yield self._finding(function, site, rule, facet.key, [facet.key], f"{facet.key}()")

    def _blocking(self, function: FunctionFacts) -> list[Finding]:
        facets = self._facets_of(function)
        self._summarise([edge for facet in facets for edge in facet.edges])
        found: list[Finding] = []
        module = function.module
        for site, facet in zip(function.calls, facets, strict=True):
            if facet.rule is None and not facet.edges:
                continue
            if site.guards and self._guarded(function, site):
                continue
            rule, key = facet.rule, facet.key
            if rule is not None and key is not None and not module.silenced(site.line, rule.code):
                found.append(self._finding(function, site, rule, key, [key]))
            for edge in facet.edges:
                for code, path in sorted(self._summaries[edge].items()):
                    if not module.silenced(site.line, code):
                        chain = [edge.name, *path.chain]
                        found.append(self._finding(function, site, path.rule, chain[-1], chain))
        return found

    def _finding(
        self,
        function: FunctionFacts,
        site: CallSite,
        rule: BlockingRule,
        call: str,
        chain: list[str],
        subject: str | None = None,
    ) -> Finding:
        module = function.module
        return Finding(
            code=rule.code,
            file=module.path,
            line=site.line,
            col=module.column(site.line, site.col),
            call=call,
            chain=chain,
            message=f"{subject or call} {rule.summary}",
            fix=rule.fix,
        )

    def _direct(self, function: FunctionFacts) -> dict[str, _Path]:
        """The blocking calls a function makes itself, one per code (the first by name)."""
        best: dict[str, _Path] = {}
        facets = self._facets_of(function)
        module = function.module
        for site, facet in zip(function.calls, facets, strict=True):
            rule = facet.rule
            if rule is None or facet.key is None or module.silenced(site.line, rule.code):
                continue
            if site.guards and self._guarded(function, site):
                continue
            candidate = _Path(1, (facet.key,), rule)
            current = best.get(rule.code)
            if current is None or candidate.chain < current.chain:
                best[rule.code] = candidate
        return best

    def _edges(self, function: FunctionFacts) -> list[FunctionFacts]:
        facets = self._facets_of(function)
        return [
            edge
            for site, facet in zip(function.calls, facets, strict=True)
            if facet.edges and not (site.guards and self._guarded(function, site))
            for edge in facet.edges
        ]

    def _summarise(self, roots: Iterable[FunctionFacts]) -> None:
        """Shortest chains from each sync function reachable from `roots` to each kind of
        blocking call, computed to a fixpoint so cycles and file order do not matter."""
        pending = [f for f in roots if f not in self._summaries]
        if not pending:
            return
        explored: dict[FunctionFacts, list[FunctionFacts]] = {}
        while pending:
            function = pending.pop()
            if function in explored or function in self._summaries:
                continue
            edges = self._edges(function)
            explored[function] = edges
            pending.extend(e for e in edges if e not in explored and e not in self._summaries)
        best = {function: self._direct(function) for function in explored}
        order = sorted(explored, key=lambda f: (f.module.name, f.line, f.col, f.qualname))
        changed = True
        while changed:
            changed = False
            for function in order:
                current = best[function]
                for target in explored[function]:
                    summary = self._summaries.get(target)
                    if summary is None:
                        summary = best[target]
                    for code, path in summary.items():
                        chain = (target.name, *path.chain)
                        known = current.get(code)
                        if known is None or (path.length + 1, chain) < (known.length, known.chain):
                            current[code] = _Path(path.length + 1, chain, path.rule)
                            changed = True
        self._summaries.update(best)
