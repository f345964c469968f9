"""Speed of `migrate check` against `ast.parse` of the same files, in the same run.

Both sides read and decode every file the checker would check; the baseline then only
parses it (and drops the tree), the checker parses, scans, resolves across modules and
reports. The default tree is this virtualenv's site-packages: a million lines of real,
varied code, which doubles as a robustness test (no file may crash the checker).

    .venv/bin/python bench/checker_speed.py [TREE ...] [--repeat N]
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import gc
import sys
import sysconfig
import time
from collections import Counter
from pathlib import Path

from migrator.blocking import ProjectAnalysis, analyze_paths
from migrator.check_config import CheckConfig
from migrator.python_sources import SourceError, find_python_files, read_source


class Timer:
    """Wall-clock and CPU seconds: CPU time moves less when other jobs share the machine."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = time.process_time()

    def stop(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def parse_only(files: list[Path]) -> tuple[tuple[float, float], int]:
    """(wall, CPU) seconds to read, decode and `ast.parse` every file; the lines read."""
    lines = 0
    timer = Timer()
    for path in files:
        try:
            source = read_source(path)
        except SourceError:
            continue
        lines += source.count("\n")
        with contextlib.suppress(SyntaxError, ValueError):
            ast.parse(source)
    return timer.stop(), lines


def check(trees: list[Path]) -> tuple[tuple[float, float], ProjectAnalysis, int]:
    timer = Timer()
    analysis = analyze_paths(trees, CheckConfig())
    findings = analysis.findings()
    return timer.stop(), analysis, len(findings)


def summary(analysis: ProjectAnalysis) -> list[str]:
    codes = Counter(f.code for f in analysis.findings())
    lines = [
        f"files checked: {analysis.files_checked}, not checked: {len(analysis.errors)}",
        *(f"  {error.file}: {error.message}" for error in analysis.errors[:10]),
        f"findings by code: {dict(sorted(codes.items()))}",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    args = parser.parse_args()
    trees = args.trees or [Path(sysconfig.get_paths()["purelib"])]
    files = find_python_files(trees)
    parse_times: list[tuple[float, float]] = []
    check_times: list[tuple[float, float]] = []
    lines = findings = 0
    report: list[str] = []
    for _ in range(args.repeat):
        gc.collect()  # nothing from the previous round may weigh on the next
        seconds, lines = parse_only(files)
        parse_times.append(seconds)
        seconds, analysis, findings = check(trees)
        check_times.append(seconds)
        report = summary(analysis)
        del analysis
    print(f"tree: {', '.join(map(str, trees))}")
    print(f"files: {len(files)}, lines: {lines:,}, python {sys.version.split()[0]}")
    for label, index in (("wall", 0), ("CPU", 1)):
        parse_best = min(times[index] for times in parse_times)
        check_best = min(times[index] for times in check_times)
        print(
            f"{label:>4}: ast.parse {parse_best:6.2f} s ({lines / parse_best:,.0f} lines/s), "
            f"migrate check {check_best:6.2f} s ({lines / check_best:,.0f} lines/s), "
            f"ratio {parse_best / check_best:.2f}"
        )
    print(f"findings: {findings}")
    print("\n".join(report))


if __name__ == "__main__":
    main()
