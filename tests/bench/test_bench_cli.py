"""`migrate bench` end to end: real servers, real wrk, short runs."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from migrator import bench, bench_services
from migrator.cli import main
from tests.bench.conftest import RUN_FIELDS, alive, needs_wrk
from tests.databases import ScratchDatabases

SETUP = f"{sys.executable} -m flask --app legacy_app.wsgi init-db --seed --reset"


@needs_wrk
def test_bench_one_endpoint_for_two_seconds(
    tmp_path: Path,
    scratch_databases: ScratchDatabases,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_databases.new("bench"))
    out = tmp_path / "out"
    code = main(
        [
            "bench",
            "--service",
            "legacy=gunicorn -w 1 legacy_app.wsgi:app",
            "--setup",
            SETUP,
            "--header",
            "Authorization: Bearer acme-token",
            "--endpoint",
            "read=GET /invoices/1",
            "--concurrency",
            "4",
            "--duration",
            "2s",
            "--warmup",
            "0",
            "--quiet",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    data = json.loads((out / "results.json").read_text())
    [run] = data["runs"]
    assert set(run) == RUN_FIELDS
    assert (run["service"], run["endpoint"], run["concurrency"]) == ("legacy", "read", 4)
    assert run["rps"] > 10
    assert 0 < run["p50_ms"] <= run["p90_ms"] <= run["p95_ms"] <= run["p99_ms"] <= run["max_ms"]
    assert (run["errors"], run["non_2xx"]) == (0, 0)

    env = data["env"]
    assert env["complete"] is True
    assert env["host"]["cpu_count"] == os.cpu_count()
    assert "gunicorn" in env["versions"] and env["wrk"].startswith("wrk")
    service = env["services"]["legacy"]
    assert service["workers"] == 1
    assert re.fullmatch(
        r"\S+/gunicorn -w 1 legacy_app.wsgi:app --bind 127.0.0.1:\d+", service["argv"]
    )
    assert service["first_status"] == {"read": 200}
    assert env["database"]["backend"] == scratch_databases.backend
    assert env["setup_command"] == SETUP
    assert env["load"]["headers"] == {"Authorization": "***"}
    [spread] = data["load_spread"]
    assert [w["pid"] for w in spread["workers"]] == service["worker_pids"]

    md = (out / "results.md").read_text()
    assert "## read: `GET /invoices/1`" in md and "| legacy | 4 |" in md
    assert '<svg class="chart"' in (out / "report.html").read_text()
    assert "| legacy | 4 |" in capsys.readouterr().out

    # Everything the bench started is gone: the service, its worker, the upstream stub.
    for pid in [service["pid"], *service["worker_pids"]]:
        assert not alive(pid)
    upstream_port = int((out / "logs" / "upstream.log").read_text().split()[-1])
    assert bench_services.http_status(f"http://127.0.0.1:{upstream_port}/health") is None


def test_render_from_results_json(tmp_path: Path) -> None:
    from tests.bench.conftest import make_results

    source = tmp_path / "results.json"
    source.write_text(json.dumps(make_results().to_json()))
    assert main(["bench", "--render", str(source), "--out", str(tmp_path / "again")]) == 0
    assert (tmp_path / "again" / "report.html").is_file()
    assert "## send:" in (tmp_path / "again" / "results.md").read_text()


def test_missing_wrk_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("shutil.which", lambda name, *args, **kwargs: None)
    code = main(["bench", "--service", "x=uvicorn app:app", "--out", str(tmp_path)])
    assert code == 2
    assert capsys.readouterr().err == "migrate: error: wrk is not installed: apt-get install wrk\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--service", "nonsense"], "--service wants NAME=COMMAND"),
        ([], "at least one --service"),
        (["--service", "a=uvicorn x:app", "--only", "b=read"], "--only names an unknown service"),
        (["--service", "a=uvicorn x:app", "--duration", "fast"], "--duration wants"),
        (["--service", "a=uvicorn x:app", "--compare", "a=b"], "unknown service: b"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["bench", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


@needs_wrk
def test_a_service_that_fails_to_start_shows_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "bench",
            "--service",
            f"broken={sys.executable} -c \"raise SystemExit('no app here {{port}}')\"",
            "--quiet",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("migrate: error: broken exited with code 1 before")
    assert "no app here" in err
    assert json.loads((tmp_path / "results.json").read_text())["env"]["complete"] is False


@needs_wrk
def test_a_stuck_service_is_skipped_not_waited_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A service still busy after its load stopped gets its remaining runs skipped."""
    script = Path(__file__).with_name("busy_after_load.py")
    code = main(
        [
            *("bench", "--service", f"busy=python {script} {{port}}"),
            *("--service", f"calm=python -m http.server {{port}} --directory {tmp_path}"),
            *("--endpoint", "one=GET /one", "--endpoint", "two=GET /two"),
            *("--concurrency", "2", "--duration", "1s", "--warmup", "0"),
            *("--settle-timeout", "2s", "--health", "/", "--quiet", "--out", str(tmp_path)),
        ]
    )
    assert code == 0
    data = json.loads((tmp_path / "results.json").read_text())
    busy_runs = [(r["endpoint"], r["concurrency"]) for r in data["runs"] if r["service"] == "busy"]
    assert busy_runs == [("one", 2)]
    assert data["env"]["services"]["busy"]["stuck"] == (
        "still busy 2s after c=2 on one; its remaining runs were skipped"
    )
    assert len([r for r in data["runs"] if r["service"] == "calm"]) == 2
    assert "**busy**: still busy 2s" in (tmp_path / "results.md").read_text()
    assert "busy: still busy 2s after c=2 on one" in capsys.readouterr().err


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:  # gone already
        return ""


@needs_wrk
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_bench_stops_everything_it_started(tmp_path: Path, signum: int) -> None:
    """Ctrl-C (SIGINT to the whole foreground group, as a terminal sends it) or SIGTERM to
    the bench alone, once the load runs: every process it started goes, and it exits 130
    with one line."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "health").write_text("ok")
    out = tmp_path / "out"
    service = f"files=python -m http.server {{port}} --bind {{host}} --directory {site}"
    # What each process the bench starts has on its command line.
    marks = {
        "service": str(site),
        "upstream stub": "migrator.bench_upstream",
        "wrk": str(out / "logs"),  # its script
    }
    with subprocess.Popen(
        [
            *(sys.executable, "-m", "migrator", "bench", "--service", service),
            *("--duration", "60s", "--warmup", "0", "--concurrency", "2", "--quiet"),
            *("--out", str(out)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    ) as bench:
        try:
            # Ready: wrk runs its load. Not any child named wrk: `wrk -v` is probed before
            # anything is started; nor a child still showing the bench's own command line,
            # forked but not yet running its program.
            deadline = time.monotonic() + 30
            started: dict[int, str] = {}
            while not any(marks["wrk"] in line for line in started.values()):
                if time.monotonic() > deadline or bench.poll() is not None:
                    pytest.fail(f"the bench never started its load: {started}")
                time.sleep(0.1)
                own = _command_line(bench.pid)
                started = {
                    pid: line
                    for pid in bench_services.children_of(bench.pid)
                    if (line := _command_line(pid)) != own
                }
            for role, mark in marks.items():
                assert [line for line in started.values() if mark in line], f"no {role}: {started}"
            if signum == signal.SIGINT:
                os.killpg(bench.pid, signum)
            else:
                os.kill(bench.pid, signum)
            _, err = bench.communicate(timeout=30)
        finally:
            if bench.poll() is None:
                os.killpg(bench.pid, signal.SIGKILL)
    assert (bench.returncode, err) == (130, b"migrate: interrupted\n")
    assert [pid for pid, line in started.items() if _command_line(pid) == line] == []


@needs_wrk
def test_a_service_that_never_gets_healthy_leaves_nothing_running(tmp_path: Path) -> None:
    """The second service hangs (and has a child): it, its child, the first service and
    the upstream stub are all stopped."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "health").write_text("ok")
    hung = tmp_path / "hung.py"
    hung.write_text(
        "import os, subprocess, time\n"
        "child = subprocess.Popen(['sleep', '60'])\n"
        "print('pids', os.getpid(), child.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    plan = bench.BenchPlan(
        services=(
            bench.ServiceSpec(
                "files", f"python -m http.server {{port}} --bind {{host}} --directory {site}"
            ),
            bench.ServiceSpec("hung", f"python {hung} {{port}}"),
        ),
        endpoints=(bench.EndpointSpec("health", "GET", "/health"),),
        out_dir=tmp_path / "out",
        start_timeout_s=2,
    )
    children_before = set(bench_services.children_of(os.getpid()))
    with pytest.raises(bench_services.ServiceError, match=r"hung: .* did not answer 200 within 2s"):
        bench.run_bench(plan)
    env = json.loads((plan.out_dir / "results.json").read_text())["env"]
    hung_pids = (plan.out_dir / "logs" / "hung.log").read_text().split()[1:3]
    for pid in [env["services"]["files"]["pid"], *map(int, hung_pids)]:
        assert not alive(pid)
    assert set(bench_services.children_of(os.getpid())) <= children_before
