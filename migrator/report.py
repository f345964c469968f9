"""The codemod's report: JSON (for CI and tools), Markdown (for people), a rich summary table.

The JSON field names are a contract (issue 4): `version`, `apps`, `files`, `routes`,
`findings`; see `build_report`.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from migrator.codemod import MigrationResult, atomic_write
from migrator.errors import UserError

REPORT_VERSION = 1


def build_report(result: MigrationResult) -> dict[str, Any]:
    """The report as plain data, routes and files in path order."""
    return {
        "version": REPORT_VERSION,
        "apps": list(result.facts.apps),
        "files": [
            {"path": file.relpath, "status": file.status, "error": file.error}
            for file in result.files
        ],
        "routes": [
            {
                "file": route.file,
                "line": route.line,
                "function": route.function,
                "rule": route.rule,
                "path": route.path,
                "methods": list(route.methods),
                "status": route.status,
                "async": route.is_async,
                "notes": list(route.notes),
            }
            for route in sorted(result.routes, key=lambda r: (r.file, r.line, r.rule))
        ],
        "findings": list(result.findings),
    }


def write_report(result: MigrationResult, path: Path) -> None:
    """Write the report; the format follows the extension (.json or .md)."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        text = json.dumps(build_report(result), indent=2, ensure_ascii=False) + "\n"
    elif suffix in (".md", ".markdown"):
        text = markdown(result)
    else:
        raise UserError(f"{path}: unknown report format (use .json or .md)")
    atomic_write(path, text)


def check_report_path(path: Path | None) -> None:
    """Refuse an unknown report format before doing any work."""
    if path is not None and path.suffix.lower() not in (".json", ".md", ".markdown"):
        raise UserError(f"{path}: unknown report format (use .json or .md)")


def top_reasons(result: MigrationResult, limit: int = 5) -> list[tuple[str, int]]:
    """The most frequent notes of routes that need a human: what to fix first."""
    counts: Counter[str] = Counter()
    for route in result.routes:
        if route.status != "converted":
            counts.update(
                {_reason(note) for note in route.notes if not note.startswith("stays def")}
            )
    return counts.most_common(limit)


def _reason(note: str) -> str:
    """Group notes that differ only by a name: `reads flask_compat.request.json` → `.request`."""
    if note.startswith("reads flask_compat.") or note.startswith("passes flask_compat."):
        return note.split("(")[0].rsplit(".", 1)[0].strip() if note.count(".") > 1 else note
    return note


def markdown(result: MigrationResult) -> str:
    """The report for people: summary, routes, findings, files that failed."""
    report = build_report(result)
    statuses = Counter(route["status"] for route in report["routes"])
    lines = [
        "# Flask → FastAPI migration report",
        "",
        "Apps: " + (", ".join(f"`{app}`" for app in report["apps"]) or "none found"),
        "",
        f"Routes: {statuses['converted']} converted, {statuses['review']} to review, "
        f"{statuses['unsupported']} unsupported; "
        f"{sum(1 for r in report['routes'] if r['async'])} emitted as `async def`.",
        "",
    ]
    reasons = top_reasons(result)
    if reasons:
        lines += ["## What to look at first", ""]
        lines += [f"- {reason} ({count} routes)" for reason, count in reasons]
        lines.append("")
    lines += [
        "## Routes",
        "",
        "| status | methods | Flask rule | FastAPI path | function | async | notes |",
        "|---|---|---|---|---|---|---|",
    ]
    for route in report["routes"]:
        notes = "<br>".join(_cell(note) for note in route["notes"])
        lines.append(
            f"| {route['status']} | {' '.join(route['methods'])} | `{_cell(route['rule'])}` "
            f"| `{_cell(route['path'])}` | {route['file']}:{route['line']} `{route['function']}` "
            f"| {'yes' if route['async'] else 'no'} | {notes} |"
        )
    if report["findings"]:
        lines += ["", "## Blocking calls that keep handlers `def`", ""]
        lines += ["| where | call | chain | fix |", "|---|---|---|---|"]
        for finding in report["findings"]:
            lines.append(
                f"| {finding['file']}:{finding['line']}:{finding['col']} | `{finding['call']}` "
                f"| {' → '.join(finding['chain'])} | {_cell(str(finding['fix']))} |"
            )
    errors = [f for f in report["files"] if f["status"] == "error"]
    if errors:
        lines += ["", "## Files left as they were", ""]
        lines += [f"- `{f['path']}`: {f['error']}" for f in errors]
    all_notes = [*result.notes, *(n for f in result.files for n in f.notes)]
    if all_notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {note}" for note in dict.fromkeys(all_notes)]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def print_summary(result: MigrationResult, console: Console, *, written: bool) -> None:
    """The terminal summary: files and routes by status, and the top reasons to look at."""
    files = Counter(file.status for file in result.files)
    routes = Counter(route.status for route in result.routes)
    table = Table(title="migrate: Flask → FastAPI", show_header=True, header_style="bold")
    table.add_column("")
    table.add_column("converted", justify="right", style="green")
    table.add_column("review", justify="right", style="yellow")
    table.add_column("unsupported / error", justify="right", style="red")
    table.add_column("unchanged", justify="right")
    table.add_row(
        "files", str(files["converted"]), "", str(files["error"]), str(files["unchanged"])
    )
    table.add_row(
        "routes",
        str(routes["converted"]),
        str(routes["review"]),
        str(routes["unsupported"]),
        "",
    )
    console.print(table)
    asynchronous = sum(1 for route in result.routes if route.is_async)
    console.print(
        f"{asynchronous} of {len(result.routes)} handlers emitted as async def; "
        f"{len(result.findings)} blocking calls keep the others def."
    )
    reasons = top_reasons(result)
    if reasons:
        console.print("Top reasons to review:")
        for reason, count in reasons:
            console.print(f"  {count:>3} x {reason}", highlight=False)
    for file in result.errors:
        console.print(f"[red]left as it was[/red]: {file.relpath}: {file.error}", highlight=False)
    if not written:
        console.print("(nothing written)")
