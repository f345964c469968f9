"""The `migrate` command line: argument parsing and dispatch only.

Command modules stay light to import; each imports its heavy machinery inside `run`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from migrator import __version__
from migrator.commands import bench, check, contract, convert, rules
from migrator.errors import UserError

# Sub-commands by name; anything else on the command line is a SRC for `convert`.
SUBCOMMANDS: dict[str, ModuleType] = {
    "check": check,
    "rules": rules,
    "contract": contract,
    "bench": bench,
}


def _parser(name: str | None, module: ModuleType) -> argparse.ArgumentParser:
    prog = "migrate" if name is None else f"migrate {name}"
    parser = argparse.ArgumentParser(prog=prog, description=module.HELP)
    if name is None:
        parser.add_argument("--version", action="version", version=f"migrate {__version__}")
        parser.epilog = "sub-commands: " + ", ".join(
            f"{sub} ({mod.HELP})" for sub, mod in SUBCOMMANDS.items()
        )
    module.add_arguments(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `migrate`; returns the exit code (0 done, 1 findings/changes, 2 bad input)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    name = args_list[0] if args_list and args_list[0] in SUBCOMMANDS else None
    module = SUBCOMMANDS[name] if name else convert
    parser = _parser(name, module)
    args = parser.parse_args(args_list[1:] if name else args_list)
    try:
        result: int = module.run(args)
    except UserError as error:
        print(f"migrate: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("migrate: interrupted", file=sys.stderr)
        return 130
    return result


if __name__ == "__main__":
    sys.exit(main())
