"""A logging handler that formats on the caller's thread and writes from its own, in batches.

The event loop must never wait on stdout (a full pipe, a slow log shipper), so lines are
written by a background thread. Waking that thread for every line, as a `QueueListener`
does, costs more than the line itself: each wake-up is a GIL hand-off (batching took
`/health` at 64 connections from 3,498 to 5,249 req/s, docs/performance.md). Here the thread
wakes every `interval` seconds and writes whatever has gathered in one call.
"""

from __future__ import annotations

import collections
import logging
import threading
from typing import TextIO


class BatchedLineWriter(logging.Handler):
    """Appends each formatted record to a buffer; a daemon thread writes the buffer out.

    At most `max_lines` wait at a time: if the stream stops taking lines, the oldest are
    dropped (and counted) rather than growing the service's memory without bound.
    """

    def __init__(self, stream: TextIO, *, interval: float = 0.05, max_lines: int = 100_000):
        super().__init__()
        self.stream = stream
        self.interval = interval
        self.dropped = 0
        self._lines: collections.deque[str] = collections.deque(maxlen=max_lines)
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._write_until_closed, daemon=True)
        self._thread.name = "log-writer"
        self._thread.start()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:
            self.handleError(record)
            return
        if len(self._lines) == self._lines.maxlen:
            self.dropped += 1
        self._lines.append(line)  # deque appends and pops are atomic: no lock needed

    def flush(self) -> None:
        """Write what has gathered now (from whichever thread asks)."""
        batch: list[str] = []
        while self._lines:
            try:
                batch.append(self._lines.popleft())
            except IndexError:  # the writer thread took the rest meanwhile
                break
        if batch:
            self.stream.write("\n".join(batch) + "\n")
            self.stream.flush()

    def close(self) -> None:
        self._closing.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self.flush()
        super().close()

    def _write_until_closed(self) -> None:
        while not self._closing.wait(self.interval):
            try:
                self.flush()
            except Exception:  # a broken stream must not kill the writer
                self._lines.clear()
