"""The apps the repo's contract suite checks against the legacy contract and the legacy app.

`CANDIDATES` is the hook: each entry builds one migrated app on a database, upload folder
and upstream of its own. The reference app is checked today; the codemod's output of
legacy_app joins with one more entry once it can be built (see docs/contract-status.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


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


CANDIDATES: list[Candidate] = [
    Candidate("reference", build_reference),
    # Candidate("codemod", build_codemod_output),  # the codemod's output of legacy_app
]
