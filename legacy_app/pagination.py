"""Pagination read straight from the global request, as helpers in legacy apps do."""

from __future__ import annotations

from flask import request

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


def page_args() -> tuple[int, int]:
    """`?page=&per_page=`; bad values fall back to the defaults, per_page is clamped to 1..100."""
    page = request.args.get("page", 1, type=int)
    per_page = request.args.get("per_page", DEFAULT_PER_PAGE, type=int)
    return max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)
