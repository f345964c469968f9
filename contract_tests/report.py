"""The contract report for people (a rich table and the failures in full) and for CI (JUnit XML)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from contract_tests.results import ContractReport, OperationResult

MAX_DETAILED_FAILURES = 10


def print_report(report: ContractReport, console: Console) -> None:
    table = Table(title="Contract tests", show_lines=False)
    for column, justify in (
        ("suite", "left"),
        ("operation", "left"),
        ("cases", "right"),
        ("passed", "right"),
        ("inherited", "right"),
        ("failed", "right"),
        ("first failure", "left"),
    ):
        table.add_column(column, justify=justify, no_wrap=column != "first failure")  # type: ignore[arg-type]
    for row in report.rows:
        style = "red" if not row.ok else ("yellow" if row.inherited else "")
        table.add_row(
            str(row.suite),
            row.operation,
            str(row.cases),
            str(row.passed),
            str(row.inherited),
            str(row.failed),
            Text(_one_line(row.first_failure), overflow="ellipsis"),
            style=style,
        )
    console.print(table)
    _print_notes(report, console)
    failing = [row for row in report.rows if not row.ok]
    for row in failing[:MAX_DETAILED_FAILURES]:
        console.rule(f"{row.suite}: {row.operation}", style="red")
        console.print(Text(row.describe_failures(limit=1)))
    if len(failing) > MAX_DETAILED_FAILURES:
        console.print(
            f"… and {len(failing) - MAX_DETAILED_FAILURES} more failing rows (see --junit)"
        )
    verdict = "[green]contract kept[/]" if report.ok else "[red]contract broken[/]"
    total = len(report.rows)
    console.print(f"{verdict}: {total - len(failing)} of {total} rows passed")


def _print_notes(report: ContractReport, console: Console) -> None:
    rows = report.rows
    _print_section(
        console,
        "[yellow]inherited[/] (the legacy app fails the same checks on the same requests):",
        [
            f"{row.suite} {row.operation}: "
            + ", ".join(f"{name} x{n}" for name, n in sorted(row.inherited_by_check.items()))
            for row in rows
            if row.inherited_by_check
        ],
    )
    _print_section(
        console,
        "forbidden requests the new app refused with another status (legacy → new):",
        [
            f"{row.operation}: {_transitions(row.refused_differently)}"
            for row in rows
            if row.refused_differently
        ],
    )
    _print_section(
        console,
        "requests the legacy app failed on (5xx; legacy → new):",
        [
            f"{row.suite} {row.operation}: {_transitions(row.legacy_failed)}"
            for row in rows
            if row.legacy_failed
        ],
    )
    _print_section(
        console,
        "notes (reported, not failures):",
        [f"{row.suite} {row.operation}: {note}" for row in rows for note in row.notes],
    )
    _print_section(console, "OpenAPI diff (new app against the contract):", report.diff_lines)


def _print_section(console: Console, heading: str, lines: Sequence[str]) -> None:
    """The heading (rich markup) and its lines, indented; nothing at all without lines.
    Lines are printed as plain text: operation names and notes may hold brackets."""
    if lines:
        console.print(heading)
        for line in lines:
            console.print(Text("  " + line))


def _transitions(counts: Mapping[tuple[int, int], int]) -> str:
    """`400 → 422 x3, ...`: how often each legacy status became each new one."""
    return ", ".join(f"{old} → {new} x{n}" for (old, new), n in sorted(counts.items()))


def _one_line(text: str, width: int = 90) -> str:
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= width else line[: width - 1] + "…"


def junit_xml(report: ContractReport) -> ET.ElementTree[ET.Element]:
    """One testsuite per suite, one testcase per row; inherited failures go to system-out."""
    root = ET.Element("testsuites", name="contract")
    suites: dict[str, ET.Element] = {}
    for row in report.rows:
        suite = suites.get(row.suite)
        if suite is None:
            suite = ET.SubElement(root, "testsuite", name=f"contract.{row.suite}")
            suites[row.suite] = suite
        _testcase(suite, row)
    for suite in suites.values():
        cases = suite.findall("testcase")
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
        suite.set("errors", str(sum(1 for c in cases if c.find("error") is not None)))
    root.set("tests", str(len(report.rows)))
    root.set("failures", str(sum(1 for row in report.rows if not row.ok)))
    ET.indent(root)
    return ET.ElementTree(root)


def _testcase(suite: ET.Element, row: OperationResult) -> None:
    case = ET.SubElement(suite, "testcase", classname=f"contract.{row.suite}", name=row.operation)
    if row.error is not None:
        ET.SubElement(case, "error", message=row.error).text = row.error
    elif row.failed:
        failure = ET.SubElement(case, "failure", message=_one_line(row.first_failure, 200))
        failure.text = row.describe_failures(limit=3)
    notes = [
        f"{row.cases} cases, {row.passed} passed, {row.inherited} inherited, {row.failed} failed"
    ]
    for finding in [f for f in row.findings if f.inherited][:3]:
        notes.append(f"inherited [{finding.check}] {finding.title}")
    ET.SubElement(case, "system-out").text = "\n".join(notes)


def write_junit(report: ContractReport, path: Path) -> None:
    junit_xml(report).write(path, encoding="utf-8", xml_declaration=True)
