"""What a contract run finds: per suite and operation, cases counted and failures kept."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field

# Findings kept per row; beyond that only the counts grow.
MAX_KEPT_FINDINGS = 20


class Suite(enum.StrEnum):
    CONFORMANCE = "conformance"
    DIFFERENTIAL = "differential"
    STATEFUL = "stateful"
    EXPLICIT = "explicit"
    OPENAPI_DIFF = "openapi diff"
    BLOCKING = "blocking watch"


@dataclass(frozen=True)
class Finding:
    """One failure: which check, on what, a one-line title and a readable detail.

    `inherited`: the legacy app fails the same check on the same request, so the new app
    keeps the legacy behaviour; it is reported but is not a regression.
    """

    check: str
    title: str
    detail: str
    inherited: bool = False


@dataclass
class OperationResult:
    """One row of the report: a suite run over one operation (or one group of explicit cases)."""

    suite: Suite
    operation: str
    cases: int = 0
    failed: int = 0
    inherited: int = 0
    findings: list[Finding] = field(default_factory=list)
    failures_by_check: Counter[str] = field(default_factory=Counter)
    inherited_by_check: Counter[str] = field(default_factory=Counter)
    # Forbidden requests the new app refused with another 4xx: (legacy status, new status) → count.
    refused_differently: Counter[tuple[int, int]] = field(default_factory=Counter)
    # Requests the legacy app failed (5xx) on: (legacy status, new status) → count.
    legacy_failed: Counter[tuple[int, int]] = field(default_factory=Counter)
    error: str | None = None  # the run of this row itself broke (schema error, crash)
    notes: list[str] = field(default_factory=list)  # reported, not failures (warm-up blocking)

    @property
    def passed(self) -> int:
        return self.cases - self.failed - self.inherited

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.error is None

    @property
    def regressions(self) -> list[Finding]:
        return [f for f in self.findings if not f.inherited]

    @property
    def first_failure(self) -> str:
        if self.error is not None:
            return self.error
        regressions = self.regressions
        return regressions[0].title if regressions else ""

    def record_case(self, findings: list[Finding]) -> None:
        """Count one case with the findings it produced (none: it passed)."""
        self.cases += 1
        if not findings:
            return
        if any(not f.inherited for f in findings):
            self.failed += 1
        else:
            self.inherited += 1
        for finding in findings:
            counter = self.inherited_by_check if finding.inherited else self.failures_by_check
            counter[finding.check] += 1
            kept = sum(1 for f in self.findings if f.check == finding.check)
            if kept < MAX_KEPT_FINDINGS:
                self.findings.append(finding)

    def describe_failures(self, limit: int = 3) -> str:
        """The first few regressions in full, for an assertion message or a JUnit failure."""
        parts = [f"{self.suite} {self.operation}: {self.failed} of {self.cases} cases failed"]
        if self.error is not None:
            parts.append(self.error)
        for check, count in sorted(self.failures_by_check.items()):
            parts.append(f"  {check}: {count}")
        for finding in self.regressions[:limit]:
            parts.append("")
            parts.append(f"[{finding.check}] {finding.title}")
            parts.append(finding.detail)
        return "\n".join(parts)


@dataclass
class ContractReport:
    rows: list[OperationResult] = field(default_factory=list)
    diff_lines: list[str] = field(default_factory=list)  # openapi diff, breaking first

    @property
    def ok(self) -> bool:
        return all(row.ok for row in self.rows)

    def rows_for(self, suite: Suite) -> list[OperationResult]:
        return [row for row in self.rows if row.suite is suite]
