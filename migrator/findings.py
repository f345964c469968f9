"""`Finding`: one blocking or un-awaited call, shared by `migrate check` and the codemod report."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Finding:
    """A call that blocks the event loop (or a coroutine that is never awaited).

    `file` is relative to the analysed root, with forward slashes; `line` and `col` are
    1-based and point at the call in the function being checked. `call` is the qualified
    name of the blocking call at the end of `chain`, which lists the project functions
    called in turn to reach it (`chain == [call]` for a direct call).
    """

    code: str
    file: str
    line: int
    col: int
    call: str
    chain: list[str] = field(default_factory=list)
    message: str = ""
    fix: str = ""

    def to_dict(self) -> dict[str, object]:
        """The JSON shape used by `migrate check --format json` and the codemod report."""
        return {
            "code": self.code,
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "call": self.call,
            "chain": list(self.chain),
            "message": self.message,
            "fix": self.fix,
        }

    def sort_key(self) -> tuple[str, int, int, str, tuple[str, ...]]:
        """Findings sort by place, then code, then chain: stable across runs and file orders."""
        return (self.file, self.line, self.col, self.code, tuple(self.chain))
