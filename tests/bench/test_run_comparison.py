"""bench/run_comparison.py: this repo's comparison is consistent with itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench import run_comparison
from migrator import bench
from migrator.bench import ServiceSpec
from migrator.errors import UserError


def _all_rows() -> tuple[ServiceSpec, ...]:
    return run_comparison.select_services(None, run_comparison.CODEMOD, postgres=True)


def test_rows_in_table_order() -> None:
    names = [s.name for s in _all_rows()]
    assert names == [
        "legacy-1w",
        "legacy-2w",
        "codemod-1w",
        "reference-1w",
        "reference-2w",
        "floor-orm",
        "floor-asyncpg",
    ]
    on_sqlite = run_comparison.select_services(None, None, postgres=False)
    assert "floor-asyncpg" not in [s.name for s in on_sqlite]
    assert "codemod-1w" not in [s.name for s in on_sqlite]


def test_goals_and_comparisons_name_real_rows_and_endpoints() -> None:
    rows = {s.name for s in _all_rows()}
    endpoints = {e.name for e in run_comparison.ENDPOINTS}
    for goal in run_comparison.GOALS:
        assert {goal.new, goal.old} <= rows
        assert goal.endpoint in endpoints
        assert goal.metric in ("rps", "p99_ms")
    for pair in run_comparison.COMPARISONS:
        assert set(pair) <= rows
    plan = bench.BenchPlan(
        services=_all_rows(),
        endpoints=run_comparison.ENDPOINTS,
        out_dir=Path("unused"),
        comparisons=run_comparison.COMPARISONS,
    )
    bench.validate_plan(plan)
    for endpoint in run_comparison.ENDPOINTS:
        if endpoint.body is not None:
            bench.parse_endpoint(
                f"{endpoint.name}={endpoint.method} {endpoint.path} {endpoint.body}"
            )


def test_selecting_rows_by_name() -> None:
    picked = run_comparison.select_services(["floor-orm", "legacy-1w"], None, postgres=False)
    assert [s.name for s in picked] == ["legacy-1w", "floor-orm"]
    with pytest.raises(UserError, match="unknown services nope"):
        run_comparison.select_services(["nope"], None, postgres=False)


def test_codemod_row_needs_the_codemods_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_comparison.codemod_service(tmp_path, tmp_path) is None
    assert "codemod row skipped" in capsys.readouterr().out
    (tmp_path / "legacy_app").mkdir()
    (tmp_path / "legacy_app" / "wsgi.py").write_text("app = None\n")
    row = run_comparison.codemod_service(tmp_path, tmp_path)
    assert row is not None
    assert f"--app-dir {tmp_path} legacy_app.wsgi:app" in row.command


def test_a_screenshot_without_chromium_fails_before_any_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    ran: list[object] = []
    monkeypatch.setattr(bench, "run_bench", lambda *args: ran.append(args))
    code = run_comparison.main(["--out", str(tmp_path), "--screenshot", str(tmp_path / "c.png")])
    assert code == 2 and ran == []
    assert capsys.readouterr().err.strip() == (
        "run_comparison: error: chromium is not installed: apt-get install chromium"
    )
