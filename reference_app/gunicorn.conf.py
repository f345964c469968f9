"""gunicorn settings: `gunicorn -c reference_app/gunicorn.conf.py reference_app.main:app`.

Every value can be changed from the environment; command-line flags override this file.
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import multiprocess

# Address to listen on; the container sets BIND=0.0.0.0:8000.
bind = os.environ.get("BIND", "127.0.0.1:8000")
# One process per core is the usual start; each runs its own event loop and DB pool.
workers = int(os.environ.get("WEB_CONCURRENCY", str(os.cpu_count() or 1)))
worker_class = "uvicorn_worker.UvicornWorker"
# On SIGTERM a worker stops accepting, finishes in-flight requests, runs the app's shutdown
# (pool and HTTP client closed); past this many seconds it is killed.
graceful_timeout = int(os.environ.get("GRACEFUL_TIMEOUT", "30"))
# A worker silent for this long is restarted.
timeout = int(os.environ.get("TIMEOUT", "60"))
keepalive = int(os.environ.get("KEEPALIVE", "5"))
# The app writes one JSON line per request itself; gunicorn's access log would repeat it.
accesslog = None
errorlog = "-"
# gunicorn 25+ opens a control socket at one fixed path per user; several instances on a host
# (tests, benchmarks) would fight over it, and a container does not need it.
control_socket_disable = True
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


def child_exit(server: Any, worker: Any) -> None:
    """With PROMETHEUS_MULTIPROC_DIR set, drop a dead worker's live gauges from /metrics."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
