"""Run the codemod on a project and import the result, beside the original of the same name."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType


@contextmanager
def imported_from(root: Path, package: str) -> Iterator[None]:
    """Import `package` from `root` for the duration, then restore the original modules."""
    saved = {
        name: module
        for name, module in sys.modules.items()
        if name == package or name.startswith(f"{package}.")
    }
    for name in saved:
        del sys.modules[name]
    sys.path.insert(0, str(root))
    try:
        yield
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n == package or n.startswith(f"{package}.")]:
            del sys.modules[name]
        sys.modules.update(saved)


def load(import_string: str) -> object:
    """`module:attribute` (or `module:factory()`) → the object."""
    module_name, _, attribute = import_string.partition(":")
    module: ModuleType = importlib.import_module(module_name)
    if attribute.endswith("()"):
        return getattr(module, attribute[:-2])()
    return getattr(module, attribute)
