"""A real HTTP upstream on 127.0.0.1 for tests: the invoice delivery service."""

from __future__ import annotations

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
    recorded and answered 204. Both wait `delay_s` first.
    """

    status: int = 201
    delay_s: float = 0.0
    reply: object = None  # the JSON a delivery answers; None: {"reference": "dlv-N"}
    received: list[dict[str, Any]] = field(default_factory=list)
    notifications: list[dict[str, Any]] = field(default_factory=list)


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
            if behaviour.delay_s:
                time.sleep(behaviour.delay_s)
            if self.path == "/notifications":
                behaviour.notifications.append(body)
                self.send_response(204)
                self.end_headers()
                return
            behaviour.received.append(body)
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
