from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from migrator.bench import BenchResults, RunResult

# On a laptop without wrk or chromium these tests are skipped; CI installs both and sets
# REQUIRE_BENCH_TOOLS=1, so there a missing tool fails the run instead.
_REQUIRED = os.environ.get("REQUIRE_BENCH_TOOLS") == "1"


def _needs(tool: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not _REQUIRED and shutil.which(tool) is None, reason=f"{tool} is not installed"
    )


needs_wrk = _needs("wrk")
needs_chromium = _needs("chromium")

# The fields of each entry of results.json's `runs`: a format others read.
RUN_FIELDS = {
    "service",
    "endpoint",
    "concurrency",
    "rps",
    "p50_ms",
    "p90_ms",
    "p95_ms",
    "p99_ms",
    "max_ms",
    "errors",
    "non_2xx",
}


def alive(pid: int) -> bool:
    """`pid` runs (a zombie, exited but not reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def make_results() -> BenchResults:
    """Results of a made-up run: two services, two endpoints, three concurrencies."""
    runs = []
    for endpoint, base in (("read", 400.0), ("send", 10.0)):
        for concurrency in (16, 64, 256):
            for service, speed in (("legacy", 1.0), ("reference", 3.0 if base > 100 else 80.0)):
                rps = base * speed
                p50 = concurrency / rps * 1000
                runs.append(
                    RunResult(
                        service=service,
                        endpoint=endpoint,
                        concurrency=concurrency,
                        rps=rps,
                        p50_ms=p50,
                        p90_ms=p50 * 1.2,
                        p95_ms=p50 * 1.3,
                        p99_ms=p50 * 1.5,
                        max_ms=p50 * 2,
                        errors=0,
                        non_2xx=0,
                    )
                )
    env = {
        "complete": True,
        "host": {"cpu_count": 2, "cpu_model": "test CPU", "loadavg_before": [0.1, 0.2, 0.3]},
        "load": {"duration_s": 10, "warmup_s": 3, "wrk_threads": 1},
        "database": {"backend": "sqlite"},
        "endpoints": {
            "read": {"method": "GET", "path": "/invoices/1", "body": None},
            "send": {"method": "POST", "path": "/invoices/2/send", "body": None},
        },
        "services": {
            "legacy": {"workers": 1, "argv": "gunicorn -w 1 app:app"},
            "reference": {"workers": 2, "argv": "gunicorn -w 2 -k uvicorn_worker.UvicornWorker"},
        },
        "comparisons": [["reference", "legacy"]],
        "argv": ["migrate", "bench", "--service", "legacy=gunicorn app:app"],
    }
    spread = [
        {
            "service": "reference",
            "endpoint": "read",
            "concurrency": 64,
            "service_cores": 0.9,
            "other_cores": 0.1,
            "workers": [
                {"pid": 1, "cpu_s": 9.5, "cpu_share": 0.95, "connections": 64.0},
                {"pid": 2, "cpu_s": 0.5, "cpu_share": 0.05, "connections": 0.0},
            ],
        },
        {
            "service": "reference",
            "endpoint": "send",
            "concurrency": 64,
            "workers": [
                {"pid": 1, "cpu_s": 5.0, "cpu_share": 0.5, "connections": 32.0},
                {"pid": 2, "cpu_s": 5.0, "cpu_share": 0.5, "connections": 32.0},
            ],
        },
    ]
    return BenchResults(runs=runs, env=env, load_spread=spread)


@pytest.fixture
def results() -> BenchResults:
    return make_results()
