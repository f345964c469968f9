"""The delivery service stand-in that `migrate bench` starts: every answer after a fixed delay.

`python -m migrator.bench_upstream --port 0 --delay-ms 50` prints `listening on PORT` once
it accepts connections. POST /deliveries answers 201 with a delivery reference, POST
/notifications 204, anything else 200 `{}`; all after the delay, except GET /health, which
answers at once. Plain asyncio (uvloop when installed), HTTP/1.1 with keep-alive, so that
the stub is never the bottleneck of the fan-out it stands in for.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import signal
import sys
from collections import deque
from collections.abc import Sequence
from typing import cast

_REFERENCES = itertools.count(1)
_MAX_HEAD = 64 * 1024


def _response(status: int, reason: str, body: bytes, keep_alive: bool) -> bytes:
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Content-Type: application/json\r\n"
        f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
    )
    return head.encode("ascii") + body


def answer_for(method: str, path: str) -> tuple[int, str, bytes]:
    """Status, reason and body the stub gives for a request line."""
    if method == "POST" and path.startswith("/deliveries"):
        return 201, "Created", b'{"reference": "dlv-%d"}' % next(_REFERENCES)
    if method == "POST" and path.startswith("/notifications"):
        return 204, "No Content", b""
    return 200, "OK", b"{}"


class UpstreamProtocol(asyncio.Protocol):
    """One connection: parse requests as they arrive, answer each after the delay, in order."""

    def __init__(self, delay_s: float) -> None:
        self.delay_s = delay_s
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        self.pending: deque[list[bytes]] = deque()
        self.close_after = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's are not subclasses

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self._take_request():
            pass
        if len(self.buffer) > _MAX_HEAD and self.transport is not None:
            self.transport.close()

    def _take_request(self) -> bool:
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return False
        head = self.buffer[:end].decode("latin-1").split("\r\n")
        length = 0
        keep_alive = True
        for line in head[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value.strip() or "0")
            elif name == "connection":
                keep_alive = value.strip().lower() != "close"
        if len(self.buffer) < end + 4 + length:
            return False
        self.buffer = self.buffer[end + 4 + length :]
        method, _, rest = head[0].partition(" ")
        path = rest.partition(" ")[0]
        status, reason, body = answer_for(method, path)
        slot: list[bytes] = []  # filled with the reply when its delay is over
        self.pending.append(slot)
        reply = _response(status, reason, body, keep_alive)
        delay = 0.0 if (method == "GET" and path == "/health") else self.delay_s
        asyncio.get_running_loop().call_later(delay, self._ready, slot, reply, keep_alive)
        return True

    def _ready(self, slot: list[bytes], reply: bytes, keep_alive: bool) -> None:
        """Answers leave in request order (HTTP/1.1 pipelining), each once its delay is over."""
        slot.append(reply)
        if not keep_alive:
            self.close_after = True
        while self.pending and self.pending[0]:
            ready = self.pending.popleft()
            if self.transport is not None:
                self.transport.write(ready[0])
        if not self.pending and self.close_after and self.transport is not None:
            self.transport.close()


async def serve(port: int, delay_s: float) -> None:
    """Serve until SIGTERM/SIGINT; print the bound port first so a parent can read it."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: UpstreamProtocol(delay_s), "127.0.0.1", port, backlog=4096
    )
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    bound = server.sockets[0].getsockname()[1]
    print(f"listening on {bound}", flush=True)
    async with server:
        await stop.wait()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m migrator.bench_upstream", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--delay-ms", type=float, default=50.0)
    args = parser.parse_args(argv)
    try:
        import uvloop
    except ImportError:
        asyncio.run(serve(args.port, args.delay_ms / 1000))
    else:
        uvloop.run(serve(args.port, args.delay_ms / 1000))
    return 0


if __name__ == "__main__":
    sys.exit(main())
