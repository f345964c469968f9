"""`[tool.migrate.check]`: a project's settings for the blocking-call checker.

```toml
[tool.migrate.check]
select = ["BLK1", "BLK2"]          # codes or prefixes; default: every rule
ignore = ["BLK304"]
safe-wrappers = ["shop.threads.run_blocking"]   # run what they are given off the loop
returns = { "shop.db.make_session" = "sqlalchemy.orm.Session" }

[[tool.migrate.check.blocking-calls]]
calls = ["shop.vendor.Client.fetch"]   # or call = "..."
code = "BLK801"
message = "calls the vendor SDK synchronously"
fix = "use shop.vendor.AsyncClient"
```

The file read is the nearest `pyproject.toml` at or above the checked paths.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from migrator.blocking_rules import BlockingRule
from migrator.errors import UserError

_CODE = re.compile(r"^[A-Z]+[0-9]+$")
_PREFIX = re.compile(r"^[A-Z]+[0-9]*$")
_KEYS = frozenset(("select", "ignore", "safe-wrappers", "returns", "blocking-calls"))
_RULE_KEYS = frozenset(("call", "calls", "code", "message", "fix"))


@dataclass(frozen=True, slots=True)
class CheckConfig:
    """What to report and what the project adds to the built-in rule table.

    `select` and `ignore` hold codes or prefixes (`BLK2` is every database rule); the
    longest matching entry wins, and `ignore` wins a tie. An empty `select` selects all.
    """

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    blocking_calls: tuple[BlockingRule, ...] = ()
    safe_wrappers: tuple[str, ...] = ()
    returns: Mapping[str, str] = field(default_factory=dict)
    source: Path | None = None

    def enabled(self, code: str) -> bool:
        """Whether findings of `code` are reported."""
        selected = max((len(p) for p in self.select if code.startswith(p)), default=-1)
        if not self.select:
            selected = 0
        ignored = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        return selected > ignored

    def overridden(
        self, select: Sequence[str] | None = None, ignore: Sequence[str] = ()
    ) -> CheckConfig:
        """Command-line choices on top: `select` replaces, `ignore` adds."""
        return replace(
            self,
            select=self.select if select is None else tuple(select),
            ignore=(*self.ignore, *ignore),
        )

    def check_codes(self, known: Iterable[str]) -> None:
        """Refuse a select/ignore entry that names no rule: a typo would silence nothing."""
        codes = set(known) | {rule.code for rule in self.blocking_calls}
        for entry in (*self.select, *self.ignore):
            if not _PREFIX.match(entry) or not any(code.startswith(entry) for code in codes):
                raise UserError(f"unknown rule code or prefix {entry!r} (see --list-rules)")


def parse_codes(text: str) -> list[str]:
    """`BLK1,BLK201` (commas or spaces) as a list of upper-case codes."""
    return [part.upper() for part in re.split(r"[,\s]+", text.strip()) if part]


def find_pyproject(paths: Sequence[Path]) -> Path | None:
    """The nearest pyproject.toml at or above the common folder of `paths`."""
    folders = [p.resolve() if p.is_dir() else p.resolve().parent for p in paths]
    if not folders:
        return None
    folder = Path(os.path.commonpath(folders))
    for candidate in (folder, *folder.parents):
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            return pyproject
    return None


def load_check_config(paths: Sequence[Path]) -> CheckConfig:
    """The `[tool.migrate.check]` table that applies to `paths`, or the defaults."""
    pyproject = find_pyproject(paths)
    if pyproject is None:
        return CheckConfig()
    try:
        document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UserError(f"{pyproject}: cannot read it as TOML: {error}") from None
    tool = document.get("tool", {})
    migrate = tool.get("migrate", {}) if isinstance(tool, dict) else {}
    table = migrate.get("check", {}) if isinstance(migrate, dict) else {}
    if not isinstance(table, dict):
        raise UserError(f"{pyproject}: [tool.migrate.check] must be a table")
    return config_from_table(table, pyproject)


def config_from_table(table: Mapping[str, object], source: Path | None = None) -> CheckConfig:
    """A `CheckConfig` from the parsed `[tool.migrate.check]` table, validated."""
    where = f"{source}: [tool.migrate.check]" if source else "[tool.migrate.check]"
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise UserError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})")
    returns = table.get("returns", {})
    if not isinstance(returns, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in returns.items()
    ):
        raise UserError(f"{where}: 'returns' must map qualified names to type names")
    rules_table = table.get("blocking-calls", [])
    if not isinstance(rules_table, list):
        raise UserError(f"{where}: 'blocking-calls' must be an array of tables")
    return CheckConfig(
        select=tuple(c.upper() for c in _strings(table, "select", where)),
        ignore=tuple(c.upper() for c in _strings(table, "ignore", where)),
        blocking_calls=tuple(_rule(entry, where) for entry in rules_table),
        safe_wrappers=_strings(table, "safe-wrappers", where),
        returns=dict(returns),
        source=source,
    )


def _strings(table: Mapping[str, object], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise UserError(f"{where}: {key!r} must be a list of strings")
    return tuple(value)


def _rule(entry: object, where: str) -> BlockingRule:
    if not isinstance(entry, dict):
        raise UserError(f"{where}: each 'blocking-calls' entry must be a table")
    unknown = sorted(set(entry) - _RULE_KEYS)
    if unknown:
        raise UserError(f"{where}: unknown key {unknown[0]!r} in a 'blocking-calls' entry")
    calls = _strings(entry, "calls", where) + _strings(entry, "call", where)
    code = entry.get("code")
    if not calls:
        raise UserError(f"{where}: a 'blocking-calls' entry needs 'call' or 'calls'")
    if not isinstance(code, str) or not _CODE.match(code):
        raise UserError(f"{where}: 'code' must look like BLK801, got {code!r}")
    message = entry.get("message", "blocks the event loop")
    fix = entry.get("fix", "")
    if not isinstance(message, str) or not isinstance(fix, str):
        raise UserError(f"{where}: 'message' and 'fix' must be strings")
    return BlockingRule(code, message, fix, calls)
