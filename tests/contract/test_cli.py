"""`migrate contract` from the command line: exit codes, one-line errors, table and JUnit XML."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

import legacy_app
from migrator.cli import main
from tests.contract.sample_apps import SPEC

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = Path(legacy_app.__file__).parent / "openapi.yaml"
GOOD_APP = "tests.contract.sample_apps:good_app"


def migrate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "migrator", "contract", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "items.yaml"
    path.write_text(yaml.safe_dump(SPEC))
    return path


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("migrate: error: ")
    return lines[0]


def test_a_missing_spec_is_one_line(tmp_path: Path) -> None:
    line = one_line_error(migrate("--spec", str(tmp_path / "nope.yaml"), "--new", "x:y"))
    assert "cannot read spec" in line


def test_a_spec_that_is_not_openapi_is_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\npaths: [\n")
    assert "not valid YAML/JSON (line" in one_line_error(
        migrate("--spec", str(broken), "--new", "x:y")
    )
    invalid = tmp_path / "invalid.yaml"
    invalid.write_text("openapi: 3.1.0\npaths: {}\n")  # no `info`
    assert "is not a valid OpenAPI document" in one_line_error(
        migrate("--spec", str(invalid), "--new", "x:y")
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param(
            ["--new", "no_such_module_xyz:app"],
            "cannot import --new app module 'no_such_module_xyz'",
            id="an app that does not import",
        ),
        pytest.param(
            ["--new", GOOD_APP, "--operation", "deleteEverything"],
            "unknown operation 'deleteEverything'",
            id="an unknown operation",
        ),
        pytest.param(
            ["--new", GOOD_APP, "--header", "nocolon"],
            "--header must look like 'Name: value'",
            id="a bad header",
        ),
    ],
)
def test_a_wrong_option_is_one_line(spec_file: Path, options: list[str], message: str) -> None:
    assert message in one_line_error(migrate("--spec", str(spec_file), *options))


def test_a_conforming_app_passes_with_a_table_and_junit(spec_file: Path, tmp_path: Path) -> None:
    junit = tmp_path / "contract.xml"
    result = migrate(
        "--spec",
        str(spec_file),
        "--new",
        GOOD_APP,
        "--max-examples",
        "5",
        "--junit",
        str(junit),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "conformance" in result.stdout
    assert "GET /items/{item_id}" in result.stdout
    assert "contract kept" in result.stdout
    root = ET.parse(junit).getroot()
    assert root.get("failures") == "0"
    assert {s.get("name") for s in root.iter("testsuite")} >= {
        "contract.openapi diff",
        "contract.conformance",
    }


def test_a_leaking_app_fails_with_exit_1_and_the_failure_in_full(
    spec_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junit = tmp_path / "contract.xml"
    code = main(
        [
            "contract",
            "--spec",
            str(spec_file),
            "--new",
            "tests.contract.sample_apps:leaky_app",
            "--max-examples",
            "3",
            "--junit",
            str(junit),
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "response_schema_conformance" in out
    assert "owner_id" in out
    assert "contract broken" in out
    failures = [
        case
        for case in ET.parse(junit).getroot().iter("testcase")
        if case.find("failure") is not None
    ]
    assert [case.get("name") for case in failures] == ["GET /items/{item_id}"]


def test_a_blocking_app_fails_the_run(spec_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "contract",
            "--spec",
            str(spec_file),
            "--new",
            "tests.contract.sample_apps:blocking_app",
            "--max-examples",
            "2",
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "blocking watch" in out
    assert "blocked the event loop" in out


def test_legacy_against_itself_through_the_cli(tmp_path: Path) -> None:
    result = migrate(
        "--spec",
        str(CONTRACT),
        "--new-spec",
        str(CONTRACT),
        "--new",
        f"legacy_app:create_app('sqlite:///{tmp_path / 'new.sqlite3'}')",
        "--legacy",
        f"legacy_app:create_app('sqlite:///{tmp_path / 'legacy.sqlite3'}')",
        "--setup",
        "contract_tests.invoicing:reseed",
        "--header",
        "Authorization: Bearer acme-token",
        "--operation",
        "getMe",
        "--operation",
        "GET /clients/{client_id}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for suite in ("conformance", "differential", "explicit", "openapi diff"):
        assert suite in result.stdout
