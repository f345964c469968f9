"""Attachment files on disk: safe names, per-invoice folders, non-blocking reads and writes."""

from __future__ import annotations

import mimetypes
import posixpath
import re
import shutil
import unicodedata
from pathlib import Path

import anyio
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

CHUNK_SIZE = 64 * 1024
# Longest name a file system (and the filename column) takes.
MAX_NAME_LENGTH = 255
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
# The type tables are read from /etc/mime.types on first use: read them now, not in a request.
mimetypes.init()


def secure_filename(filename: str) -> str:
    """werkzeug's `secure_filename` (POSIX): ASCII letters, digits and `._-` only.

    Separators and whitespace become `_`, other characters are dropped, and surrounding
    `._` are stripped, so `../../x y.txt` becomes `x_y.txt`. May return "" (also, unlike
    werkzeug, for a name too long to store, which made the legacy service fail with a 500).
    """
    filename = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    filename = filename.replace("/", " ")
    filename = "_".join(filename.split())
    filename = _UNSAFE.sub("", filename).strip("._")
    return filename if len(filename) <= MAX_NAME_LENGTH else ""


def invoice_folder(root: Path, tenant_id: int, invoice_id: int) -> Path:
    return root / str(tenant_id) / str(invoice_id)


def path_inside(folder: Path, name: str) -> Path | None:
    """`folder/name` when `name` cannot leave `folder` (werkzeug's `safe_join`), else None."""
    normalized = posixpath.normpath(name)
    if (
        "\\" in name
        or "\x00" in name
        or posixpath.isabs(normalized)
        or normalized in (".", "..")
        or normalized.startswith("../")
    ):
        return None
    return folder / normalized


async def save_upload(upload: UploadFile, destination: Path) -> int:
    """Copy an uploaded file to `destination` without blocking the loop; returns its size."""
    await anyio.Path(destination.parent).mkdir(parents=True, exist_ok=True)
    size = 0
    async with await anyio.open_file(destination, "wb") as out:
        while chunk := await upload.read(CHUNK_SIZE):
            await out.write(chunk)
            size += len(chunk)
    return size


async def is_file(path: Path) -> bool:
    return await anyio.Path(path).is_file()


async def remove_folder(folder: Path) -> None:
    await run_in_threadpool(shutil.rmtree, folder, ignore_errors=True)


def guess_media_type(name: str) -> str:
    """The content type send_from_directory would give: guessed from the name, else binary."""
    return mimetypes.guess_type(name)[0] or "application/octet-stream"
