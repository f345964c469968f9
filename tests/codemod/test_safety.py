"""Nothing is lost: in-place only on a clean git tree, atomic writes, bad files left as they were,
the same output whatever `--jobs`, and a second run changes nothing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from migrator.cli import main
from migrator.codemod import atomic_write, migrate

PROJECT = Path(__file__).parent / "cases" / "project" / "shop" / "before" / "shop"
LEGACY = Path(__file__).parents[2] / "legacy_app"


def _git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding a copy of the shop project, committed."""
    shutil.copytree(PROJECT, tmp_path / "shop", ignore=shutil.ignore_patterns("__pycache__"))
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "shop")
    return tmp_path


def test_in_place_needs_a_clean_work_tree(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    views = repo / "shop" / "pages.py"
    views.write_text(views.read_text() + "# local edit\n")
    before = views.read_bytes()
    assert main([str(repo / "shop")]) == 2
    error = capsys.readouterr().err
    assert "uncommitted changes" in error and "--out" in error and "--force" in error
    assert views.read_bytes() == before
    assert not (repo / "shop" / "flask_compat.py").exists()


def test_in_place_on_a_clean_tree_then_a_second_run_is_a_no_op(repo: Path) -> None:
    assert main([str(repo / "shop")]) == 0
    converted = {p: p.read_bytes() for p in (repo / "shop").rglob("*.py")}
    assert "from fastapi import APIRouter" in (repo / "shop" / "pages.py").read_text()
    assert main([str(repo / "shop"), "--check"]) == 0
    assert main([str(repo / "shop"), "--force"]) == 0
    assert {p: p.read_bytes() for p in (repo / "shop").rglob("*.py")} == converted


def test_outside_git_in_place_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(PROJECT, tmp_path / "shop", ignore=shutil.ignore_patterns("__pycache__"))
    assert main([str(tmp_path / "shop")]) == 2
    assert "not in a git work tree" in capsys.readouterr().err


def test_check_and_diff_write_nothing_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(PROJECT, tmp_path / "shop", ignore=shutil.ignore_patterns("__pycache__"))
    before = {p: p.read_bytes() for p in (tmp_path / "shop").rglob("*.py")}
    assert main([str(tmp_path / "shop"), "--check"]) == 1
    assert main([str(tmp_path / "shop"), "--diff"]) == 1
    diff = capsys.readouterr().out
    assert "-from flask import Blueprint, redirect" in diff
    assert "+++ b/shop/flask_compat.py" in diff
    assert {p: p.read_bytes() for p in (tmp_path / "shop").rglob("*.py")} == before


def test_unparsable_and_non_utf8_files_are_reported_and_left_as_they_were(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(PROJECT, tmp_path / "shop", ignore=shutil.ignore_patterns("__pycache__"))
    broken = tmp_path / "shop" / "broken.py"
    broken.write_bytes(b"from flask import request\ndef oops(:\n")
    latin = tmp_path / "shop" / "latin.py"
    latin.write_bytes(b"# caf\xe9\nfrom flask import g\n")
    out = tmp_path / "out"
    assert main([str(tmp_path / "shop"), "--out", str(out), "--report", str(out / "r.json")]) == 2
    error = capsys.readouterr().err
    assert "shop/broken.py: does not parse (line 2)" in error
    assert "shop/latin.py: not UTF-8" in error
    assert (out / "shop" / "broken.py").read_bytes() == broken.read_bytes()
    assert (out / "shop" / "latin.py").read_bytes() == latin.read_bytes()
    assert "APIRouter" in (out / "shop" / "pages.py").read_text()  # the rest converted
    files = {f["path"]: f for f in json.loads((out / "r.json").read_text())["files"]}
    assert files["shop/broken.py"]["status"] == "error"
    assert files["shop/latin.py"]["status"] == "error"
    assert files["shop/pages.py"]["status"] == "converted"


def test_jobs_do_not_change_the_output(tmp_path: Path) -> None:
    one = migrate(LEGACY, jobs=1)
    four = migrate(LEGACY, jobs=4)
    assert [(f.relpath, f.status, f.new) for f in one.files] == [
        (f.relpath, f.status, f.new) for f in four.files
    ]
    assert [vars(r) for r in one.routes] == [vars(r) for r in four.routes]


def test_file_order_does_not_change_the_output() -> None:
    from migrator.codemod import convert_file
    from migrator.project import find_files, gather

    _, files = find_files(LEGACY)
    forward = gather(LEGACY, files)
    backward = gather(LEGACY, list(reversed(files)))
    assert forward.apps == backward.apps
    assert forward.objects.keys() == backward.objects.keys()
    for file in files:
        assert (
            convert_file(forward, file, frozenset()).new
            == convert_file(backward, file, frozenset()).new
        )


def test_atomic_write_leaves_the_old_file_when_interrupted(tmp_path: Path) -> None:
    target = tmp_path / "views.py"
    target.write_text("old\n")

    class Boom(str):
        def __str__(self) -> str:  # pragma: no cover - not reached
            return "boom"

    with pytest.raises(TypeError):
        atomic_write(target, 42)  # type: ignore[arg-type]
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["views.py"]
    atomic_write(target, "new\n")
    assert target.read_text() == "new\n"


def test_user_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    missing = subprocess.run(
        [sys.executable, "-m", "migrator", str(tmp_path / "nope"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2
    assert missing.stderr.strip().count("\n") == 0
    assert "no such file or directory" in missing.stderr and "Traceback" not in missing.stderr
    (tmp_path / "plain.py").write_text("print('no flask here')\n")
    no_app = subprocess.run(
        [sys.executable, "-m", "migrator", str(tmp_path / "plain.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert no_app.returncode == 2
    assert "no Flask app found" in no_app.stderr and "Traceback" not in no_app.stderr


def test_unknown_rule_and_report_format_are_user_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(PROJECT), "--check", "--disable", "FF999"]) == 2
    assert "unknown rule 'FF999'" in capsys.readouterr().err
    assert main([str(PROJECT), "--check", "--report", str(tmp_path / "r.txt")]) == 2
    assert "unknown report format" in capsys.readouterr().err


def test_disabled_rule_is_skipped(tmp_path: Path) -> None:
    from migrator.rules import Rule

    result = migrate(PROJECT, disabled=frozenset({Rule.REDIRECT}))
    pages = next(f for f in result.files if f.relpath == "shop/pages.py")
    assert pages.new is not None
    assert "redirect(" in pages.new and "RedirectResponse" not in pages.new
