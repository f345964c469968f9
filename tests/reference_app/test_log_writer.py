"""The log handler that writes from its own thread, in batches."""

from __future__ import annotations

import io
import logging
import threading
import time

from reference_app.log_writer import BatchedLineWriter


def record(message: str) -> logging.LogRecord:
    return logging.LogRecord("t", logging.INFO, __file__, 1, message, None, None)


def test_lines_reach_the_stream_in_order_from_the_writer_thread() -> None:
    stream = io.StringIO()
    writer = BatchedLineWriter(stream, interval=0.01)
    try:
        for n in range(1000):
            writer.handle(record(f"line {n}"))
        deadline = time.monotonic() + 5
        while stream.getvalue().count("\n") < 1000 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert stream.getvalue().splitlines() == [f"line {n}" for n in range(1000)]
    finally:
        writer.close()


def test_close_writes_what_is_still_waiting_and_stops_the_thread() -> None:
    stream = io.StringIO()
    before = set(threading.enumerate())
    writer = BatchedLineWriter(stream, interval=3600)  # the thread would not write for an hour
    [thread] = set(threading.enumerate()) - before
    writer.handle(record("last words"))
    writer.close()
    assert stream.getvalue() == "last words\n"
    assert not thread.is_alive()


def test_a_stuck_stream_drops_the_oldest_lines_instead_of_growing_without_bound() -> None:
    stream = io.StringIO()
    writer = BatchedLineWriter(stream, interval=3600, max_lines=3)
    for n in range(5):
        writer.handle(record(f"line {n}"))
    writer.close()
    assert stream.getvalue().splitlines() == ["line 2", "line 3", "line 4"]
    assert writer.dropped == 2
