"""`migrate rules`: not built yet."""

from __future__ import annotations

import argparse

HELP = "rules (not built yet)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


def run(args: argparse.Namespace) -> int:
    del args
    print("migrate rules: not built yet")
    return 2
