"""Reports: file and process helpers, reached through `import shop.reports as reports`."""

import subprocess
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"


def load_template(name: str) -> str:
    with open(TEMPLATES / name, encoding="utf-8") as handle:
        return handle.read()


def git_revision() -> str:
    return subprocess.check_output(["git", "rev-parse", "HEAD"], text=True)


def render_report() -> str:
    return load_template("report.txt").format(revision=git_revision())


def stream_rows() -> object:
    for line in (TEMPLATES / "rows.csv").read_text().splitlines():
        yield line
