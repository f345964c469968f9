"""The apps under test: loading `MODULE:app` / `MODULE:create_app(...)`, telling WSGI from ASGI.

Apps are imported and called in process, never served. A factory may take literal
arguments (`legacy_app:create_app('sqlite:///legacy.db')`), so one command line can give
the legacy and the new app databases of their own.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from migrator.errors import UserError

AppKind = Literal["wsgi", "asgi"]
# Resets an app's state (its database) to the seeded starting point; gets the app as loaded.
Setup = Callable[[Any], None]


@dataclass(frozen=True)
class AppUnderTest:
    """An app driven in process: `target` is what requests go to, `app` what the user gave.

    `target` differs from `app` when the contract tests wrap the app (the blocking watch).
    """

    name: str
    app: Any
    target: Any = None
    setup: Setup | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.target is None:
            object.__setattr__(self, "target", self.app)

    @property
    def kind(self) -> AppKind:
        return app_kind(self.target)

    @property
    def is_asgi(self) -> bool:
        return self.kind == "asgi"

    def reset(self) -> None:
        """Bring the app back to its seeded state, when a setup hook was given."""
        if self.setup is not None:
            self.setup(self.app)


def app_kind(app: Any) -> AppKind:
    """ASGI apps are async callables (or objects whose `__call__` is async); WSGI apps are not."""
    if inspect.iscoroutinefunction(app) or inspect.iscoroutinefunction(
        getattr(app, "__call__", None)  # noqa: B004 - the bound method is what we inspect
    ):
        return "asgi"
    return "wsgi"


def load_object(reference: str, *, what: str) -> Any:
    """Import `MODULE:NAME`, `MODULE:NAME.attr` or call `MODULE:factory(literal, ...)`.

    Raises `UserError` with one line for anything the user can get wrong.
    """
    module_name, sep, expression = reference.partition(":")
    if not sep or not module_name or not expression:
        raise UserError(f"{what} must look like MODULE:NAME or MODULE:factory(): {reference!r}")
    call_args = _parse_call(expression, reference, what)
    name = expression.split("(", 1)[0].strip()
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and (module_name == error.name or module_name.startswith(f"{error.name}.")):
            raise UserError(
                f"cannot import {what} module {module_name!r}: no such module"
            ) from None
        raise UserError(f"cannot import {what} module {module_name!r}: {error}") from None
    except Exception as error:
        raise UserError(
            f"cannot import {what} module {module_name!r}: {type(error).__name__}: {error}"
        ) from None
    target: Any = module
    for part in name.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise UserError(f"{what}: module {module_name!r} has no attribute {name!r}") from None
    if call_args is None:
        return target
    if not callable(target):
        raise UserError(f"{what}: {module_name}:{name} is not callable")
    args, kwargs = call_args
    try:
        return target(*args, **kwargs)
    except Exception as error:
        raise UserError(
            f"{what}: {module_name}:{name}() failed: {type(error).__name__}: {error}"
        ) from None


def _parse_call(
    expression: str, reference: str, what: str
) -> tuple[list[Any], dict[str, Any]] | None:
    """None for a plain name; the literal arguments for `factory(...)`."""
    if "(" not in expression:
        return None
    try:
        node = ast.parse(expression, mode="eval").body
        if not isinstance(node, ast.Call):
            raise ValueError
        args = [ast.literal_eval(arg) for arg in node.args]
        kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords if kw.arg}
        if len(kwargs) != len(node.keywords):
            raise ValueError
    except (SyntaxError, ValueError):
        raise UserError(
            f"{what}: a factory may only take literal arguments: {reference!r}"
        ) from None
    return args, kwargs


def load_app(reference: str, *, name: str) -> Any:
    """Load an app object and make sure it is something we can send requests to."""
    app = load_object(reference, what=f"--{name} app")
    if not callable(app):
        raise UserError(
            f"--{name} app {reference!r} is a {type(app).__name__}, not a WSGI/ASGI app"
        )
    return app


def load_setup(reference: str) -> Setup:
    """Load a `--setup MODULE:function`; it is called with an app to reset that app's state."""
    setup = load_object(reference, what="--setup")
    if not callable(setup):
        raise UserError(f"--setup {reference!r} is not a function")
    function: Setup = setup
    return function


def ensure_importable_from_cwd() -> None:
    """Like `python -m`, let `MODULE:app` find modules in the working directory."""
    if "" not in sys.path and "." not in sys.path:
        sys.path.insert(0, "")
