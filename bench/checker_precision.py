"""Precision and recall of `migrate check` and of `ruff check --select ASYNC` on the corpus.

The corpus (tests/checker/corpus/cases) labels every line that blocks the event loop, or
drops a coroutine, with `# expect: CODE`. A reported line is a true positive when it is
labelled. Ruff's codes differ from ours, so both tools are scored by line; ours is also
scored by (line, code). Ruff has no rule for dropped coroutines, so recall is given on
blocking calls alone (BLK1xx-7xx) as well as on everything.

    .venv/bin/python bench/checker_precision.py [--markdown]
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from migrator.blocking import analyze_paths
from migrator.check_config import CheckConfig

REPOSITORY = Path(__file__).resolve().parents[1]
CORPUS = REPOSITORY / "tests" / "checker" / "corpus" / "cases"
RUFF = Path(sys.executable).parent / "ruff"
_EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>[A-Z0-9, ]+)$")

Line = tuple[str, int]
Label = tuple[str, int, str]


@dataclass(frozen=True)
class Score:
    tool: str
    scope: str
    reported: int
    true_positives: int
    expected: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.reported if self.reported else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0


def labels() -> set[Label]:
    found: set[Label] = set()
    for path in sorted(CORPUS.rglob("*.py")):
        relative = path.relative_to(CORPUS).as_posix()
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = _EXPECT.search(text)
            if match:
                for code in re.split(r"[,\s]+", match.group("codes").strip()):
                    found.add((relative, number, code))
    return found


def ours() -> set[Label]:
    analysis = analyze_paths([CORPUS], CheckConfig())
    return {(f.file, f.line, f.code) for f in analysis.findings()}


def through_helpers() -> set[Line]:
    """Labelled lines whose blocking call happens in a project function called there."""
    analysis = analyze_paths([CORPUS], CheckConfig())
    return {(f.file, f.line) for f in analysis.findings() if len(f.chain) > 1}


def ruff() -> set[Label]:
    command = [str(RUFF), "check", "--isolated", "--select", "ASYNC", "--output-format", "json"]
    result = subprocess.run(
        [*command, "."], cwd=CORPUS, capture_output=True, text=True, check=False
    )
    if result.returncode not in (0, 1):
        raise SystemExit(f"ruff failed: {result.stderr.strip()}")
    return {
        (
            Path(item["filename"]).relative_to(CORPUS).as_posix(),
            item["location"]["row"],
            item["code"],
        )
        for item in json.loads(result.stdout)
    }


def by_line(found: set[Label]) -> set[Line]:
    return {(file, line) for file, line, _ in found}


def score(tool: str, scope: str, reported: set[Line], expected: set[Line]) -> Score:
    return Score(tool, scope, len(reported), len(reported & expected), len(expected))


def scores() -> tuple[list[Score], dict[str, set[Label]]]:
    expected = labels()
    blocking = {label for label in expected if not label[2].startswith("BLK9")}
    found = {"migrate check": ours(), "ruff ASYNC": ruff()}
    table = []
    for tool, reported in found.items():
        table.append(score(tool, "all labelled lines", by_line(reported), by_line(expected)))
        only_blocking = {r for r in reported if not r[2].startswith("BLK9")}
        table.append(score(tool, "blocking calls only", by_line(only_blocking), by_line(blocking)))
    direct = by_line(blocking) - through_helpers()
    for tool, reported in found.items():
        table.append(score(tool, "direct blocking calls", by_line(reported) & direct, direct))
    exact = found["migrate check"]
    table.append(
        Score(
            "migrate check", "(line, code) exact", len(exact), len(exact & expected), len(expected)
        )
    )
    return table, found


def main() -> None:
    table, found = scores()
    print("| tool | scope | reported | true positives | labelled | precision | recall |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for row in sorted(table, key=lambda row: row.tool):
        precision = "n/a" if row.scope.startswith("direct") else f"{row.precision:.0%}"
        reported = "n/a" if row.scope.startswith("direct") else str(row.reported)
        print(
            f"| {row.tool} | {row.scope} | {reported} | {row.true_positives} | "
            f"{row.expected} | {precision} | {row.recall:.0%} |"
        )
    expected = by_line(labels())
    ruff_lines = by_line(found["ruff ASYNC"])
    print(f"\nruff false positives: {sorted(ruff_lines - expected)}")
    print(f"migrate check false positives: {sorted(by_line(found['migrate check']) - expected)}")
    missed = sorted(expected - by_line(found["migrate check"]))
    print(f"migrate check misses: {missed}")
    print(f"ruff codes seen: {sorted({code for _, _, code in found['ruff ASYNC']})}")


if __name__ == "__main__":
    main()
