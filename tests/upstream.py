"""A real HTTP upstream on 127.0.0.1 for tests: the invoice delivery service."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class UpstreamBehaviour:
    """What the fake delivery service does; tests change it between calls.

    POST /deliveries answers `status` with a delivery reference; POST /notifications is
    answered 204. Both are recorded as they arrive, then wait `delay_s` before answering.
    """

    status: int = 201
    delay_s: float = 0.0
    reply: object = None  # the JSON a delivery answers; None: {"reference": "dlv-N"}
    garbled: bool = False  # deliveries answer bytes that are not HTTP, then hang up
    received: list[dict[str, Any]] = field(default_factory=list)
    notifications: list[dict[str, Any]] = field(default_factory=list)

    def reset(self) -> None:
        """Back to a well-behaved service with nothing received (the same lists, emptied:
        tests may hold them)."""
        for spec in dataclasses.fields(self):
            value = getattr(self, spec.name)
            if isinstance(value, list):
                value.clear()
            else:
                setattr(self, spec.name, spec.default)


@dataclass
class Upstream:
    url: str
    behaviour: UpstreamBehaviour


@contextmanager
def running_upstream() -> Iterator[Upstream]:
    behaviour = UpstreamBehaviour()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"null")
            notification = self.path == "/notifications"
            (behaviour.notifications if notification else behaviour.received).append(body)
            if behaviour.delay_s:
                time.sleep(behaviour.delay_s)
            if notification:
                self.send_response(204)
                self.end_headers()
                return
            if behaviour.garbled:
                self.wfile.write(b"not http at all\r\n\r\n")
                self.close_connection = True
                return
            answer = behaviour.reply or {"reference": f"dlv-{len(behaviour.received)}"}
            reply = json.dumps(answer).encode()
            self.send_response(behaviour.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Upstream(f"http://127.0.0.1:{server.server_address[1]}", behaviour)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
