"""`migrate check` from the command line: exit codes, formats, noqa, selection, config."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from migrator.check_output import FORMATTERS
from migrator.cli import main
from migrator.commands import check as check_command

BLOCKING = """\
import time


async def handler():
    time.sleep(1)
"""
CLEAN = """\
import asyncio


async def handler():
    await asyncio.sleep(1)
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder to fill, and the working directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dedent(text), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_exit_0_and_a_summary_when_nothing_blocks(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, "app.py", CLEAN)
    code, out, _ = run(capsys, "app.py")
    assert code == 0
    assert out == "No blocking calls found (1 file checked).\n"


def test_exit_1_and_one_line_per_finding(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, "app.py", BLOCKING)
    code, out, _ = run(capsys, ".")
    assert code == 1
    assert out.splitlines() == [
        "app.py:5:5: BLK401 time.sleep sleeps and blocks the event loop"
        " → use await asyncio.sleep(...)",
        "Found 1 finding in 1 file (1 file checked).",
    ]


def test_text_shows_the_chain_of_a_finding_through_helpers(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        project,
        "app/views.py",
        """\
        import requests

        def fetch():
            return requests.get("https://example.com")

        async def index():
            return fetch()
        """,
    )
    code, out, _ = run(capsys, "app")
    assert code == 1
    assert out.splitlines()[0] == (
        "app/views.py:7:12: BLK101 requests.get makes a blocking HTTP request (requests)"
        " (via views.fetch → requests.get) → use httpx.AsyncClient and await it"
    )


def test_missing_path_is_one_line_and_exit_2_without_traceback(project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "migrator", "check", "no/such/dir"],
        capture_output=True,
        text=True,
        check=False,
        cwd=project,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "migrate: error: no/such/dir: no such file or directory\n"


def test_unreadable_files_are_reported_and_the_rest_is_checked(project: Path) -> None:
    write(project, "good.py", BLOCKING)
    write(project, "broken.py", "def broken(:\n")
    (project / "latin1.py").write_bytes(b'name = "caf\xe9"\n')
    result = subprocess.run(
        [sys.executable, "-m", "migrator", "check", "."],
        capture_output=True,
        text=True,
        check=False,
        cwd=project,
    )
    assert result.returncode == 2
    assert "good.py:5:5: BLK401" in result.stdout
    assert "2 files could not be checked." in result.stdout
    assert result.stderr.splitlines() == [
        "broken.py:1:12: error: cannot parse: invalid syntax",
        "latin1.py: error: not valid UTF-8 (byte 0xe9 at offset 11)",
    ]
    assert "Traceback" not in result.stderr


def test_a_declared_source_encoding_is_honoured(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "legacy.py").write_bytes(
        b"# -*- coding: latin-1 -*-\nimport time\nasync def f():\n    time.sleep(1)  # caf\xe9\n"
    )
    code, out, _ = run(capsys, "legacy.py")
    assert code == 1
    assert out.startswith("legacy.py:4:5: BLK401")


def test_json_has_the_codemod_finding_shape(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, "app.py", BLOCKING)
    write(project, "bad.py", "x = (\n")
    code, out, _ = run(capsys, "--format", "json", ".")
    assert code == 2
    report = json.loads(out)
    assert report == {
        "version": 1,
        "findings": [
            {
                "code": "BLK401",
                "file": "app.py",
                "line": 5,
                "col": 5,
                "call": "time.sleep",
                "chain": ["time.sleep"],
                "message": "time.sleep sleeps and blocks the event loop",
                "fix": "use await asyncio.sleep(...)",
            }
        ],
        "files_checked": 1,
        "errors": [
            {"file": "bad.py", "line": 1, "col": 5, "message": "cannot parse: '(' was never closed"}
        ],
    }


def test_sarif_is_a_valid_2_1_0_log(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, "app.py", BLOCKING)
    write(project, "bad.py", "x = (\n")
    code, out, _ = run(capsys, "--format", "sarif", ".")
    assert code == 2
    log = json.loads(out)
    assert_valid_sarif(log)
    [run_] = log["runs"]
    [result] = run_["results"]
    assert result["ruleId"] == "BLK401"
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "app.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 5, "startColumn": 5},
    }
    [notification] = run_["invocations"][0]["toolExecutionNotifications"]
    assert notification["level"] == "error"


def assert_valid_sarif(log: dict[str, object]) -> None:
    """The parts of the SARIF 2.1.0 schema code scanning relies on."""
    assert log["version"] == "2.1.0"
    assert str(log["$schema"]).endswith("sarif-2.1.0.json")
    runs = log["runs"]
    assert isinstance(runs, list) and runs
    for run_ in runs:
        driver = run_["tool"]["driver"]
        assert isinstance(driver["name"], str) and driver["name"]
        rules = driver["rules"]
        ids = [rule["id"] for rule in rules]
        assert len(ids) == len(set(ids))
        for rule in rules:
            assert isinstance(rule["shortDescription"]["text"], str)
            assert rule["defaultConfiguration"]["level"] in ("none", "note", "warning", "error")
        for result in run_["results"]:
            assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
            assert result["level"] in ("none", "note", "warning", "error")
            assert isinstance(result["message"]["text"], str) and result["message"]["text"]
            for location in result["locations"]:
                physical = location["physicalLocation"]
                assert isinstance(physical["artifactLocation"]["uri"], str)
                assert physical["region"]["startLine"] >= 1
                assert physical["region"]["startColumn"] >= 1
        for invocation in run_["invocations"]:
            assert isinstance(invocation["executionSuccessful"], bool)


def test_github_format_is_workflow_annotations(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, "app.py", BLOCKING)
    code, out, _ = run(capsys, "--format", "github", "app.py")
    assert code == 1
    assert out == (
        "::warning file=app.py,line=5,col=5,title=BLK401::time.sleep sleeps and blocks"
        " the event loop → use await asyncio.sleep(...)\n"
    )


def test_noqa_silences_a_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, "app.py", BLOCKING.replace("time.sleep(1)", "time.sleep(1)  # noqa: BLK401"))
    assert run(capsys, "app.py")[0] == 0


def test_select_and_ignore_on_the_command_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, "app.py", BLOCKING)
    assert run(capsys, "--select", "BLK1", "app.py")[0] == 0
    assert run(capsys, "--ignore", "BLK401", "app.py")[0] == 0
    assert run(capsys, "--select", "BLK4,BLK1", "app.py")[0] == 1


def test_an_unknown_code_is_a_usage_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, "app.py", BLOCKING)
    code, out, err = run(capsys, "--select", "BLK999", "app.py")
    assert (code, out) == (2, "")
    assert err == "migrate: error: unknown rule code or prefix 'BLK999' (see --list-rules)\n"


def test_pyproject_configuration_is_read_from_above_the_checked_path(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        project,
        "pyproject.toml",
        """\
        [tool.migrate.check]
        select = ["BLK8", "BLK3"]
        safe-wrappers = ["service.threads.offload"]

        [[tool.migrate.check.blocking-calls]]
        call = "vendor_sdk.fetch"
        code = "BLK801"
        message = "calls the vendor SDK synchronously"
        fix = "use vendor_sdk.aio.fetch"
        """,
    )
    write(project, "service/threads.py", "def offload(function):\n    return function\n")
    write(
        project,
        "service/app.py",
        """\
        import time
        import vendor_sdk
        from service.threads import offload

        async def handler():
            time.sleep(1)
            offload(lambda: open("f"))
            return vendor_sdk.fetch()
        """,
    )
    code, out, _ = run(capsys, "service")
    assert code == 1
    assert out.splitlines()[:-1] == [
        "service/app.py:8:12: BLK801 vendor_sdk.fetch calls the vendor SDK synchronously"
        " → use vendor_sdk.aio.fetch"
    ]
    code, out, _ = run(capsys, "--select", "BLK4", "service")  # the command line wins
    assert [line.split()[1] for line in out.splitlines()[:-1]] == ["BLK401"]


def test_a_broken_configuration_is_one_clear_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, "pyproject.toml", "[tool.migrate.check]\nselct = ['BLK1']\n")
    write(project, "app.py", CLEAN)
    code, _, err = run(capsys, "app.py")
    assert code == 2
    assert re.fullmatch(
        r"migrate: error: .*pyproject\.toml: \[tool\.migrate\.check\]: "
        r"unknown key 'selct' \(known: .*\)\n",
        err,
    )


def test_list_rules_names_every_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--list-rules")
    assert code == 0
    for rule_code in ("BLK101", "BLK201", "BLK301", "BLK401", "BLK501", "BLK601", "BLK701"):
        assert f"  {rule_code}  " in out
    assert "BLK901" in out and "BLK902" in out


def test_no_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys)
    assert code == 2
    assert err.startswith("migrate: error: nothing to check")


def test_output_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, "app.py", BLOCKING)
    code, out, _ = run(capsys, "--format", "json", "--output", "report.json", "app.py")
    assert (code, out) == (1, "")
    assert json.loads((project / "report.json").read_text())["findings"][0]["code"] == "BLK401"


def test_every_format_the_command_offers_has_a_formatter() -> None:
    assert set(check_command.FORMATS) == set(FORMATTERS)


def test_the_command_module_stays_light_to_import() -> None:
    code = (
        "import sys, migrator.commands.check; "
        "print(sorted(m for m in sys.modules if m.startswith('migrator.')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "migrator.blocking" not in result.stdout
