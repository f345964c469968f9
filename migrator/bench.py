"""`migrate bench`: services under the same load and database, measured with wrk.

Each service starts as a real server on 127.0.0.1 (after the setup command has reset and
seeded the shared database), is warmed up, then every endpoint is driven at every
concurrency for a bounded time. The results are one `RunResult` per service, endpoint and
concurrency, plus how the load spread over each service's workers, plus the environment
(versions, CPU count, worker counts, exact commands). `bench_report` renders them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import re
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from migrator import bench_services as services
from migrator import bench_wrk
from migrator.errors import UserError

_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

# Packages whose versions go into the results (those installed).
RECORDED_PACKAGES = (
    "flask",
    "werkzeug",
    "fastapi",
    "starlette",
    "pydantic",
    "gunicorn",
    "uvicorn",
    "uvicorn-worker",
    "uvloop",
    "httptools",
    "sqlalchemy",
    "psycopg",
    "asyncpg",
    "aiosqlite",
    "requests",
    "httpx",
)


# --- what to run ---


@dataclass(frozen=True)
class ServiceSpec:
    """A service to start: `command` may use {host}, {port}, {workers}; `endpoints` limits
    which endpoints it is driven on (None: all)."""

    name: str
    command: str
    endpoints: tuple[str, ...] | None = None


@dataclass(frozen=True)
class EndpointSpec:
    """A request to drive: method, path (with query) and an optional JSON body."""

    name: str
    method: str
    path: str
    body: str | None = None

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class BenchPlan:
    services: tuple[ServiceSpec, ...]
    endpoints: tuple[EndpointSpec, ...]
    out_dir: Path
    concurrencies: tuple[int, ...] = (16, 64, 256)
    duration_s: int = 10
    warmup_s: int = 3
    workers: int = 1
    headers: tuple[tuple[str, str], ...] = ()
    setup: str | None = None
    database_url: str | None = None
    upstream_delay_ms: float = 50.0
    threads: int = 1
    timeout_s: int = 10
    health_path: str = "/health"
    start_timeout_s: float = 60.0
    settle_timeout_s: float = 60.0
    rounds: int = 1
    comparisons: tuple[tuple[str, str], ...] = ()
    goals: tuple[Goal, ...] = ()

    def endpoints_for(self, service: ServiceSpec) -> list[EndpointSpec]:
        if service.endpoints is None:
            return list(self.endpoints)
        return [e for e in self.endpoints if e.name in service.endpoints]

    def load_seconds(self) -> int:
        """Seconds of load the plan applies (warm-ups included; start-ups and drains not)."""
        per_endpoint = self.warmup_s + self.duration_s * len(self.concurrencies) * self.rounds
        return sum(per_endpoint * len(self.endpoints_for(s)) for s in self.services)

    def comparison_pairs(self) -> list[tuple[str, str]]:
        """(new, old) pairs for the ratio tables: as given, else every service vs the first."""
        if self.comparisons:
            return list(self.comparisons)
        first = self.services[0].name
        return [(s.name, first) for s in self.services[1:]]


@dataclass(frozen=True)
class Goal:
    """A target for new/old on one endpoint and concurrency: `metric` is rps or a latency
    field; the ratio must be at least `at_least` or at most `at_most`."""

    description: str
    new: str
    old: str
    endpoint: str
    concurrency: int
    metric: str
    at_least: float | None = None
    at_most: float | None = None


# --- what comes out ---


@dataclass(frozen=True)
class RunResult:
    """One service, endpoint and concurrency: the fields of results.json's `runs`."""

    service: str
    endpoint: str
    concurrency: int
    rps: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    non_2xx: int


@dataclass
class BenchResults:
    runs: list[RunResult] = field(default_factory=list)
    env: dict[str, Any] = field(default_factory=dict)
    load_spread: list[dict[str, Any]] = field(default_factory=list)
    goals: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "runs": [asdict(run) for run in self.runs],
            "env": self.env,
            "load_spread": self.load_spread,
        }
        if self.goals:
            data["goals"] = self.goals
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BenchResults:
        names = {f.name for f in fields(RunResult)}
        try:
            runs = [RunResult(**{k: v for k, v in r.items() if k in names}) for r in data["runs"]]
        except (KeyError, TypeError) as error:
            raise UserError(f"not a results.json of migrate bench: {error}") from error
        return cls(
            runs,
            dict(data.get("env", {})),
            list(data.get("load_spread", [])),
            list(data.get("goals", [])),
        )

    def find(self, service: str, endpoint: str, concurrency: int) -> RunResult | None:
        for run in self.runs:
            if (run.service, run.endpoint, run.concurrency) == (service, endpoint, concurrency):
                return run
        return None


# --- parsing the command line's specs ---


def parse_service(text: str) -> ServiceSpec:
    """`NAME=COMMAND`."""
    name, sep, command = text.partition("=")
    name = name.strip()
    if not sep or not _NAME.match(name) or not command.strip():
        raise UserError(f"--service wants NAME=COMMAND, got {text!r}")
    return ServiceSpec(name, command.strip())


def parse_endpoint(text: str) -> EndpointSpec:
    """`NAME=METHOD PATH [JSON BODY]`."""
    name, sep, rest = text.partition("=")
    name = name.strip()
    parts = rest.strip().split(None, 2)
    if not sep or not _NAME.match(name) or len(parts) < 2:
        raise UserError(f"--endpoint wants NAME=METHOD PATH [BODY], got {text!r}")
    method, path = parts[0].upper(), parts[1]
    if method not in METHODS:
        raise UserError(f"--endpoint {name}: unknown method {parts[0]!r}")
    if not path.startswith("/"):
        raise UserError(f"--endpoint {name}: the path must start with '/', got {path!r}")
    body = parts[2] if len(parts) == 3 else None
    if body is not None:
        try:
            json.loads(body)
        except ValueError as error:
            raise UserError(f"--endpoint {name}: the body is not JSON: {error}") from error
    return EndpointSpec(name, method, path, body)


def parse_header(text: str) -> tuple[str, str]:
    """`Name: value`."""
    name, sep, value = text.partition(":")
    if not sep or not name.strip() or " " in name.strip():
        raise UserError(f"--header wants 'Name: value', got {text!r}")
    return name.strip(), value.strip()


def parse_seconds(text: str, *, option: str, minimum: int) -> int:
    """`10`, `10s`, `2m` or `1m30s` as whole seconds, at least `minimum`."""
    match = re.fullmatch(r"\s*(?:(\d+)m)?(?:(\d+)s?)?\s*", text)
    if not text.strip() or match is None:
        raise UserError(f"{option} wants whole seconds like 10s or 2m, got {text!r}")
    seconds = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
    if seconds < minimum:
        raise UserError(f"{option} must be at least {minimum}s, got {text!r}")
    return seconds


def parse_concurrency(text: str) -> tuple[int, ...]:
    """`16,64,256`: connections kept open by wrk, each at least 1."""
    try:
        values = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError as error:
        raise UserError(f"--concurrency wants numbers like 16,64,256, got {text!r}") from error
    if not values or min(values) < 1:
        raise UserError(f"--concurrency wants numbers of at least 1, got {text!r}")
    return values


def parse_pair(text: str, option: str) -> tuple[str, str]:
    """`NEW=OLD` (also `SERVICE=ENDPOINT,...` for --only)."""
    left, sep, right = text.partition("=")
    if not sep or not left.strip() or not right.strip():
        raise UserError(f"{option} wants A=B, got {text!r}")
    return left.strip(), right.strip()


def validate_plan(plan: BenchPlan) -> None:
    """Names unique and every reference to a service or endpoint resolvable."""
    service_names = [s.name for s in plan.services]
    endpoint_names = [e.name for e in plan.endpoints]
    if not service_names:
        raise UserError("give at least one --service NAME=COMMAND")
    for kind, names in (("service", service_names), ("endpoint", endpoint_names)):
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise UserError(f"{kind} names must be unique: {', '.join(duplicates)}")
    for service in plan.services:
        unknown = set(service.endpoints or ()) - set(endpoint_names)
        if unknown:
            raise UserError(f"{service.name}: unknown endpoints {', '.join(sorted(unknown))}")
    for new, old in plan.comparisons:
        for name in (new, old):
            if name not in service_names:
                raise UserError(f"--compare names an unknown service: {name}")


# --- progress ---


class BenchProgress(Protocol):
    """What the bench tells its user while it runs."""

    def begin(self, total_load_s: int) -> None: ...

    def phase(self, text: str, seconds: float) -> None: ...

    def advance(self, seconds: float) -> None: ...

    def note(self, text: str) -> None: ...

    def end(self) -> None: ...


class QuietProgress:
    """Progress that prints only notes (for tests and --quiet)."""

    def begin(self, total_load_s: int) -> None:
        pass

    def phase(self, text: str, seconds: float) -> None:
        pass

    def advance(self, seconds: float) -> None:
        pass

    def note(self, text: str) -> None:
        print(text, file=sys.stderr)

    def end(self) -> None:
        pass


def terminal_progress(quiet: bool) -> BenchProgress:
    """Progress bars on stderr, or with `quiet` only the notes."""
    if quiet:
        return QuietProgress()
    from migrator.bench_progress import RichProgress  # rich loads only to draw bars

    return RichProgress()


# --- running ---


def run_bench(plan: BenchPlan, progress: BenchProgress | None = None) -> BenchResults:
    """Run the whole plan; results.json is rewritten after every run, so an interrupted
    bench keeps what it measured. Every process started is stopped before returning."""
    validate_plan(plan)
    progress = progress or QuietProgress()
    wrk = bench_wrk.wrk_path()
    with services.stop_on_signals():
        plan.out_dir.mkdir(parents=True, exist_ok=True)
        logs = plan.out_dir / "logs"
        for old_log in logs.glob("*.log") if logs.is_dir() else ():
            old_log.unlink()
        # Held: its probes (`wrk -v`, git) are processes too, and quick.
        with services.hold_interrupts():
            results = BenchResults(env=describe_environment(plan, wrk))
        progress.begin(plan.load_seconds())
        try:
            with (
                tempfile.TemporaryDirectory(prefix="migrate-bench-") as scratch,
                contextlib.ExitStack() as stops,
            ):
                _run_plan(plan, progress, wrk, results, Path(scratch), stops)
            results.env["complete"] = True
        finally:
            results.env["finished_at"] = _now()
            results.env["host"]["loadavg_after"] = _loadavg()
            write_results_json(results, plan.out_dir)
            progress.end()
    return results


def _run_plan(
    plan: BenchPlan,
    progress: BenchProgress,
    wrk: str,
    results: BenchResults,
    scratch: Path,
    stops: contextlib.ExitStack,
) -> None:
    """Start the upstream stub and the services, then drive every endpoint; every process
    started is on `stops`."""
    logs = plan.out_dir / "logs"
    database_url = plan.database_url or f"sqlite:///{scratch / 'bench.sqlite3'}"
    results.env["database"] = describe_database(database_url, fresh=not plan.database_url)
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    upstream, upstream_url = services.start_upstream(
        plan.upstream_delay_ms, logs / "upstream.log", env, stops
    )
    env["UPSTREAM_URL"] = upstream_url
    results.env["upstream"] = {
        "delay_ms": plan.upstream_delay_ms,
        "command": shlex.join(upstream.argv),
    }
    session = _Session(plan, wrk, env, logs, [upstream.pid], results, progress, stops)
    if plan.setup:
        progress.phase("setup", 0)
        services.run_setup(plan.setup, env, logs / "setup.log")
    lives = [_start_service(session, service) for service in plan.services]
    for endpoint in plan.endpoints:
        _bench_endpoint(session, endpoint, lives)


@dataclass
class _Session:
    """What every run of one bench shares."""

    plan: BenchPlan
    wrk: str
    env: dict[str, str]
    logs: Path
    helpers: list[int]  # our own processes besides the services: the upstream stub
    results: BenchResults
    progress: BenchProgress
    stops: contextlib.ExitStack  # where every process started pushes its stop


@dataclass
class _Live:
    """A running service under test."""

    process: services.RunningProcess
    base: str
    port: int
    pids: list[int]
    name: str = ""
    endpoints: tuple[str, ...] = ()
    record: dict[str, Any] = field(default_factory=dict)
    remaining_s: float = 0.0  # load still planned for it, for the progress bar
    stuck: str | None = None

    def all_pids(self) -> list[int]:
        """The master (when there is one) and its workers, each once."""
        return [self.process.pid, *(pid for pid in self.pids if pid != self.process.pid)]


def _start_service(session: _Session, service: ServiceSpec) -> _Live:
    """Start a service and wait until it answers on its health path with all its workers."""
    plan = session.plan
    port = services.free_port()
    argv = services.service_argv(service.command, port, plan.workers)
    base = f"http://{services.HOST}:{port}"
    record: dict[str, Any] = {"command": service.command, "argv": shlex.join(argv)}
    session.results.env["services"][service.name] = record
    session.progress.phase(f"{service.name} · starting", 0)
    log = session.logs / f"{service.name}.log"
    process = services.start_process(service.name, argv, session.env, log, session.stops)
    services.wait_healthy(process, base + plan.health_path, plan.start_timeout_s)
    pids = services.wait_for_workers(process.pid, expected_workers(argv))
    endpoints = tuple(e.name for e in plan.endpoints_for(service))
    record.update(workers=len(pids), pid=process.pid, worker_pids=pids, endpoints=list(endpoints))
    planned = len(endpoints) * _endpoint_load_s(plan)
    return _Live(process, base, port, pids, service.name, endpoints, record, planned)


def _endpoint_load_s(plan: BenchPlan) -> int:
    return plan.warmup_s + plan.duration_s * len(plan.concurrencies) * plan.rounds


class _StuckError(Exception):
    """A service still busy long after its load stopped (deadlocked, or hopelessly behind)."""


def _settle(session: _Session, live: _Live, after: str) -> float:
    """Wait for the service to go idle; raise _StuckError when it does not in time."""
    plan = session.plan
    health = live.base + plan.health_path
    waited = services.wait_settled(health, live.all_pids(), plan.settle_timeout_s)
    if waited >= plan.settle_timeout_s:
        raise _StuckError(f"still busy {plan.settle_timeout_s:.0f}s after {after}")
    if waited > 2:
        session.progress.note(f"{live.name}: {waited:.0f}s to work off the queue after {after}")
    return waited


def _give_up(session: _Session, live: _Live, stuck: _StuckError) -> None:
    """Stop a stuck service and skip its remaining runs."""
    live.stuck = f"{stuck}; its remaining runs were skipped"
    live.record["stuck"] = live.stuck
    session.progress.note(f"{live.name}: {live.stuck}")
    session.progress.advance(live.remaining_s)
    live.remaining_s = 0
    live.process.stop()


def _bench_endpoint(session: _Session, endpoint: EndpointSpec, lives: Sequence[_Live]) -> None:
    """Drive one endpoint on every service, interleaved: at each concurrency every service
    takes its turn (for `rounds` rounds), so other work on the machine lands on all rows
    alike rather than on whichever service ran at the time."""
    plan, progress = session.plan, session.progress
    targets = [live for live in lives if endpoint.name in live.endpoints and not live.stuck]
    if not targets:
        return
    if plan.setup:
        progress.phase(f"{endpoint.name} · setup", 0)
        services.run_setup(plan.setup, session.env, session.logs / f"setup-{endpoint.name}.log")
    script = session.logs / f"{endpoint.name}.lua"
    headers = _headers(plan, endpoint)
    script.write_text(bench_wrk.wrk_script(endpoint.method, endpoint.body, headers))
    for live in targets:
        status = _smoke(live.base, endpoint, headers)
        live.record.setdefault("first_status", {})[endpoint.name] = status
        if status is None or not 200 <= status < 300:
            progress.note(
                f"warning: {live.name} answered {endpoint.label} with {status} "
                "before the run (check --header and the path)"
            )
        if plan.warmup_s:
            first = plan.concurrencies[0]
            progress.phase(f"{endpoint.name} · c={first} · {live.name} · warm-up", plan.warmup_s)
            _load(session, live, endpoint, script, first, plan.warmup_s)
            try:
                _settle(session, live, f"the warm-up on {endpoint.name}")
            except _StuckError as stuck:
                _give_up(session, live, stuck)
    for concurrency in plan.concurrencies:
        measured: dict[str, list[_Measured]] = {}
        for round_number in range(1, plan.rounds + 1):
            for live in targets:
                if live.stuck:
                    continue
                label = f"{endpoint.name} · c={concurrency} · {live.name}"
                if plan.rounds > 1:
                    label += f" · round {round_number}/{plan.rounds}"
                progress.phase(label, plan.duration_s)
                live.pids = services.worker_pids(live.process.pid)
                done = _load(session, live, endpoint, script, concurrency, plan.duration_s)
                measured.setdefault(live.name, []).append(done)
                try:
                    _settle(session, live, f"c={concurrency} on {endpoint.name}")
                except _StuckError as stuck:
                    _give_up(session, live, stuck)
        for live in targets:
            if live.name in measured:
                _record(session, live.name, endpoint.name, concurrency, measured[live.name])


@dataclass(frozen=True)
class _Measured:
    stats: bench_wrk.WrkStats
    spread: services.LoadSpread
    cpu: dict[str, float]


def _record(
    session: _Session, service: str, endpoint: str, concurrency: int, rounds: list[_Measured]
) -> None:
    """Keep the round least disturbed by other work on the machine."""
    chosen = min(rounds, key=lambda m: m.cpu["other_cores"])
    session.results.runs.append(_run_result(service, endpoint, concurrency, chosen.stats))
    session.results.load_spread.append(
        {
            "service": service,
            "endpoint": endpoint,
            "concurrency": concurrency,
            **chosen.cpu,
            "rounds": len(rounds),
            "workers": chosen.spread.summary(),
        }
    )
    write_results_json(session.results, session.plan.out_dir)


def _load(
    session: _Session,
    live: _Live,
    endpoint: EndpointSpec,
    script: Path,
    concurrency: int,
    duration_s: int,
) -> _Measured:
    """One wrk run against a live service, sampling its workers' connections meanwhile;
    also where the machine's CPU went during the run."""
    plan = session.plan
    argv = bench_wrk.wrk_argv(
        session.wrk,
        live.base + endpoint.path,
        str(script),
        concurrency=concurrency,
        duration_s=duration_s,
        threads=plan.threads,
        timeout_s=plan.timeout_s,
    )
    spread = services.LoadSpread(live.pids)
    account = services.CpuAccount(live.all_pids(), session.helpers)
    samples_at = [duration_s * f for f in (0.25, 0.5, 0.75)]
    # Per run, so a parse error shows this run's output; a round before wrote the same file.
    log = session.logs / f"wrk-{endpoint.name}-c{concurrency}-{live.name}.log"
    log.unlink(missing_ok=True)
    spread.start()
    account.begin()
    started = time.monotonic()
    with contextlib.ExitStack() as stops:
        load = services.start_process("wrk", argv, session.env, log, stops)
        last = started
        while load.popen.poll() is None:
            time.sleep(0.2)
            now = time.monotonic()
            end = started + duration_s
            session.progress.advance(min(now, end) - min(last, end))
            last = now
            if samples_at and now - started >= samples_at[0]:
                samples_at.pop(0)
                spread.sample(live.port)
            if now - started > duration_s + plan.timeout_s + 30:
                raise UserError(f"wrk did not finish: {shlex.join(argv)}")
    spread.finish()
    cpu = account.end()
    session.progress.advance(max(0.0, started + duration_s - last))
    live.remaining_s = max(0.0, live.remaining_s - duration_s)
    if live.process.popen.poll() is not None:
        raise services.ServiceError(
            f"{live.process.name} died during the load on {endpoint.name}; its last output:\n"
            f"{live.process.last_lines()}"
        )
    try:
        return _Measured(bench_wrk.parse_wrk_output(log.read_text()), spread, cpu)
    except ValueError as error:
        raise UserError(f"{error}: {shlex.join(argv)}\n{load.last_lines()}") from error


def _run_result(
    service: str, endpoint: str, concurrency: int, stats: bench_wrk.WrkStats
) -> RunResult:
    return RunResult(
        service=service,
        endpoint=endpoint,
        concurrency=concurrency,
        rps=stats.rps,
        p50_ms=stats.p50_ms,
        p90_ms=stats.p90_ms,
        p95_ms=stats.p95_ms,
        p99_ms=stats.p99_ms,
        max_ms=stats.max_ms,
        errors=stats.errors,
        non_2xx=stats.non_2xx,
    )


def _headers(plan: BenchPlan, endpoint: EndpointSpec) -> dict[str, str]:
    headers = dict(plan.headers)
    if endpoint.body is not None and not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = "application/json"
    return headers


def _smoke(base: str, endpoint: EndpointSpec, headers: dict[str, str]) -> int | None:
    """The status of one request of the endpoint's shape, before the load."""
    data = endpoint.body.encode() if endpoint.body is not None else None
    request = urllib.request.Request(
        base + endpoint.path, data=data, headers=headers, method=endpoint.method
    )
    return services.http_status(request, timeout_s=10)


def expected_workers(argv: Sequence[str]) -> int | None:
    """Worker processes a gunicorn/uvicorn command line asks for (None: not said there)."""
    server = Path(argv[0]).name
    if "gunicorn" not in server and "uvicorn" not in server and "-m" not in argv:
        return None
    count: int | None = None
    for i, word in enumerate(argv):
        value = None
        if word in ("-w", "--workers") and i + 1 < len(argv):
            value = argv[i + 1]
        elif word.startswith("--workers="):
            value = word.split("=", 1)[1]
        elif word.startswith("-w") and word[2:].isdigit():
            value = word[2:]
        if value is not None and value.isdigit():
            count = int(value)
    if count is None and "gunicorn" in " ".join(argv[:3]) and "-c" not in argv:
        return 1  # gunicorn's default
    if count is None and "uvicorn" in " ".join(argv[:3]):
        return 1
    return count


# --- the environment ---


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _loadavg() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _versions() -> dict[str, str]:
    found = {}
    for name in RECORDED_PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[name] = metadata.version(name)
    return found


def _git_commit() -> str | None:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        if done.returncode == 0:
            return done.stdout.strip()
    return None


def mask_url(url: str) -> str:
    """The URL without its password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def describe_database(url: str, *, fresh: bool) -> dict[str, Any]:
    backend = "postgresql" if url.startswith(("postgres", "postgresql")) else url.split(":")[0]
    described: dict[str, Any] = {"backend": backend, "url": mask_url(url), "fresh_file": fresh}
    if backend == "postgresql":
        described["server_version"] = _postgres_version(url)
    return described


def _postgres_version(url: str) -> str | None:
    try:
        import psycopg
    except ImportError:
        return None
    plain = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql://", url)
    try:
        with psycopg.connect(plain, connect_timeout=5) as conn:
            row = conn.execute("SHOW server_version").fetchone()
    except psycopg.Error as error:
        raise UserError(f"cannot reach the database at {mask_url(url)}: {error}") from error
    return str(row[0]) if row else None


def describe_environment(plan: BenchPlan, wrk: str) -> dict[str, Any]:
    """What results depend on: machine, versions, load parameters and exact commands."""
    masked = {
        name: ("***" if name.lower() in ("authorization", "cookie") else value)
        for name, value in plan.headers
    }
    return {
        "started_at": _now(),
        "complete": False,
        "host": {
            "cpu_count": os.cpu_count(),
            "cpus_usable": len(os.sched_getaffinity(0)),
            "cpu_model": _cpu_model(),
            "kernel": platform.release(),
            "loadavg_before": _loadavg(),
        },
        "python": platform.python_version(),
        "versions": _versions(),
        "wrk": bench_wrk.wrk_version(wrk),
        "git_commit": _git_commit(),
        "load": {
            "concurrency": list(plan.concurrencies),
            "duration_s": plan.duration_s,
            "warmup_s": plan.warmup_s,
            "wrk_threads": plan.threads,
            "wrk_timeout_s": plan.timeout_s,
            "rounds": plan.rounds,
            "order": "interleaved: each endpoint and concurrency, every service in turn",
            "wrk_command": shlex.join(
                bench_wrk.wrk_argv(
                    "wrk",
                    "http://127.0.0.1:PORT/PATH",
                    "ENDPOINT.lua",
                    concurrency=999,
                    duration_s=plan.duration_s,
                    threads=plan.threads,
                    timeout_s=plan.timeout_s,
                )
            ).replace("999", "C"),
            "headers": masked,
        },
        "setup_command": plan.setup,
        "endpoints": {
            e.name: {"method": e.method, "path": e.path, "body": e.body} for e in plan.endpoints
        },
        "services": {},
        "comparisons": [list(pair) for pair in plan.comparison_pairs()],
        "argv": [Path(sys.argv[0]).name, *sys.argv[1:]],
    }


def write_results_json(results: BenchResults, out_dir: Path) -> Path:
    """results.json, replaced atomically."""
    path = out_dir / "results.json"
    scratch = path.with_suffix(".json.tmp")
    scratch.write_text(json.dumps(results.to_json(), indent=2) + "\n")
    scratch.replace(path)
    return path
