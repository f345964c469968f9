"""Finding the Python files under some paths, and reading them as text the way Python does."""

from __future__ import annotations

import codecs
import io
import os
import tokenize
from collections.abc import Sequence
from pathlib import Path

from migrator.errors import UserError

# Folders never searched (unless named on the command line): tools', VCS and virtualenvs.
SKIPPED_FOLDERS = frozenset(
    (
        ".bzr",
        ".direnv",
        ".eggs",
        ".git",
        ".hg",
        ".mypy_cache",
        ".nox",
        ".pytest_cache",
        ".ruff_cache",
        ".svn",
        ".tox",
        ".venv",
        "__pycache__",
        "__pypackages__",
        "_build",
        "buck-out",
        "node_modules",
        "site-packages",
        "venv",
    )
)


class SourceError(Exception):
    """A file that cannot be read as Python source text."""


def find_python_files(paths: Sequence[Path]) -> list[Path]:
    """Every `.py` file under `paths` (a file named directly is taken as is), sorted, once."""
    found: dict[Path, None] = {}
    for path in paths:
        if not path.exists():
            raise UserError(f"{path}: no such file or directory")
        if not path.is_dir():
            found[path] = None
            continue
        for folder, subfolders, files in os.walk(path):
            subfolders[:] = sorted(
                name
                for name in subfolders
                if name not in SKIPPED_FOLDERS and not (Path(folder, name, "pyvenv.cfg")).exists()
            )
            for name in sorted(files):
                if name.endswith(".py"):
                    found[Path(folder, name)] = None
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return sorted(unique.values())


def read_source(path: Path) -> str:
    """The text of a Python file, decoded per PEP 263 (UTF-8 unless a coding line says else)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror or error}") from None
    return decode_source(data)


def decode_source(data: bytes) -> str:
    """Bytes of a Python file as text; `SourceError` says why when they cannot be."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    encoding = "utf-8"
    if b"coding" in data[:400]:
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError as error:
            raise SourceError(str(error)) from None
        encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding == "utf-8":
            raise SourceError(
                f"not valid UTF-8 (byte {data[error.start]:#04x} at offset {error.start})"
            ) from None
        raise SourceError(f"cannot be decoded as {encoding}: {error.reason}") from None
    except LookupError:
        raise SourceError(f"unknown encoding {encoding!r}") from None
