"""`migrate check` reports: text, JSON, SARIF 2.1.0 (code scanning), GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from migrator import __version__
from migrator.blocking import FileError
from migrator.blocking_rules import CATEGORIES, BlockingRule
from migrator.findings import Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "migrate check"


@dataclass(frozen=True, slots=True)
class CheckReport:
    """One run of the checker: what it found, what it could not read, and the rules used."""

    findings: Sequence[Finding]
    errors: Sequence[FileError]
    files_checked: int
    rules: Sequence[BlockingRule]


def finding_line(finding: Finding) -> str:
    """`path:line:col: CODE message (via a → b → call) → fix`."""
    via = f" (via {' → '.join(finding.chain)})" if len(finding.chain) > 1 else ""
    fix = f" → {finding.fix}" if finding.fix else ""
    return (
        f"{finding.file}:{finding.line}:{finding.col}: {finding.code} {finding.message}{via}{fix}"
    )


def error_line(error: FileError) -> str:
    """`path:line:col: error: message` for a file that could not be checked."""
    place = error.file
    if error.line is not None:
        place += f":{error.line}" + (f":{error.col}" if error.col is not None else "")
    return f"{place}: error: {error.message}"


def text(report: CheckReport) -> str:
    """Findings one per line, then a summary (file errors are written to stderr by the CLI)."""
    lines = [finding_line(finding) for finding in report.findings]
    files = len({finding.file for finding in report.findings})
    checked = _plural(report.files_checked, "file")
    if report.findings:
        found = _plural(len(report.findings), "finding")
        lines.append(f"Found {found} in {_plural(files, 'file')} ({checked} checked).")
    else:
        lines.append(f"No blocking calls found ({checked} checked).")
    if report.errors:
        lines.append(f"{_plural(len(report.errors), 'file')} could not be checked.")
    return "\n".join(lines) + "\n"


def json_report(report: CheckReport) -> str:
    """`{"version": 1, "findings": [...], "files_checked": N, "errors": [...]}`."""
    document = {
        "version": 1,
        "findings": [finding.to_dict() for finding in report.findings],
        "files_checked": report.files_checked,
        "errors": [error.to_dict() for error in report.errors],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def sarif(report: CheckReport) -> str:
    """A SARIF 2.1.0 log with one run: rules, results and unreadable files as notifications."""
    rules = list(report.rules)
    index = {rule.code: position for position, rule in enumerate(rules)}
    for finding in report.findings:  # a code configured away still needs a rule entry
        if finding.code not in index:
            index[finding.code] = len(rules)
            rules.append(BlockingRule(finding.code, finding.message, finding.fix, ()))
    results = [_sarif_result(finding, index[finding.code]) for finding in report.findings]
    notifications = [
        {
            "level": "error",
            "message": {"text": error.message},
            "locations": [_sarif_location(error.file, error.line, error.col)],
        }
        for error in report.errors
    ]
    run = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_sarif_rule(rule) for rule in rules],
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [
            {
                "executionSuccessful": not report.errors,
                "toolExecutionNotifications": notifications,
            }
        ],
    }
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _sarif_rule(rule: BlockingRule) -> dict[str, object]:
    category = rule.category
    return {
        "id": rule.code,
        "name": f"{category}-{rule.code}",
        "shortDescription": {"text": f"Call {rule.summary}"},
        "fullDescription": {
            "text": f"Call {rule.summary}. Examples: {', '.join(rule.calls[:4]) or 'see docs'}."
        },
        "help": {"text": rule.fix or "See docs/checker.md."},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"category": category, "tags": ["async", category]},
    }


def _sarif_result(finding: Finding, rule_index: int) -> dict[str, object]:
    via = f" (via {' → '.join(finding.chain)})" if len(finding.chain) > 1 else ""
    fix = f". Fix: {finding.fix}" if finding.fix else ""
    return {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": "warning",
        "message": {"text": f"{finding.message}{via}{fix}"},
        "locations": [_sarif_location(finding.file, finding.line, finding.col)],
        "partialFingerprints": {  # stable when lines move: file, rule and chain
            "blockingCallChain/v1": ":".join((finding.file, finding.code, *finding.chain))
        },
        "properties": {"call": finding.call, "chain": list(finding.chain)},
    }


def _sarif_location(file: str, line: int | None, col: int | None) -> dict[str, object]:
    artifact: dict[str, str] = {"uri": quote(file)}
    if file.startswith("/"):
        artifact["uri"] = "file://" + quote(file)
    else:
        artifact["uriBaseId"] = "%SRCROOT%"
    physical: dict[str, object] = {"artifactLocation": artifact}
    if line is not None:
        region: dict[str, int] = {"startLine": line}
        if col is not None:
            region["startColumn"] = col
        physical["region"] = region
    return {"physicalLocation": physical}


def github(report: CheckReport) -> str:
    """GitHub Actions workflow commands: one `::warning` per finding, `::error` per bad file."""
    lines = []
    for finding in report.findings:
        via = f" (via {' → '.join(finding.chain)})" if len(finding.chain) > 1 else ""
        fix = f" → {finding.fix}" if finding.fix else ""
        properties = _properties(
            file=finding.file, line=finding.line, col=finding.col, title=finding.code
        )
        lines.append(f"::warning {properties}::{_data(finding.message + via + fix)}")
    for error in report.errors:
        properties = _properties(file=error.file, line=error.line, col=error.col)
        lines.append(f"::error {properties}::{_data(error.message)}")
    return "".join(line + "\n" for line in lines)


def _properties(**values: object) -> str:
    return ",".join(f"{key}={_property(str(value))}" for key, value in values.items() if value)


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def rules_table(rules: Sequence[BlockingRule]) -> str:
    """The rule table for `migrate check --list-rules`."""
    lines = []
    for prefix, category in CATEGORIES.items():
        members = [rule for rule in rules if rule.code.startswith(prefix)]
        if not members:
            continue
        lines.append(f"{prefix}xx  {category}")
        for rule in members:
            lines.append(f"  {rule.code}  {rule.summary}")
            lines.append(f"          fix: {rule.fix}")
            if rule.calls:
                shown = ", ".join(rule.calls[:6]) + (", …" if len(rule.calls) > 6 else "")
                lines.append(f"          e.g. {shown}")
    others = [rule for rule in rules if rule.code[:4] not in CATEGORIES]
    for rule in others:
        lines.append(f"  {rule.code}  {rule.summary}  (fix: {rule.fix})")
    return "\n".join(lines) + "\n"


FORMATTERS: dict[str, Callable[[CheckReport], str]] = {
    "text": text,
    "json": json_report,
    "sarif": sarif,
    "github": github,
}
