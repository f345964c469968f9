"""One module per `migrate` sub-command: each adds its arguments and runs."""

from __future__ import annotations

import argparse
from typing import Protocol


class Command(Protocol):
    """What cli.py needs of a sub-command module."""

    HELP: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...
