"""How fast `migrate` converts a tree, against libcst's own parse + render of the same files.

    python bench/codemod_speed.py PROJECT [PROJECT ...] [--repeat N]

Each PROJECT is what you would pass to `migrate` (a package or a folder). In one run, on the
same files, it measures:

1. libcst's floor: `parse_module(text).code` for every `.py` file, in this process;
2. the codemod with `--jobs 1`: the whole `migrate` pipeline (gathering pass, blocking-call
   checker, rewrite of every file, nothing written);
3. the codemod with `--jobs 2`.

and prints lines of code per second for each, the codemod's share of libcst's floor per core,
and the speed-up from the second job. Best of `--repeat` runs (default 3).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

import libcst as cst

from migrator.codemod import migrate
from migrator.project import find_files


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _best(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best wall time of `repeat` runs, with the CPU time (this process and workers) of it."""
    results = []
    for _ in range(repeat):
        cpu = _cpu()
        started = time.perf_counter()
        run()
        results.append((time.perf_counter() - started, _cpu() - cpu))
    return min(results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("projects", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    texts: list[str] = []
    for project in args.projects:
        _, files = find_files(project)
        for file in files:
            try:
                texts.append(file.path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                continue
    lines = sum(text.count("\n") + 1 for text in texts)

    def floor() -> None:
        for text in texts:
            with contextlib.suppress(cst.ParserSyntaxError):
                cst.parse_module(text).code  # noqa: B018 (rendering is the point)

    def codemod(jobs: int) -> Callable[[], None]:
        def run() -> None:
            for project in args.projects:
                migrate(project, jobs=jobs)

        return run

    runs = {
        "libcst parse + render": _best(floor, args.repeat),
        "migrate --jobs 1": _best(codemod(1), args.repeat),
        "migrate --jobs 2": _best(codemod(2), args.repeat),
    }
    load = os.getloadavg()[0]
    print(f"files: {len(texts)}  lines: {lines}  cores: {os.cpu_count()}  load: {load:.1f}")
    print(f"{'':24} {'wall s':>8} {'LOC/s':>8} {'CPU s':>8} {'LOC/CPU s':>10}")
    for name, (wall, cpu) in runs.items():
        print(f"{name:24} {wall:8.2f} {lines / wall:8.0f} {cpu:8.2f} {lines / cpu:10.0f}")
    floor_cpu = runs["libcst parse + render"][1]
    one_wall, one_cpu = runs["migrate --jobs 1"]
    two_wall, _ = runs["migrate --jobs 2"]
    print(f"codemod / libcst floor, per core (CPU time): {floor_cpu / one_cpu:.2f}")
    print(f"speed-up from the second job (wall): {one_wall / two_wall:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
