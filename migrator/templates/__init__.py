"""Templates of the support modules a migrated project receives (read as text, not imported).

`flask_compat` is the core every migrated project gets. The optional modules are written
beside it only when a converted file imports them; each imports the core (never the other
way round), and the names each provides are its `__all__`.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable
from importlib import resources

CORE = "flask_compat"
OPTIONAL = ("flask_commands", "flask_templates", "flask_test_client", "flask_views")
# How the templates name each other (`from migrator.templates.flask_compat import ...`).
_TEMPLATE_NAME = re.compile(r"\bmigrator\.templates\.(\w+)")


def source(template: str) -> str:
    """A template's text, as in this package (`template` is a module name: `flask_views`)."""
    return resources.files(__name__).joinpath(f"{template}.py").read_text()


def generated_source(template: str, module_of: Callable[[str], str]) -> str:
    """A module's text as the project receives it: `migrator.templates.<name>` (how the
    templates name each other) becomes `module_of(name)`, the project's module."""
    return _TEMPLATE_NAME.sub(lambda found: module_of(found[1]), source(template))


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
