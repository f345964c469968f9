"""`migrate SRC`: convert a Flask project to FastAPI (the codemod)."""

from __future__ import annotations

import argparse

HELP = "convert the Flask project at SRC to FastAPI"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("src", metavar="SRC", help="a Flask package, folder of modules, or file")


def run(args: argparse.Namespace) -> int:
    print(f"migrate: the codemod is not built yet; would convert {args.src}")
    return 0
