"""The rule table is consistent data, and the documentation names every rule."""

from __future__ import annotations

import re
from pathlib import Path

from migrator import blocking_rules as table
from migrator.blocking import all_rules

DOCS = Path(__file__).resolve().parents[2] / "docs" / "checker.md"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_*][A-Za-z0-9_]*)*$")


def test_codes_are_unique_and_grouped_by_category() -> None:
    codes = [rule.code for rule in all_rules()]
    assert len(codes) == len(set(codes))
    for rule in all_rules():
        assert re.fullmatch(r"BLK[1-79]0[1-9]", rule.code)
        assert rule.category == table.CATEGORIES[rule.code[:4]]
        assert rule.summary and rule.fix


def test_each_call_belongs_to_one_rule_and_is_a_qualified_name() -> None:
    seen: dict[str, str] = {}
    for rule in table.BLOCKING_RULES:
        for call in rule.calls:
            assert _NAME.match(call), call
            assert seen.setdefault(call, rule.code) == rule.code, call


def test_type_tables_name_types() -> None:
    names = [*table.RETURNS, *table.RETURNS.values(), *table.ATTRIBUTES.values()]
    names += [*table.ATTRIBUTES, *table.ALIASES, *table.ASYNC_APIS, *table.SAFE_CALLS]
    for name in names:
        assert _NAME.match(name), name
    assert not set(table.ASYNC_APIS) & {c for r in table.BLOCKING_RULES for c in r.calls}


def test_the_documentation_lists_every_rule() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for rule in all_rules():
        assert f"| {rule.code} |" in text, rule.code
