"""View decorators."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, request

F = TypeVar("F", bound=Callable[..., Any])


def json_body(view: F) -> F:
    """Refuse a POST/PUT/PATCH whose body is not JSON with 415, before the view runs."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if request.method in ("POST", "PUT", "PATCH") and not request.is_json:
            abort(415, "request body must be application/json")
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
