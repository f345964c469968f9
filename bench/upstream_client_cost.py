"""CPU per upstream call of the HTTP clients the reference service could use, at fan-out load.

    python bench/upstream_client_cost.py [--concurrency 64] [--seconds 4]

Starts the bench's 50 ms upstream stub (`migrator.bench_upstream`) on a free loopback port,
then, for each client, keeps `--concurrency` POSTs in flight for `--seconds` and reports
calls per second and this process's CPU per call (the stub runs in its own process). The
reference service's choice of aiohttp comes from this (docs/performance.md).
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import aiohttp
import httpx

Call = Callable[[], Awaitable[None]]


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _drive(call: Call, concurrency: int, seconds: float) -> tuple[float, float]:
    """Calls per second and CPU milliseconds per call, `concurrency` calls in flight."""
    done = 0
    stop = time.monotonic() + seconds

    async def worker() -> None:
        nonlocal done
        while time.monotonic() < stop:
            await call()
            done += 1

    cpu_before, started = _cpu_seconds(), time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed, cpu = time.monotonic() - started, _cpu_seconds() - cpu_before
    return done / elapsed, cpu / max(done, 1) * 1000


async def _httpx(url: str, concurrency: int, seconds: float, keepalive: int) -> tuple[float, float]:
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=keepalive)
    async with httpx.AsyncClient(limits=limits) as client:

        async def call() -> None:
            (await client.post(url, json={"invoice": "INV-00001"})).json()

        return await _drive(call, concurrency, seconds)


async def _aiohttp(url: str, concurrency: int, seconds: float) -> tuple[float, float]:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100)) as session:

        async def call() -> None:
            async with session.post(url, json={"invoice": "INV-00001"}) as response:
                await response.json(content_type=None)

        return await _drive(call, concurrency, seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args(argv)
    stub = subprocess.Popen(
        [sys.executable, "-m", "migrator.bench_upstream", "--port", "0", "--delay-ms", "50"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert stub.stdout is not None
        port = stub.stdout.readline().split()[-1]  # "listening on PORT"
        url = f"http://127.0.0.1:{port}/deliveries"
        clients: dict[str, Callable[[], Coroutine[Any, Any, tuple[float, float]]]] = {
            "httpx, 20 kept alive (the httpx default the service had)": lambda: _httpx(
                url, args.concurrency, args.seconds, keepalive=20
            ),
            "httpx, 100 kept alive": lambda: _httpx(
                url, args.concurrency, args.seconds, keepalive=100
            ),
            "aiohttp": lambda: _aiohttp(url, args.concurrency, args.seconds),
        }
        print(f"| client ({args.concurrency} calls in flight) | calls/s | CPU ms per call |")
        print("| --- | ---: | ---: |")
        for name, run in clients.items():
            rate, cpu_ms = asyncio.run(run())
            print(f"| {name} | {rate:,.0f} | {cpu_ms:.2f} |")
    finally:
        stub.terminate()
        stub.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
