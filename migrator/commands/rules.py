"""`migrate rules`: the codemod's rewrite rules, each with its code and what it does."""

from __future__ import annotations

import argparse

HELP = "list the codemod's rewrite rules (codes for --disable)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the rules as JSON")


def run(args: argparse.Namespace) -> int:
    import json

    from migrator.rules import Rule

    if args.json:
        rules = [{"code": r.value, "name": r.slug, "description": r.description} for r in Rule]
        print(json.dumps(rules, indent=2, ensure_ascii=False))
        return 0
    width = max(len(rule.slug) for rule in Rule)
    for rule in Rule:
        print(f"{rule.value}  {rule.slug:<{width}}  {rule.description}")
    return 0
