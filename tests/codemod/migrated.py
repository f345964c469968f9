"""Run the codemod on a project and import the result, beside the original of the same name."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

from migrator import templates

# The generated support modules of a one-file (or folder) project, imported top-level.
SUPPORT_MODULES = (templates.CORE, *templates.OPTIONAL)
# Their files: expected trees leave them out (they are the templates' text, tested as such).
SUPPORT_FILES = tuple(f"{name}.py" for name in SUPPORT_MODULES)


@contextmanager
def imported_from(root: Path, *packages: str) -> Iterator[None]:
    """Import `packages` from `root` for the duration, then restore the original modules (so
    a module of a previous test's output, `flask_views`, is not reused with another core)."""

    def ours(name: str) -> bool:
        return any(name == package or name.startswith(f"{package}.") for package in packages)

    saved = {name: module for name, module in sys.modules.items() if ours(name)}
    for name in saved:
        del sys.modules[name]
    sys.path.insert(0, str(root))
    try:
        yield
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if ours(n)]:
            del sys.modules[name]
        sys.modules.update(saved)


def load(import_string: str) -> object:
    """`module:attribute` (or `module:factory()`) → the object."""
    module_name, _, attribute = import_string.partition(":")
    module: ModuleType = importlib.import_module(module_name)
    if attribute.endswith("()"):
        return getattr(module, attribute[:-2])()
    return getattr(module, attribute)
