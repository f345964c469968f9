"""The project's Jinja templates, as far as the codemod needs them."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

TEMPLATE_SUFFIXES = frozenset(
    {".html", ".htm", ".xml", ".xhtml", ".svg", ".jinja", ".jinja2", ".j2"}
)


def templates_call_url_for(root: Path, skipped: Iterable[str] = ()) -> bool:
    """Whether any template under `root` calls `url_for(`: then routes need Flask's endpoint
    names (`name="bp.view"`) even if no Python code builds a URL."""
    if not root.is_dir():
        return False
    skip = set(skipped)
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in skip)
        for name in sorted(files):
            if os.path.splitext(name)[1].lower() not in TEMPLATE_SUFFIXES:
                continue
            try:
                text = Path(folder, name).read_text(encoding="utf-8", errors="ignore")
            except OSError:
                continue
            if "url_for(" in text:
                return True
    return False
