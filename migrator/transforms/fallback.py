"""The fallback mount: the routes the codemod left behind keep serving from Flask.

Runs after every file is converted (it needs the whole run's routes). When some route is
`unsupported`, the output project gets:

- a copy of the original Flask package beside the migrated one, `<pkg>_flask_legacy`
  (or `<module>_flask_legacy.py` for a one-file project), with the package's own absolute
  imports pointed at the copy, data files (templates, static) included;
- the generated module `flask_fallback.py` beside `flask_compat.py`, listing the
  left-behind views (`LEFT_BEHIND`: not registered on the FastAPI app);
- `flask_fallback.mount(app, "<pkg>_flask_legacy.<module>:<app or factory>", ...)` right
  after each `flask_compat.install(app, ...)`: the Flask app, mounted with a2wsgi after every
  native route, answers whatever FastAPI does not route natively.

A second run reuses the copy found beside SRC (the migrated package no longer holds the
Flask code) and finds the mount call already there, so it changes nothing.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import libcst as cst

from migrator.transforms.post_pass import add_after_install, add_generated

if TYPE_CHECKING:
    from migrator.codemod import FileResult, MigrationResult

LEGACY_SUFFIX = "_flask_legacy"
FALLBACK_NAME = "flask_fallback"
MOUNT_NOTE = "served by the Flask fallback mount (a2wsgi) until converted"
_SKIP = {"__pycache__", ".git"}


@dataclass(frozen=True)
class _Layout:
    package: str  # the migrated top-level module or package ("httpbin")
    legacy: str  # its copy's name ("httpbin_flask_legacy")
    source: Path  # where the Flask code to copy is (SRC, or the copy beside it)
    is_package: bool


def fallback_source(left_behind: list[str]) -> str:
    """The generated `flask_fallback.py`, listing the views it keeps off the FastAPI app."""
    text = resources.files("migrator.templates").joinpath(f"{FALLBACK_NAME}.py").read_text()
    entries = "".join(f"        {json.dumps(symbol)},\n" for symbol in sorted(set(left_behind)))
    listed = f"frozenset(\n    {{\n{entries}    }}\n)" if entries else "frozenset()"
    return text.replace("LEFT_BEHIND: frozenset[str] = frozenset()", f"LEFT_BEHIND = {listed}")


def apply_fallback(result: MigrationResult) -> None:
    """Add the copy, the generated module and the mount calls when a route was left behind."""
    left = [route for route in result.routes if route.status == "unsupported"]
    if not left:
        return
    facts = result.facts
    layout = _layout(facts.src, facts.import_root)
    if layout is None:
        result.notes.append(
            f"{len(left)} unsupported route(s) are not served: the fallback mount needs a "
            "package or a single module (a folder of top-level modules cannot be imported "
            "twice, as Flask and as FastAPI)"
        )
        return
    for route in left:
        route.notes.append(MOUNT_NOTE)
    mounted = _add_mount_calls(result, layout)
    if not mounted:
        result.notes.append(
            f"{len(left)} unsupported route(s) are not served: no `flask_compat.install(app)` "
            "at module level or in a top-level factory to mount the Flask app on"
        )
        return
    compat_dir = facts.compat_relpath.rpartition("/")[0]
    fallback_relpath = f"{compat_dir}/{FALLBACK_NAME}.py" if compat_dir else f"{FALLBACK_NAME}.py"
    add_generated(
        result,
        fallback_relpath,
        fallback_source([r.symbol for r in left]),
        "generated fallback mount",
        regenerate=False,  # the team moves views out of LEFT_BEHIND as it converts them
    )
    _add_copy(result, layout)
    served = ", ".join(f"{'/'.join(r.methods)} {r.rule}" for r in left[:12])
    more = f" and {len(left) - 12} more" if len(left) > 12 else ""
    result.notes.append(
        f"{len(left)} route(s) left behind are served by the original Flask app, copied to "
        f"`{layout.legacy}` and mounted with a2wsgi after every native route "
        f"(`{FALLBACK_NAME}.mount` in {', '.join(mounted)}): {served}{more}"
    )


def _layout(src: Path, import_root: Path) -> _Layout | None:
    src = src.resolve()
    if src.is_file():
        name = src.stem
        copy = src.parent / f"{name}{LEGACY_SUFFIX}.py"
        return _Layout(name, name + LEGACY_SUFFIX, copy if copy.exists() else src, False)
    if not (src / "__init__.py").exists() or src.parent.resolve() != import_root.resolve():
        return None
    copy = src.parent / f"{src.name}{LEGACY_SUFFIX}"
    return _Layout(src.name, src.name + LEGACY_SUFFIX, copy if copy.is_dir() else src, True)


def _add_copy(result: MigrationResult, layout: _Layout) -> None:
    """The Flask code beside the migrated package: `.py` files as results, the rest copied."""
    from migrator.codemod import FileResult

    root = result.facts.src.resolve().parent
    files: list[FileResult] = []
    if not layout.is_package:
        sources = [(layout.source, f"{layout.legacy}.py")]
    else:
        sources = [
            (path, f"{layout.legacy}/{path.relative_to(layout.source).as_posix()}")
            for path in sorted(layout.source.rglob("*"))
            if path.is_file() and not _SKIP & set(path.relative_to(layout.source).parts)
        ]
    for path, relpath in sources:
        if path.suffix != ".py":
            result.copies.append((path, relpath))
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            result.copies.append((path, relpath))
            continue
        new = retarget_imports(text, layout.package, layout.legacy, result.facts.modules)
        target = root / relpath
        if target.exists() and target.read_text(errors="replace") == new:
            files.append(FileResult(relpath, "unchanged"))
        else:
            files.append(FileResult(relpath, "converted", old="", new=new))
    if files:
        files[0].notes.append(
            f"the original Flask code, kept for the fallback mount as `{layout.legacy}`"
        )
    result.files.extend(files)
    result.files.sort(key=lambda f: f.relpath)


def retarget_imports(
    text: str, package: str, legacy: str, modules: frozenset[str] = frozenset()
) -> str:
    """Point the absolute imports of `package` at `legacy`, and the strings that name one of
    its `modules` (`import_module("pkg.x")`, `"pkg.x:app"`, a `"pkg.x."` prefix), leaving
    everything else (`"pkg.log"`, a file name) as is."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    lines = text.splitlines(keepends=True)
    edits: list[tuple[int, int, int, int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == package or node.module.startswith(package + "."):
                segment = ast.get_source_segment(text, node)
                if segment is None:
                    continue
                pattern = re.compile(rf"(from\s+){re.escape(package)}(?=[.\s])")
                replaced = pattern.sub(rf"\g<1>{legacy}", segment, count=1)
                edits.append(_edit(node, replaced))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            named = node.value.partition(":")[0].rstrip(".")
            if _ours(named, package) and named in modules:
                segment = ast.get_source_segment(text, node)
                start = _string_start(segment) if segment is not None else -1
                if segment is not None and start >= 0 and segment[start:].startswith(package):
                    replaced = segment[:start] + legacy + segment[start + len(package) :]
                    edits.append(_edit(node, replaced))
        elif isinstance(node, ast.Import):
            if not any(_ours(alias.name, package) for alias in node.names):
                continue
            names = []
            for alias in node.names:
                if not _ours(alias.name, package):
                    names.append(alias.name + (f" as {alias.asname}" if alias.asname else ""))
                elif alias.asname:
                    names.append(f"{legacy}{alias.name[len(package) :]} as {alias.asname}")
                elif alias.name == package:
                    names.append(f"{legacy} as {package}")
                else:  # `import pkg.sub` binds `pkg`: import the copy's sub, bind `pkg` to it
                    names += [f"{legacy}{alias.name[len(package) :]}", f"{legacy} as {package}"]
            edits.append(_edit(node, "import " + ", ".join(names)))
    for line, col, end_line, end_col, new in sorted(edits, reverse=True):
        head = "".join(lines[: line - 1]) + lines[line - 1][:col]
        tail = lines[end_line - 1][end_col:] + "".join(lines[end_line:])
        rebuilt = head + new + tail
        lines = rebuilt.splitlines(keepends=True)
    return "".join(lines)


def _string_start(segment: str) -> int:
    """Where a string literal's text starts, after its prefix and quotes; -1 if unsure."""
    match = re.match(r"[rRuU]?('''|\"\"\"|'|\")", segment)
    return match.end() if match else -1


def _ours(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _edit(node: ast.stmt | ast.expr, new: str) -> tuple[int, int, int, int, str]:
    assert node.end_lineno is not None and node.end_col_offset is not None
    return (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset, new)


# --- calls after `flask_compat.install(app, ...)` ---------------------------------------------


def _add_mount_calls(result: MigrationResult, layout: _Layout) -> list[str]:
    """After each `<compat>.install(app, ...)`, `flask_fallback.mount(app, target, ...)`."""
    facts = result.facts
    compat_package = facts.compat_module.rpartition(".")[0]
    fallback_module = f"{compat_package}.{FALLBACK_NAME}" if compat_package else FALLBACK_NAME
    modules = {file.relpath: file.module for file in facts.files}

    def make(relpath: str, app: str, function: cst.FunctionDef | None) -> str:
        legacy_module = layout.legacy + modules[relpath][len(layout.package) :]
        return _mount_code(app, legacy_module, function)

    return add_after_install(result, fallback_module, make, f"{FALLBACK_NAME}.mount")


def _mount_code(app: str, legacy_module: str, function: cst.FunctionDef | None) -> str:
    if function is None:
        return f'{FALLBACK_NAME}.mount({app}, "{legacy_module}:{app}")\n'
    target = f"{legacy_module}:{function.name.value}"
    params = function.params
    args = [p.name.value for p in params.posonly_params]
    args += [f"{p.name.value}={p.name.value}" for p in params.params]
    if isinstance(params.star_arg, cst.Param):
        args.append(f"*{params.star_arg.name.value}")
    args += [f"{p.name.value}={p.name.value}" for p in params.kwonly_params]
    if params.star_kwarg is not None:
        args.append(f"**{params.star_kwarg.name.value}")
    extra = "".join(f", {arg}" for arg in args)
    return f'{FALLBACK_NAME}.mount({app}, "{target}"{extra})\n'
