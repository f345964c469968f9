from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import pytest

from migrator import bench_wrk
from migrator.errors import UserError
from tests.bench.conftest import needs_wrk

DONE_LINE = (
    'BENCH_RESULT {"requests":624,"duration_us":2003148,"bytes":77268,"connect":1,"read":2,'
    '"write":0,"status":7,"timeout":3,"p50_us":50543.0,"p90_us":50885.0,"p95_us":51016.0,'
    '"p99_us":51254.0,"max_us":51397.0,"mean_us":50439.6}'
)
WRK_TEXT = """Running 2s test @ http://127.0.0.1:34767/deliveries
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    50.44ms  449.31us  51.40ms   67.95%
  624 requests in 2.00s, 75.46KB read
Requests/sec:    311.51
"""


def test_parse_reads_the_done_line() -> None:
    stats = bench_wrk.parse_wrk_output(WRK_TEXT + DONE_LINE + "\n")
    assert stats.requests == 624
    assert stats.rps == pytest.approx(311.5, abs=0.1)
    assert (stats.p50_ms, stats.p90_ms, stats.p95_ms, stats.p99_ms, stats.max_ms) == (
        50.543,
        50.885,
        51.016,
        51.254,
        51.397,
    )
    assert stats.errors == 6  # connect + read + write + timeout
    assert stats.timeouts == 3
    assert stats.non_2xx == 7


def test_parse_without_requests_has_zero_latencies() -> None:
    line = DONE_LINE.replace('"requests":624', '"requests":0')
    stats = bench_wrk.parse_wrk_output(line)
    assert stats.rps == 0
    assert stats.p99_ms == 0


def test_parse_without_the_done_line_fails() -> None:
    with pytest.raises(ValueError, match="no result line"):
        bench_wrk.parse_wrk_output(WRK_TEXT)


def test_script_keeps_bodies_and_headers_verbatim() -> None:
    body = json.dumps({"name": "a]]b]=]c", "quote": "'\""})
    script = bench_wrk.wrk_script("POST", body, {"Authorization": "Bearer t"})
    assert "wrk.method = [[POST]]" in script
    assert f"wrk.body = [==[{body}]==]" in script
    assert "wrk.headers[ [[Authorization]] ] = [[Bearer t]]" in script
    assert "function done(summary, latency, requests)" in script


def test_argv_never_has_more_threads_than_connections() -> None:
    argv = bench_wrk.wrk_argv(
        "wrk", "http://h/p", "s.lua", concurrency=1, duration_s=2, threads=4, timeout_s=10
    )
    assert argv == ["wrk", "-t1", "-c1", "-d2s", "--timeout=10s", "-s", "s.lua", "http://h/p"]


def test_missing_wrk_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(UserError, match=r"^wrk is not installed: apt-get install wrk$"):
        bench_wrk.wrk_path()


@needs_wrk
def test_the_script_runs_in_wrk(tmp_path: Path) -> None:
    """wrk loads the generated script and its done() hook prints the line we parse
    (against a socket that accepts connections and never answers)."""
    script = tmp_path / "s.lua"
    script.write_text(bench_wrk.wrk_script("POST", '{"a": "]]"}', {"X-Test": "1"}))
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        argv = bench_wrk.wrk_argv(
            bench_wrk.wrk_path(),
            f"http://127.0.0.1:{silent.getsockname()[1]}/x",
            str(script),
            concurrency=2,
            duration_s=1,
            threads=1,
            timeout_s=1,
        )
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    assert "unexpected symbol" not in done.stderr
    stats = bench_wrk.parse_wrk_output(done.stdout)
    assert stats.requests == 0
