"""wrk, the load generator behind `migrate bench`: its Lua script, its command line, its result.

The script sets the method, body and headers and, in wrk's `done()` hook, prints one line
`BENCH_RESULT {json}` with the request count, latency percentiles and error counts, so
nothing depends on wrk's human-readable text.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

from migrator.errors import UserError

RESULT_MARKER = "BENCH_RESULT "

INSTALL_HINT = "wrk is not installed: apt-get install wrk"

_DONE_HOOK = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50_us":%.1f,"p90_us":%.1f,"p95_us":%.1f,"p99_us":%.1f,"max_us":%.1f,"mean_us":%.1f}\\n',
    "RESULT_MARKER", summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
""".replace("RESULT_MARKER", RESULT_MARKER)


def _lua_string(text: str) -> str:
    """A Lua long-bracket literal holding `text` verbatim, whatever it contains."""
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def wrk_script(method: str, body: str | None, headers: dict[str, str]) -> str:
    """The Lua script for one endpoint: request shape plus the JSON `done()` report."""
    lines = [f"wrk.method = {_lua_string(method)}"]
    if body is not None:
        lines.append(f"wrk.body = {_lua_string(body)}")
    for name, value in headers.items():
        lines.append(f"wrk.headers[ {_lua_string(name)} ] = {_lua_string(value)}")
    return "\n".join(lines) + "\n" + _DONE_HOOK


@dataclass(frozen=True)
class WrkStats:
    """One wrk run, as its `done()` hook reported it. Latencies in milliseconds."""

    requests: int
    duration_s: float
    rps: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    errors: int
    non_2xx: int
    timeouts: int


def parse_wrk_output(stdout: str) -> WrkStats:
    """The stats in wrk's output; raises ValueError when the `done()` line is missing.

    `errors` counts socket errors (connect, read, write, timeout); `non_2xx` is wrk's status
    error count, responses with a status of 400 or more.
    """
    for line in reversed(stdout.splitlines()):
        if line.startswith(RESULT_MARKER):
            raw: dict[str, Any] = json.loads(line.removeprefix(RESULT_MARKER))
            break
    else:
        raise ValueError("wrk printed no result line (did the Lua done() hook run?)")
    duration_s = raw["duration_us"] / 1e6
    requests = int(raw["requests"])
    ms = 1000.0

    def latency(key: str) -> float:
        return round(float(raw[key]) / ms, 3) if requests else 0.0

    return WrkStats(
        requests=requests,
        duration_s=duration_s,
        rps=round(requests / duration_s, 1) if duration_s > 0 else 0.0,
        p50_ms=latency("p50_us"),
        p90_ms=latency("p90_us"),
        p95_ms=latency("p95_us"),
        p99_ms=latency("p99_us"),
        max_ms=latency("max_us"),
        mean_ms=latency("mean_us"),
        errors=int(raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]),
        non_2xx=int(raw["status"]),
        timeouts=int(raw["timeout"]),
    )


def wrk_path() -> str:
    """Where wrk is; a one-line UserError saying how to install it when it is not."""
    found = shutil.which("wrk")
    if found is None:
        raise UserError(INSTALL_HINT)
    return found


def wrk_argv(
    wrk: str,
    url: str,
    script: str,
    *,
    concurrency: int,
    duration_s: int,
    threads: int,
    timeout_s: int,
) -> list[str]:
    """wrk's command line: never more threads than connections."""
    return [
        wrk,
        f"-t{max(1, min(threads, concurrency))}",
        f"-c{concurrency}",
        f"-d{duration_s}s",
        f"--timeout={timeout_s}s",
        "-s",
        script,
        url,
    ]


def wrk_version(wrk: str) -> str:
    """wrk's version line (wrk prints it with its usage, and exits 1)."""
    done = subprocess.run([wrk, "-v"], capture_output=True, text=True, timeout=10, check=False)
    text = (done.stdout + done.stderr).strip()
    return text.splitlines()[0].split(" Copyright")[0].strip() if text else "unknown"
