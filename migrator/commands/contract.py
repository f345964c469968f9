"""`migrate contract`: check a new app against the legacy contract and the legacy app."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "test a new app against the legacy OpenAPI contract and, request by request, the legacy app"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--spec", type=Path, required=True, help="the legacy OpenAPI contract")
    parser.add_argument(
        "--new", required=True, metavar="MODULE:APP", help="the new app (WSGI or ASGI)"
    )
    parser.add_argument(
        "--legacy",
        metavar="MODULE:APP",
        help="the legacy app; adds differential, stateful and explicit cases",
    )
    parser.add_argument(
        "--max-examples", type=int, metavar="N", help="generated cases per operation (default 10)"
    )
    parser.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="explore with seeded random cases (default: deterministic; also $CONTRACT_SEED)",
    )
    parser.add_argument("--junit", type=Path, metavar="FILE", help="write JUnit XML here")
    parser.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="send this header with every request (repeatable)",
    )
    parser.add_argument(
        "--setup",
        metavar="MODULE:FUNCTION",
        help="called with each app to reset its state: before each operation and after a mismatch",
    )
    parser.add_argument(
        "--operation",
        action="append",
        default=[],
        metavar="ID",
        help="only this operation: an operationId or 'METHOD /path' (repeatable)",
    )
    parser.add_argument(
        "--new-spec", type=Path, metavar="FILE", help="the new app's OpenAPI, if it serves none"
    )
    parser.add_argument(
        "--reset-each-case", action="store_true", help="run --setup before every case"
    )
    parser.add_argument(
        "--blocking-threshold",
        type=float,
        default=50.0,
        metavar="MS",
        help="report event-loop callbacks longer than this (default 50)",
    )


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from contract_tests.report import print_report
    from migrator.contract import ContractOptions, run_contract

    options = ContractOptions(
        spec=args.spec,
        new=args.new,
        legacy=args.legacy,
        max_examples=args.max_examples,
        seed=args.seed,
        headers=args.header,
        setup=args.setup,
        operations=args.operation,
        new_spec=args.new_spec,
        reset_each_case=args.reset_each_case,
        blocking_threshold_ms=args.blocking_threshold,
        junit=args.junit,
    )
    console = Console(stderr=True)
    with console.status("contract tests") as status:
        report = run_contract(options, progress=lambda step: status.update(f"contract: {step}"))
    out = Console()
    if not out.is_terminal:
        out = Console(width=160)
    print_report(report, out)
    return 0 if report.ok else 1
