"""`migrate SRC`: gather → transform (in parallel) → write, and the result the report shows.

1. Gather (`project.gather`): one sequential pass over every file in sorted order, with
   `ast`, for the cross-file facts (apps, blueprints, prefixes, views registered elsewhere).
2. Transform (`convert_file`): each file on its own, in a process pool of `jobs` workers;
   every worker gets the same facts, so the output does not depend on `jobs` or order.
3. Write (`write_result`): atomically (temp file + `os.replace`), in place or under `--out`;
   the generated support modules are written beside the package: the core, and each
   optional one (`flask_templates`, `flask_views`) that a converted file imports.
"""

from __future__ import annotations

import ast
import difflib
import multiprocessing
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import libcst as cst
from libcst.codemod import CodemodContext

from migrator import templates
from migrator.errors import UserError
from migrator.project import (
    COMPAT_MARKER,
    ProjectFacts,
    SourceFile,
    gather,
    is_generated_compat,
    read_source,
)
from migrator.rules import Rule
from migrator.transforms import CONCERNS, FileState, FlaskToFastAPI, RouteRecord

FileStatus = Literal["converted", "unchanged", "error"]


@dataclass
class FileResult:
    """What happened to one file."""

    relpath: str
    status: FileStatus
    error: str | None = None
    old: str | None = None
    new: str | None = None
    routes: list[RouteRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


@dataclass
class MigrationResult:
    """The whole run: facts, per-file results, blocking-call findings."""

    facts: ProjectFacts
    files: list[FileResult]
    findings: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    spec: str | None = None
    copies: list[tuple[Path, str]] = field(default_factory=list)  # (source, relpath): data files

    @property
    def routes(self) -> list[RouteRecord]:
        return [route for file in self.files for route in file.routes]

    @property
    def changed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "converted"]

    @property
    def errors(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "error"]


def compat_source() -> str:
    """The core support module's source, as the output project receives it."""
    return templates.source(templates.CORE)


# --- the per-file transform (runs in worker processes) -------------------------------------

_worker_facts: ProjectFacts | None = None
_worker_disabled: frozenset[Rule] = frozenset()


def _init_worker(facts: ProjectFacts, disabled: frozenset[Rule]) -> None:
    global _worker_facts, _worker_disabled
    _worker_facts = facts
    _worker_disabled = disabled


def _convert_index(index: int) -> FileResult:
    assert _worker_facts is not None
    return convert_file(_worker_facts, _worker_facts.files[index], _worker_disabled)


def convert_file(facts: ProjectFacts, file: SourceFile, disabled: frozenset[Rule]) -> FileResult:
    """Rewrite one file; never raises for a bad input file (the result says what happened)."""
    if file.relpath in facts.errors:
        return FileResult(file.relpath, "error", facts.errors[file.relpath])
    if file.relpath not in facts.relevant:
        return FileResult(file.relpath, "unchanged")
    try:
        old = read_source(file.path)
    except UserError as error:
        return FileResult(file.relpath, "error", str(error).partition(": ")[2] or str(error))
    try:
        tree = cst.parse_module(old)
    except cst.ParserSyntaxError as error:
        return FileResult(
            file.relpath, "error", f"does not parse (line {error.raw_line}): {error.message}"
        )
    state = FileState(facts, file, disabled, old)
    context = CodemodContext(filename=str(file.path), full_module_name=file.module)
    command = FlaskToFastAPI.for_file(context, state, CONCERNS)
    try:
        new = command.transform_module(tree).code
    except Exception as error:  # a bug of ours: report it, leave the file, convert the rest
        return FileResult(
            file.relpath, "error", f"internal error: {type(error).__name__}: {error}".strip()
        )
    try:
        compile(new, file.relpath, "exec")
    except SyntaxError as error:  # a bug of ours: keep the file as it was, say so
        return FileResult(
            file.relpath, "error", f"internal error: the converted code does not compile ({error})"
        )
    status: FileStatus = "converted" if new != old else "unchanged"
    return FileResult(
        file.relpath,
        status,
        old=old,
        new=new if status == "converted" else None,
        routes=state.routes,
        notes=state.notes,
        rules=sorted(rule.value for rule in state.applied),
    )


# --- the run ---------------------------------------------------------------------------


def migrate(
    src: Path,
    *,
    jobs: int = 1,
    disabled: frozenset[Rule] = frozenset(),
    progress: Callable[[int, int], None] | None = None,
    spec: Path | None = None,
) -> MigrationResult:
    """Gather facts and convert every file of the project at `src` (nothing is written)."""
    facts = gather(src)
    compat = facts.import_root / Path(*facts.compat_module.split(".")).with_suffix(".py")
    migrated_before = compat.exists() and is_generated_compat(compat.read_text(errors="replace"))
    if not facts.imports_flask and not facts.objects and not facts.errors and not migrated_before:
        raise UserError(f"{src}: no Flask app found (no file imports flask or werkzeug)")
    decide_async(facts)
    indexes = list(range(len(facts.files)))
    results = _run(facts, indexes, jobs, disabled, progress)
    result = MigrationResult(facts, results)
    if any(r.status == "converted" for r in results) or facts.objects:
        result.files.append(_compat_result(facts))
    result.files.sort(key=lambda f: f.relpath)
    if facts.checker_note:
        result.notes.append(facts.checker_note)
    sync_views = {route.symbol for route in result.routes if not route.is_async}
    findings: dict[tuple[str, int, int, str, tuple[str, ...]], dict[str, object]] = {}
    for symbol, found in facts.blocking.items():
        if symbol not in sync_views:
            continue
        for finding in found:
            chain = finding["chain"]
            steps = tuple(str(step) for step in chain) if isinstance(chain, list) else ()
            line, col = finding["line"], finding["col"]
            key = (
                str(finding["file"]),
                line if isinstance(line, int) else 0,
                col if isinstance(col, int) else 0,
                str(finding["code"]),
                steps,
            )
            findings[key] = finding
    result.findings = [findings[key] for key in sorted(findings)]
    if spec is not None and Rule.SPEC_MODELS not in disabled:
        from migrator.models import apply_spec

        apply_spec(result, spec)
    if Rule.BODY_MODELS not in disabled:
        from migrator.transforms.body_models import apply_body_models

        apply_body_models(result)
    if Rule.FALLBACK not in disabled:
        from migrator.transforms.fallback import apply_fallback

        apply_fallback(result)
    if Rule.CLI not in disabled:
        from migrator.transforms.cli import apply_cli

        apply_cli(result)
    add_optional_support(result)
    return result


def decide_async(facts: ProjectFacts) -> None:
    """Views that may become `async def`: the checker finds nothing blocking in them."""
    try:
        from migrator.blocking import UnknownFunctionError, analyze_paths
    except ImportError:  # the checker is optional: without it every handler stays `def`
        facts.checker_note = (
            "every handler is emitted as `def` (run in FastAPI's threadpool): the "
            "blocking-call checker is not available to prove a handler non-blocking"
        )
        return
    try:
        analysis = analyze_paths([facts.src], relative_to=facts.src.parent)
        decisions: dict[str, list[dict[str, object]]] = {}
        for symbol in sorted(facts.views):
            module, _, qualname = symbol.partition(":")
            file = facts.file_for_module(module)
            if file is None:
                continue
            try:
                found = analysis.blocking_calls(file.path, qualname)
            except (UnknownFunctionError, LookupError):
                continue
            decisions[symbol] = [finding.to_dict() for finding in found]
    except Exception as error:  # the checker is another module: never let it stop a run
        facts.checker_note = (
            f"the blocking-call checker failed ({type(error).__name__}: {error}); every "
            "handler is emitted as `def`"
        )
        return
    for symbol, found_calls in decisions.items():
        if found_calls:
            facts.blocking[symbol] = found_calls
        elif facts.views[symbol] == 0 and symbol not in facts.called:
            facts.async_views.add(symbol)


def _run(
    facts: ProjectFacts,
    indexes: list[int],
    jobs: int,
    disabled: frozenset[Rule],
    progress: Callable[[int, int], None] | None,
) -> list[FileResult]:
    """Convert the files; `progress(done, total)` after each."""
    results: list[FileResult] = []
    total = len(indexes)
    relevant = sum(1 for index in indexes if facts.files[index].relpath in facts.relevant)
    if jobs <= 1 or relevant < 2:
        for index in indexes:
            results.append(convert_file(facts, facts.files[index], disabled))
            if progress is not None:
                progress(len(results), total)
        return results
    chunk = max(1, min(16, len(indexes) // (jobs * 4) or 1))
    # Workers start from a clean process (not a fork of this one, whose progress bar runs a
    # thread): `forkserver` where there is one, else `spawn`.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(facts, disabled)
    ) as pool:
        for result in pool.map(_convert_index, indexes, chunksize=chunk):
            results.append(result)
            if progress is not None:
                progress(len(results), total)
    return results


def _compat_result(facts: ProjectFacts) -> FileResult:
    source = compat_source()
    existing = facts.import_root / Path(*facts.compat_module.split(".")).with_suffix(".py")
    relpath = facts.compat_relpath
    if existing.exists():
        old = existing.read_text(errors="replace")
        if old == source:
            return FileResult(relpath, "unchanged")
        if is_generated_compat(old):
            return FileResult(
                relpath,
                "unchanged",
                notes=[
                    "the support module exists and was edited: kept as is (delete it to regenerate)"
                ],
            )
    return FileResult(relpath, "converted", old="", new=source, notes=["generated support module"])


def add_optional_support(result: MigrationResult) -> None:
    """Write each optional support module (`flask_views`...) the converted project imports,
    and only those: a project gets the support code it uses."""
    from migrator.transforms.post_pass import add_generated

    facts = result.facts
    wanted = {facts.support_module(template): template for template in templates.OPTIONAL}
    used: set[str] = set()
    root = facts.src.resolve().parent
    # The project's files as converted, and the generated ones (the CLI runner imports
    # flask_commands) as written or as found from an earlier run.
    texts = {f.relpath: f.new for f in result.files if f.new is not None}
    packages = {f.relpath: f.package for f in facts.files}
    for file in facts.files:
        path = root / file.relpath
        if file.relpath not in texts and path.exists():
            texts[file.relpath] = path.read_text(errors="replace")
    for relpath, text in sorted(texts.items()):
        if any(module.rpartition(".")[2] in text for module in wanted):
            package = packages.get(relpath, facts.compat_module.rpartition(".")[0])
            used |= _imported_modules(text, package) & wanted.keys()
    for module in sorted(used):
        template = wanted[module]
        relpath = facts.support_relpath(template)
        text = templates.generated_source(template, facts.support_module)
        add_generated(
            result, relpath, text, f"generated support module ({template})", regenerate=False
        )


def _imported_modules(text: str, package: str) -> set[str]:
    """The modules `text` imports (`from a import b` counts `a` and `a.b`), absolute names."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return set()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".") if package else []
                parts = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" if base else alias.name for alias in node.names)
    return found


# --- writing ------------------------------------------------------------------------------


def check_clean_worktree(src: Path) -> None:
    """In-place conversion needs SRC in a git work tree with nothing uncommitted under it."""
    folder = src if src.is_dir() else src.parent
    try:
        top = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        top = None
    if top is None or top.returncode != 0:
        raise UserError(
            f"{src} is not in a git work tree, so an in-place rewrite could not be undone:"
            " use --out DIR, or --force"
        )
    status = subprocess.run(
        ["git", "-C", str(folder), "status", "--porcelain", "--", str(src)],
        capture_output=True,
        text=True,
        check=False,
    )
    if status.stdout.strip():
        raise UserError(
            f"{src} has uncommitted changes; commit or stash them first,"
            " or use --out DIR, or --force"
        )


def destination_root(src: Path, out: Path | None) -> Path:
    """The folder that plays SRC's parent: files go to `<root>/<relpath>`."""
    src = src.resolve()
    return src.parent if out is None else out.resolve()


def prepare_out(src: Path, out: Path, force: bool) -> None:
    """Copy SRC to OUT/<name of SRC> (every file, so data files and templates come along)."""
    src = src.resolve()
    target = out.resolve() / src.name
    exists = target.exists() and any(target.iterdir() if target.is_dir() else [target])
    if exists and not force:
        raise UserError(f"{target} already exists; choose another --out, or --force to overwrite")
    out.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        shutil.copytree(
            src,
            target,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".git"),
            dirs_exist_ok=True,
        )
    else:
        shutil.copy2(src, target)


def write_result(result: MigrationResult, root: Path) -> None:
    """Write every converted file under `root`, each atomically."""
    for file in result.files:
        if file.status == "converted" and file.new is not None:
            atomic_write(root / file.relpath, file.new)
    for source, relpath in result.copies:
        target = root / relpath
        if source.resolve() != target.resolve():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def atomic_write(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and `os.replace`: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def unified_diff(result: MigrationResult) -> str:
    """The changes as one unified diff, files in path order."""
    chunks: list[str] = []
    for file in result.files:
        if file.status != "converted" or file.new is None:
            continue
        chunks.extend(
            difflib.unified_diff(
                (file.old or "").splitlines(keepends=True),
                file.new.splitlines(keepends=True),
                fromfile=f"a/{file.relpath}" if file.old else "/dev/null",
                tofile=f"b/{file.relpath}",
            )
        )
    return "".join(chunks)


__all__ = [
    "COMPAT_MARKER",
    "FileResult",
    "MigrationResult",
    "atomic_write",
    "check_clean_worktree",
    "compat_source",
    "convert_file",
    "destination_root",
    "migrate",
    "prepare_out",
    "unified_diff",
    "write_result",
]
