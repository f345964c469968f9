"""The app's CLI migrated: the project's own CLI tests — `app.test_cli_runner()` in process
and the `flask` command in a subprocess — pass against the Flask original and, migrated,
against the FastAPI app (`flask_compat.test_cli_runner`, `python -m flask_cli`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from migrator.cli import main

CASES = Path(__file__).parent / "cases"


def _pytest(folder: Path) -> subprocess.CompletedProcess[str]:
    # `flask` (the original's console script) is found beside this interpreter.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "commands_test.py"]
    env = {**os.environ, "PATH": path, "PYTHONPATH": str(folder)}
    return subprocess.run(
        command, cwd=folder, env=env, capture_output=True, text=True, check=False, timeout=300
    )


def test_cli_tests_pass_before_and_after(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "commands.py").write_text((CASES / "app" / "commands.before.py").read_text())
    test = (CASES / "test_client" / "commands_test.before.py").read_text()
    (project / "commands_test.py").write_text(test)
    original = _pytest(project)
    assert original.returncode == 0, original.stdout + original.stderr
    out = tmp_path / "out"
    assert main([str(project), "--out", str(out), "--jobs", "1"]) == 0
    migrated = out / "project"
    assert (migrated / "flask_cli.py").exists()
    assert '"-m", "flask",' not in (migrated / "commands_test.py").read_text()
    result = _pytest(migrated)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


def test_cli_runner_names_the_app_and_its_commands(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "commands.py").write_text((CASES / "app" / "commands.before.py").read_text())
    out = tmp_path / "out"
    assert main([str(project), "--out", str(out), "--jobs", "1"]) == 0
    env = {**os.environ, "FLASK_APP": "commands"}  # as `flask` reads it
    done = subprocess.run(
        [sys.executable, "-m", "flask_cli", "--help"],
        cwd=out / "project",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Usage: python -m flask_cli" in done.stdout
    for command in ("greet", "users", "where", "run", "routes"):
        assert f"  {command}" in done.stdout
    assert done.stderr == ""  # no RuntimeWarning from importing the support module twice
