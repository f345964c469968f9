"""Templates of the support modules a migrated project receives (read as text, not imported).

`flask_compat` is the core every migrated project gets. The optional modules are written
beside it only when a converted file imports them; each imports the core (never the other
way round), and the names each provides are its `__all__`.
"""

from __future__ import annotations

import ast
import functools
from importlib import resources

CORE = "flask_compat"
OPTIONAL = ("flask_templates", "flask_views")
# How an optional module names the core in its template; the project's core replaces it.
CORE_IMPORT = f"migrator.templates.{CORE}"


def source(template: str) -> str:
    """A template's text, as in this package (`template` is a module name: `flask_views`)."""
    return resources.files(__name__).joinpath(f"{template}.py").read_text()


def generated_source(template: str, compat_module: str) -> str:
    """A module's text as the project receives it: importing the project's core."""
    return source(template).replace(CORE_IMPORT, compat_module)


@functools.cache
def provided_by() -> dict[str, str]:
    """Each name an optional module provides → that module; other names are the core's."""
    names: dict[str, str] = {}
    for template in OPTIONAL:
        for node in ast.parse(source(template)).body:
            if (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
                and isinstance(node.value, ast.List)
            ):
                for element in node.value.elts:
                    if isinstance(element, ast.Constant) and isinstance(element.value, str):
                        names[element.value] = template
    return names


def provider(name: str) -> str:
    """The generated module that provides `name`: an optional one, else the core."""
    return provided_by().get(name, CORE)
