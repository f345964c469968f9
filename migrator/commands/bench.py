"""`migrate bench`: not built yet."""

from __future__ import annotations

import argparse

HELP = "bench (not built yet)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


def run(args: argparse.Namespace) -> int:
    del args
    print("migrate bench: not built yet")
    return 2
