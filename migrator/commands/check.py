"""`migrate check PATH...`: report calls that block the event loop (see docs/checker.md).

Exit codes: 0 nothing found, 1 findings, 2 bad input (a missing path, a bad option or
configuration, or a file that could not be read or parsed; the other files are still
checked and reported).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from migrator.errors import UserError

HELP = "report calls that block the event loop in async code"
FORMATS = ("text", "json", "sarif", "github")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "exit status: 0 nothing found, 1 findings, 2 bad input (missing path, bad option or "
        "configuration, a file that cannot be read or parsed). Silence a line with "
        "`# noqa: CODE`; configure in [tool.migrate.check] of pyproject.toml. "
        "See docs/checker.md."
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to check")
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="report format (default: text)"
    )
    parser.add_argument(
        "--select",
        metavar="CODES",
        help="comma-separated rule codes or prefixes to report, e.g. BLK1,BLK201 "
        "(replaces the select of [tool.migrate.check])",
    )
    parser.add_argument(
        "--ignore",
        metavar="CODES",
        help="comma-separated rule codes or prefixes not to report (added to the config's)",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout"
    )
    parser.add_argument("--list-rules", action="store_true", help="print the rule codes and exit")


def run(args: argparse.Namespace) -> int:
    from migrator.blocking import all_rules, analyze_paths
    from migrator.check_config import load_check_config, parse_codes
    from migrator.check_output import FORMATTERS, CheckReport, error_line, rules_table

    paths = [Path(path) for path in args.paths]
    for path in paths:
        if not path.exists():
            raise UserError(f"{path}: no such file or directory")
    config = load_check_config(paths or [Path.cwd()])
    if args.list_rules:
        _write(rules_table(all_rules(config)), sys.stdout)
        return 0
    if not paths:
        raise UserError("nothing to check: give one or more files or folders (PATH)")
    config = config.overridden(
        select=parse_codes(args.select) if args.select is not None else None,
        ignore=parse_codes(args.ignore) if args.ignore is not None else (),
    )
    config.check_codes(rule.code for rule in all_rules())
    cwd = Path.cwd().resolve()
    under_cwd = all(path.resolve().is_relative_to(cwd) for path in paths)
    analysis = analyze_paths(paths, config, relative_to=cwd if under_cwd else None)
    findings = analysis.findings()
    rules = [rule for rule in all_rules(config) if config.enabled(rule.code)]
    report = CheckReport(findings, analysis.errors, analysis.files_checked, rules)
    rendered = FORMATTERS[args.format](report)
    if args.output:
        try:
            Path(args.output).write_text(rendered, encoding="utf-8")
        except OSError as error:
            raise UserError(f"{args.output}: cannot write the report: {error.strerror}") from None
    else:
        _write(rendered, sys.stdout)
    if args.format == "text":
        for problem in analysis.errors:
            _write(error_line(problem) + "\n", sys.stderr)
    if analysis.errors:
        return 2
    return 1 if findings else 0


def _write(text: str, stream: TextIO) -> None:
    """Write, falling back to ASCII arrows on a terminal that cannot show `→`."""
    try:
        stream.write(text)
    except UnicodeEncodeError:
        stream.write(text.replace("→", "->").encode("ascii", "replace").decode("ascii"))
    stream.flush()
