"""`migrate SRC`: convert a Flask project to FastAPI (the codemod)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HELP = "convert the Flask project at SRC to FastAPI"
PROGRESS_THRESHOLD = 8  # files: below this a progress bar is noise


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("src", metavar="SRC", help="a Flask package, folder of modules, or file")
    parser.add_argument(
        "--out", metavar="DIR", type=Path, help="write the converted copy to DIR/<name of SRC>"
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="print a unified diff, write nothing (exit 1 on changes)",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if anything would change"
    )
    parser.add_argument(
        "--report", metavar="PATH", type=Path, help="write the report (.json or .md)"
    )
    parser.add_argument(
        "--jobs",
        metavar="N",
        type=int,
        default=os.cpu_count() or 1,
        help="parallel worker processes (default: CPU count)",
    )
    parser.add_argument(
        "--spec",
        metavar="OPENAPI_FILE",
        type=Path,
        help="legacy OpenAPI contract: Pydantic models (api_models.py) and its documentation",
    )
    parser.add_argument(
        "--disable",
        metavar="CODE",
        action="append",
        default=[],
        help="skip a rewrite rule (repeatable; see `migrate rules`)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="rewrite in place outside a clean git work tree; overwrite an existing --out copy",
    )


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from migrator import codemod, report
    from migrator.errors import UserError
    from migrator.rules import parse_rules

    src = Path(args.src)
    if not src.exists():
        raise UserError(f"{src}: no such file or directory")
    if args.jobs < 1:
        raise UserError(f"--jobs must be at least 1 (got {args.jobs})")
    if args.spec is not None and not args.spec.is_file():
        raise UserError(f"{args.spec}: no such OpenAPI file")
    report.check_report_path(args.report)
    disabled = parse_rules(args.disable)
    dry_run = args.diff or args.check
    in_place = args.out is None and not dry_run
    if in_place and not args.force:
        codemod.check_clean_worktree(src)

    console = Console(stderr=True)
    with Progress(
        TextColumn("converting"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("files", total=None, visible=False)

        def advance(done: int, total: int) -> None:
            if total > PROGRESS_THRESHOLD:
                progress.update(task, completed=done, total=total, visible=True)

        result = codemod.migrate(
            src, jobs=args.jobs, disabled=disabled, progress=advance, spec=args.spec
        )

    if args.diff:
        sys.stdout.write(codemod.unified_diff(result))
    written = False
    if not dry_run:
        if args.out is not None:
            codemod.prepare_out(src, args.out, args.force)
        codemod.write_result(result, codemod.destination_root(src, args.out))
        written = True
    if args.report is not None:
        report.write_report(result, args.report)
    report.print_summary(result, console, written=written)
    for file in result.errors:
        print(f"migrate: error: {file.relpath}: {file.error}", file=sys.stderr)
    if result.errors:
        return 2
    if dry_run and result.changed:
        return 1
    return 0
