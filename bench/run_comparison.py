"""This repo's latency comparison: legacy_app against reference_app (and the codemod's
untouched output, and a bare-ASGI floor for the DB read), through `migrate bench`.

    .venv/bin/python bench/run_comparison.py --out bench-results

DATABASE_URL (a PostgreSQL URL) is the shared database, reset and seeded before each
service; without it every run gets a fresh SQLite file. The tables below are the whole
configuration: a new row is one more `ServiceSpec`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from migrator import bench, bench_report
from migrator.bench import EndpointSpec, Goal, ServiceSpec
from migrator.errors import UserError

ROOT = Path(__file__).resolve().parent.parent

SETUP = "flask --app legacy_app.wsgi init-db --seed --reset"
HEADERS = (("Authorization", "Bearer acme-token"),)

# Invoice 2 is `sent`; sending it again keeps it `sent`, so every run sends the same invoice
# and no other endpoint sees the data change. The create runs last: requests still queued
# when a load run ends find their client gone, and a service that is slow to shrug that off
# is marked stuck by the bench, which skips its remaining runs.
ENDPOINTS = (
    EndpointSpec("health", "GET", "/health"),
    EndpointSpec("read", "GET", "/invoices/1"),
    EndpointSpec("list", "GET", "/invoices?status=draft&per_page=10"),
    EndpointSpec("send", "POST", "/invoices/2/send"),
    EndpointSpec("create", "POST", "/clients", '{"name": "Bench Client", "email": "b@bench.test"}'),
)
FLOOR_ENDPOINTS = ("health", "read")

# uvicorn logs every request unless told not to; gunicorn does not: both run without.
SERVICES = (
    ServiceSpec("legacy-1w", "gunicorn -w 1 legacy_app.wsgi:app"),
    ServiceSpec("legacy-2w", "gunicorn -w 2 legacy_app.wsgi:app"),
    ServiceSpec("reference-1w", "uvicorn --no-access-log reference_app.main:app"),
    ServiceSpec(
        "reference-2w",
        "gunicorn -c reference_app/gunicorn.conf.py -w 2 -k uvicorn_worker.UvicornWorker "
        "reference_app.main:app",
    ),
    ServiceSpec(
        "floor-orm", "uvicorn --no-access-log bench.floor_app:orm_app", endpoints=FLOOR_ENDPOINTS
    ),
    ServiceSpec(
        "floor-asyncpg",
        "uvicorn --no-access-log bench.floor_app:asyncpg_app",
        endpoints=FLOOR_ENDPOINTS,
    ),
)
# The codemod's untouched output of legacy_app, imported from its --out folder.
CODEMOD = ServiceSpec(
    "codemod-1w", "uvicorn --no-access-log --app-dir {codemod_dir} legacy_app.wsgi:app"
)
POSTGRES_ONLY = {"floor-asyncpg"}

COMPARISONS = (
    ("reference-1w", "legacy-1w"),
    ("reference-2w", "legacy-2w"),
    ("codemod-1w", "legacy-1w"),
    ("reference-1w", "floor-orm"),
    ("reference-1w", "floor-asyncpg"),
)

GOALS = (
    *(
        Goal(f"DB read req/s, {w}", f"reference-{w}", f"legacy-{w}", "read", 64, "rps", 2.5)
        for w in ("1w", "2w")
    ),
    *(
        Goal(f"fan-out req/s, {w}", f"reference-{w}", f"legacy-{w}", "send", 64, "rps", 50)
        for w in ("1w", "2w")
    ),
    *(
        Goal(
            f"{endpoint} p99, {w}",
            f"reference-{w}",
            f"legacy-{w}",
            endpoint,
            64,
            "p99_ms",
            at_most=0.5,
        )
        for endpoint in ("read", "send")
        for w in ("1w", "2w")
    ),
    Goal("DB read vs the bare-ASGI floor", "reference-1w", "floor-orm", "read", 64, "rps", 0.85),
)


def codemod_service(out_dir: Path, given: Path | None) -> ServiceSpec | None:
    """The codemod row: its output (given, or made now with `migrate legacy_app --out`),
    or None with a note when there is none yet."""
    target = given or out_dir / "codemod-app"
    if given is None:
        shutil.rmtree(target, ignore_errors=True)
        done = subprocess.run(
            [sys.executable, "-m", "migrator", "legacy_app", "--out", str(target)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode not in (0, 1):
            print(f"codemod row skipped: migrate legacy_app failed: {done.stderr.strip()}")
            return None
    if not (target / "legacy_app" / "wsgi.py").is_file():
        print(f"codemod row skipped: no legacy_app/wsgi.py under {target}")
        return None
    command = CODEMOD.command.replace("{codemod_dir}", str(target.resolve()))
    return ServiceSpec(CODEMOD.name, command, CODEMOD.endpoints)


def select_services(
    names: Sequence[str] | None, codemod: ServiceSpec | None, postgres: bool
) -> tuple[ServiceSpec, ...]:
    """The rows to run, in table order: codemod right after the legacy rows."""
    rows = [*SERVICES[:2], *([codemod] if codemod else []), *SERVICES[2:]]
    if not postgres:
        rows = [s for s in rows if s.name not in POSTGRES_ONLY]
    if names:
        known = {s.name for s in rows}
        unknown = sorted(set(names) - known)
        if unknown:
            raise UserError(f"unknown services {', '.join(unknown)}; known: {', '.join(known)}")
        rows = [s for s in rows if s.name in names]
    return tuple(rows)


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise UserError("chromium is not installed: apt-get install chromium")
    return found


def chromium(*args: str, timeout_s: float = 90) -> str:
    """Run headless Chromium on a fresh profile with `args`; returns what it printed."""
    found = chromium_path()
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                found,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                *args,
            ],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout_s,
            check=True,
        )
    return done.stdout


def screenshot(page: Path, png: Path, width: int = 1250, height: int = 700) -> None:
    """A PNG of the top of `page`, taken by headless Chromium."""
    chromium(
        f"--window-size={width},{height}",
        f"--screenshot={png.resolve()}",
        page.resolve().as_uri(),
        timeout_s=60,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results")
    parser.add_argument("--concurrency", default="16,64,256")
    parser.add_argument("--duration", default="6s")
    parser.add_argument("--warmup", default="2s")
    parser.add_argument("--rounds", type=int, default=1, help="keep the least disturbed of N")
    parser.add_argument("--services", help="comma-separated rows to run (default: all)")
    parser.add_argument("--endpoints", help="comma-separated endpoints (default: all)")
    parser.add_argument("--codemod-dir", type=Path, help="the codemod's output to use")
    parser.add_argument("--screenshot", type=Path, help="also save a PNG of some endpoints' charts")
    parser.add_argument("--screenshot-endpoints", default="read,send")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    try:
        return _run(args)
    except UserError as error:
        print(f"run_comparison: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("run_comparison: interrupted", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    if args.screenshot:
        chromium_path()  # before minutes of load, not after
    database_url = os.environ.get("DATABASE_URL") or None
    postgres = bool(database_url and database_url.startswith("postgres"))
    names = args.services.split(",") if args.services else None
    codemod = None
    if names is None or CODEMOD.name in names:
        codemod = codemod_service(args.out, args.codemod_dir)
    endpoints: tuple[EndpointSpec, ...] = ENDPOINTS
    if args.endpoints:
        endpoints = tuple(e for e in ENDPOINTS if e.name in args.endpoints.split(","))
    chosen = {e.name for e in endpoints}
    services = tuple(
        ServiceSpec(s.name, s.command, tuple(e for e in s.endpoints if e in chosen))
        if s.endpoints is not None
        else s
        for s in select_services(names, codemod, postgres)
    )
    names_run = {s.name for s in services}
    plan = bench.BenchPlan(
        services=services,
        endpoints=endpoints,
        out_dir=args.out,
        concurrencies=bench.parse_concurrency(args.concurrency),
        duration_s=bench.parse_seconds(args.duration, option="--duration", minimum=1),
        warmup_s=bench.parse_seconds(args.warmup, option="--warmup", minimum=0),
        rounds=max(1, args.rounds),
        headers=HEADERS,
        setup=SETUP,
        database_url=database_url,
        comparisons=tuple(p for p in COMPARISONS if set(p) <= names_run),
    )
    results = bench.run_bench(plan, bench.terminal_progress(args.quiet))
    results.goals = bench_report.evaluate_goals(
        results, [g for g in GOALS if {g.new, g.old} <= names_run]
    )
    bench.write_results_json(results, args.out)
    written = bench_report.write_reports(results, args.out)
    print(bench_report.render_markdown(results))
    if args.screenshot:
        shown = args.screenshot_endpoints.split(",")
        figure = args.out / "figure.html"
        figure.write_text(bench_report.render_figure_html(results, shown))
        screenshot(figure, args.screenshot, height=140 + 330 * len(shown))
        written.append(args.screenshot)
    for path in [args.out / "results.json", *written]:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
