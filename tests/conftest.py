from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.databases import ScratchDatabases
from tests.upstream import Upstream, running_upstream

ACME = {"Authorization": "Bearer acme-token"}
GLOBEX = {"Authorization": "Bearer globex-token"}


@pytest.fixture(scope="session")
def scratch_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScratchDatabases]:
    databases = ScratchDatabases(tmp_path_factory.mktemp("databases"))
    try:
        yield databases
    finally:
        databases.drop_all()


@pytest.fixture(scope="session")
def upstream() -> Iterator[Upstream]:
    with running_upstream() as server:
        yield server


@pytest.fixture
def fresh_upstream(upstream: Upstream) -> Upstream:
    """The shared upstream, its behaviour reset for this test."""
    upstream.behaviour.reset()
    return upstream


@pytest.fixture
def uploads(tmp_path: Path) -> Path:
    folder = tmp_path / "uploads"
    folder.mkdir()
    return folder
