"""The repository's own services pass `migrate check`, and a blocking call slipped in is caught."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from migrator.blocking import analyze_paths
from migrator.check_config import CheckConfig

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("package", ["reference_app", "legacy_app"])
def test_the_repository_services_have_no_blocking_calls(package: str) -> None:
    folder = REPOSITORY / package
    analysis = analyze_paths([folder])
    assert analysis.errors == []
    assert analysis.files_checked > 5
    assert [f"{f.file}:{f.line}: {f.code} {f.message}" for f in analysis.findings()] == []


def async_module(folder: Path) -> Path:
    """A small module of `reference_app` with an `async def`, or a stand-in when it has none."""
    for path in sorted(folder.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "async def " in text and len(text) < 20_000:
            return path
    fallback = Path(__file__).parent / "corpus" / "cases" / "shop" / "lookalikes.py"
    return fallback


def test_a_time_sleep_slipped_into_an_async_handler_is_found(tmp_path: Path) -> None:
    source = async_module(REPOSITORY / "reference_app").read_text(encoding="utf-8")
    handler = next(
        node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.AsyncFunctionDef)
    )
    first = handler.body[0]
    indent = " " * first.col_offset
    lines = source.splitlines()
    lines[first.lineno - 1 : first.lineno - 1] = [
        f"{indent}import time",
        f"{indent}time.sleep(0.1)",
    ]
    broken = tmp_path / "broken.py"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    findings = analyze_paths([broken], CheckConfig()).findings()
    assert ("broken.py", first.lineno + 1, "BLK401") in {(f.file, f.line, f.code) for f in findings}
