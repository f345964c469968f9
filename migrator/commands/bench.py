"""`migrate bench`: services under the same load and database; results.json/.md, report.html."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from migrator.bench import BenchPlan

HELP = "latency and throughput of services under the same load (wrk)"

EXAMPLE = """\
example:
  migrate bench --service 'legacy=gunicorn -w 1 legacy_app.wsgi:app' \\
      --service 'reference=uvicorn --no-access-log reference_app.main:app' \\
      --setup 'flask --app legacy_app.wsgi init-db --seed --reset' \\
      --header 'Authorization: Bearer acme-token' \\
      --endpoint 'read=GET /invoices/1' --endpoint 'create=POST /clients {"name": "Bench"}'

Commands may use {host}, {port} and {workers}; gunicorn and uvicorn commands without
{port} get their bind options added. DATABASE_URL (when set) is the shared database,
else each run gets a fresh SQLite file; the services see it as DATABASE_URL, and the
fixed-delay upstream stub the bench starts as UPSTREAM_URL."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EXAMPLE
    parser.add_argument(
        "--service",
        action="append",
        default=[],
        metavar="NAME=COMMAND",
        help="a service to start (repeat; the first is the baseline of the ratios)",
    )
    parser.add_argument(
        "--endpoint",
        action="append",
        default=[],
        metavar="NAME=METHOD PATH [BODY]",
        help="a request to drive, with an optional JSON body (repeat; default: health=GET /health)",
    )
    parser.add_argument(
        "--concurrency", default="16,64,256", help="connections (default 16,64,256)"
    )
    parser.add_argument("--duration", default="10s", help="load per run (default 10s)")
    parser.add_argument("--warmup", default="3s", help="warm-up per service and endpoint (3s)")
    parser.add_argument("--workers", type=int, default=1, help="fills {workers} (default 1)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="runs per service, endpoint and concurrency; the one least disturbed by other "
        "work on the machine is kept (default 1)",
    )
    parser.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="sent with every request",
    )
    parser.add_argument(
        "--setup",
        help="run before the services start and before each endpoint's runs, e.g. reset and "
        "seed the database",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="SERVICE=ENDPOINT[,ENDPOINT]",
        help="drive SERVICE on these endpoints only",
    )
    parser.add_argument(
        "--compare",
        action="append",
        default=[],
        metavar="NEW=OLD",
        help="a ratio pair for the tables (default: every service against the first)",
    )
    parser.add_argument("--upstream-delay-ms", type=float, default=50.0, help="upstream stub delay")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1)")
    parser.add_argument("--timeout", default="10s", help="wrk's per-request timeout (default 10s)")
    parser.add_argument(
        "--health", default="/health", help="path that answers 200 once a service is up"
    )
    parser.add_argument(
        "--settle-timeout",
        default="60s",
        help="longest wait for a service to go idle after a run; past it the service counts "
        "as stuck and its remaining runs are skipped (default 60s)",
    )
    parser.add_argument("--out", type=Path, default=Path("bench-results"), help="output folder")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.add_argument(
        "--render",
        type=Path,
        metavar="RESULTS_JSON",
        help="only re-render results.md and report.html from an existing results.json",
    )


def run(args: argparse.Namespace) -> int:
    import json

    from migrator import bench, bench_report
    from migrator.errors import UserError

    if args.render is not None:
        try:
            data = json.loads(args.render.read_text())
        except (OSError, ValueError) as error:
            raise UserError(f"cannot read {args.render}: {error}") from error
        results = bench.BenchResults.from_json(data)
        for path in bench_report.write_reports(results, args.out):
            print(path)
        return 0

    plan = plan_from_args(args)
    results = bench.run_bench(plan, bench.terminal_progress(args.quiet))
    paths = [plan.out_dir / "results.json", *bench_report.write_reports(results, plan.out_dir)]
    print(bench_report.render_markdown(results))
    for path in paths:
        print(path)
    return 0


def plan_from_args(args: argparse.Namespace) -> BenchPlan:
    """The BenchPlan the command line describes."""
    from migrator import bench
    from migrator.errors import UserError

    services = [bench.parse_service(text) for text in args.service]
    only = dict(bench.parse_pair(text, "--only") for text in args.only)
    unknown = set(only) - {s.name for s in services}
    if unknown:
        raise UserError(f"--only names an unknown service: {', '.join(sorted(unknown))}")
    services = [
        bench.ServiceSpec(s.name, s.command, tuple(only[s.name].split(",")))
        if s.name in only
        else s
        for s in services
    ]
    endpoints = [bench.parse_endpoint(text) for text in args.endpoint] or [
        bench.EndpointSpec("health", "GET", args.health)
    ]
    if min(args.workers, args.threads, args.rounds) < 1:
        raise UserError("--workers, --threads and --rounds must be at least 1")
    plan = bench.BenchPlan(
        services=tuple(services),
        endpoints=tuple(endpoints),
        out_dir=args.out,
        concurrencies=bench.parse_concurrency(args.concurrency),
        duration_s=bench.parse_seconds(args.duration, option="--duration", minimum=1),
        warmup_s=bench.parse_seconds(args.warmup, option="--warmup", minimum=0),
        workers=args.workers,
        rounds=args.rounds,
        headers=tuple(bench.parse_header(text) for text in args.header),
        setup=args.setup,
        database_url=os.environ.get("DATABASE_URL") or None,
        upstream_delay_ms=args.upstream_delay_ms,
        threads=args.threads,
        timeout_s=bench.parse_seconds(args.timeout, option="--timeout", minimum=1),
        health_path=args.health,
        settle_timeout_s=bench.parse_seconds(
            args.settle_timeout, option="--settle-timeout", minimum=1
        ),
        comparisons=tuple(bench.parse_pair(text, "--compare") for text in args.compare),
    )
    bench.validate_plan(plan)
    return plan
