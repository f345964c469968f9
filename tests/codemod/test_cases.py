"""Per-rule before/after cases: `cases/<rule>/<name>.before.py` becomes `<name>.after.py`.

Each case is a one-file Flask project run through the real codemod (gathering pass and
rewrite); the after file is what a reviewer should expect to read. `UPDATE_CASES=1`
rewrites the after files from the current output (review the diff before committing).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from migrator.codemod import convert_file
from migrator.project import gather
from migrator.rules import Rule

CASES = Path(__file__).parent / "cases"
BEFORE = sorted(CASES.glob("*/*.before.py"))


def convert(source: Path, workdir: Path, disabled: frozenset[Rule] = frozenset()) -> str:
    """The codemod's output for one file, converted as a project of its own."""
    module = workdir / source.name.replace(".before.py", ".py")
    shutil.copyfile(source, module)
    facts = gather(module)
    result = convert_file(facts, facts.files[0], disabled)
    assert result.status != "error", result.error
    return result.new if result.new is not None else module.read_text()


@pytest.mark.parametrize("before", BEFORE, ids=lambda p: f"{p.parent.name}/{p.name[:-10]}")
def test_case(before: Path, tmp_path: Path) -> None:
    after = before.with_name(before.name.replace(".before.py", ".after.py"))
    output = convert(before, tmp_path)
    if os.environ.get("UPDATE_CASES") == "1":
        after.write_text(output)
    assert output == after.read_text()
    compile(output, str(after), "exec")


@pytest.mark.parametrize("before", BEFORE, ids=lambda p: f"{p.parent.name}/{p.name[:-10]}")
def test_case_is_idempotent(before: Path, tmp_path: Path) -> None:
    after = before.with_name(before.name.replace(".before.py", ".after.py"))
    work = tmp_path / "again"
    work.mkdir()
    target = work / after.name.replace(".after.py", ".before.py")
    shutil.copyfile(after, target)
    assert convert(target, work) == after.read_text()
