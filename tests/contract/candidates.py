"""The apps the repo's contract suite checks against the legacy contract and the legacy app.

`CANDIDATES` is the hook: each entry builds one migrated app on a database, upload folder
and upstream of its own: the hand-written reference app, and the codemod's output of
legacy_app (`migrate legacy_app --out DIR`, untouched).
"""

from __future__ import annotations

import atexit
import functools
import importlib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Environment:
    """What one app gets for itself: a fresh empty database, an upload folder, the upstream."""

    database_url: str
    upload_folder: Path
    upstream_url: str


@dataclass(frozen=True)
class Candidate:
    name: str
    build: Callable[[Environment], Any]


def build_legacy(env: Environment) -> Any:
    from legacy_app import create_app

    app = create_app(env.database_url)
    app.config.update(
        UPSTREAM_URL=env.upstream_url, UPSTREAM_RETRIES=0, UPLOAD_FOLDER=str(env.upload_folder)
    )
    return app


def build_reference(env: Environment) -> Any:
    from reference_app.main import create_app
    from reference_app.settings import Settings

    settings = Settings(
        database_url=env.database_url,
        upstream_url=env.upstream_url,
        upstream_retries=0,
        upload_folder=env.upload_folder,
        log_level="WARNING",
    )
    return create_app(settings=settings)


@functools.cache
def codemod_output() -> Path:
    """`migrate legacy_app --out DIR --spec legacy_app/openapi.yaml`, once per process; DIR
    holds the converted package (with `api_models.py`, the contract's models and docs)."""
    out = Path(tempfile.mkdtemp(prefix="codemod-output-"))
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "migrator",
            "legacy_app",
            "--out",
            str(out / "converted"),
            "--spec",
            "legacy_app/openapi.yaml",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode not in (0, 1):
        raise RuntimeError(f"the codemod failed ({result.returncode}): {result.stderr[-2000:]}")
    return out / "converted"


def build_codemod(env: Environment) -> Any:
    """The codemod's `create_app` from its output folder.

    The output is a package named `legacy_app` too, so it is imported with the original's
    modules set aside in `sys.modules` and put back afterwards; the converted modules keep
    references to each other, and the app is built while its own package is the one named.
    """
    folder = str(codemod_output())
    original = {k: v for k, v in sys.modules.items() if k.split(".")[0] == "legacy_app"}
    for name in original:
        del sys.modules[name]
    sys.path.insert(0, folder)
    try:
        package = importlib.import_module("legacy_app")
        app = package.create_app(env.database_url)
    finally:
        sys.path.remove(folder)
        for name in [k for k in sys.modules if k.split(".")[0] == "legacy_app"]:
            del sys.modules[name]
        sys.modules.update(original)
    app.state.config.update(
        UPSTREAM_URL=env.upstream_url, UPSTREAM_RETRIES=0, UPLOAD_FOLDER=str(env.upload_folder)
    )
    return app


CANDIDATES: list[Candidate] = [
    Candidate("reference", build_reference),
    Candidate("codemod", build_codemod),
]
