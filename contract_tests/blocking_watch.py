"""Runtime blocking watch: an ASGI wrapper that reports callbacks which block the event loop.

The run-time twin of `migrate check`. While the contract tests drive the new app, the loop
that runs it is put in asyncio debug mode with `slow_callback_duration` set to the
threshold (50 ms by default); asyncio then logs every callback that held the loop longer.
The watch catches those log records and names the request that was being served: the one
whose task ran the callback, or else the last one started (the tests send one at a time).

Wall-clock time on a shared machine is noisy, so some slow callbacks are notes, not
failures: the first request an endpoint serves (SQL compilation, validator building, first
connection: warm-up), anything outside a request (startup), and blocks that do not recur.
`recurring()` decides: an endpoint fails when it blocked on at least two requests of the
window that make up at least `MIN_BLOCKED_SHARE` of its requests there. A blocking call in
a route blocks every request that reaches it; the OS descheduling the loop's thread on a
loaded machine hits a request here and there. So a blocking call on a path few requests
reach is a note, not a failure: read the notes. Time the interpreter spent
collecting garbage during a callback is not counted.
Sync routes run in the threadpool and never show up here; that is correct FastAPI.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

DEFAULT_THRESHOLD_S = 0.05
MIN_BLOCKED_SHARE = 0.2
MAX_CALLBACK_CHARS = 200

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_SLOW = re.compile(r"Executing (?P<what>.*) took (?P<seconds>[0-9.]+) seconds", re.DOTALL)
_TASK_NAME = re.compile(r"name='(?P<name>[^']+)'")
OUTSIDE_REQUESTS = "(outside any request: startup or shutdown)"


@dataclass(frozen=True)
class BlockedLoop:
    """A callback that held the event loop: for how long, serving which request.

    `warm_up`: it happened outside any request or on an endpoint's first request.
    """

    operation: str
    seconds: float
    callback: str
    warm_up: bool = False
    endpoint: str = ""

    def __str__(self) -> str:
        kind = " (warm-up: its endpoint's first request, or startup)" if self.warm_up else ""
        return (
            f"{self.operation} blocked the event loop for {self.seconds * 1000:.0f} ms"
            f"{kind} in {self.callback}"
        )


@dataclass(frozen=True)
class Window:
    """What a drain returns: the slow callbacks, and requests served per endpoint."""

    blocked: list[BlockedLoop]
    served: dict[str, int]


def _endpoint_name(endpoint: Any) -> str:
    return str(getattr(endpoint, "__qualname__", endpoint))


@dataclass
class _Request:
    label: str
    scope: Scope
    served_before: frozenset[Any]

    @property
    def endpoint(self) -> Any:
        """What routing picked (Starlette fills `scope["endpoint"]`), else the method and path."""
        return self.scope.get("endpoint") or self.label


class BlockingWatch:
    """Wrap an ASGI app; `drain()` returns what blocked since the last call."""

    def __init__(self, app: ASGIApp, *, threshold_s: float = DEFAULT_THRESHOLD_S) -> None:
        self.app = app
        self.threshold_s = threshold_s
        self._found: list[BlockedLoop] = []
        self._by_task: dict[str, _Request] = {}
        self._last: _Request | None = None
        self._served: set[Any] = set()
        self._served_in_window: dict[str, int] = {}
        self._armed_loops: dict[int, asyncio.AbstractEventLoop] = {}
        self._was_debug: dict[int, bool] = {}
        self._lock = threading.Lock()
        self._handler = _SlowCallbackHandler(self)
        self._gc_pauses = _GarbageCollectionPauses()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self._arm(asyncio.get_running_loop())
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        task = asyncio.current_task()
        with self._lock:
            request = _Request(f"{scope['method']} {scope['path']}", scope, frozenset(self._served))
            self._last = request
            if task is not None:
                self._by_task[task.get_name()] = request
        try:
            await self.app(scope, receive, send)
        finally:
            with self._lock:
                self._served.add(request.endpoint)
                name = _endpoint_name(request.endpoint)
                self._served_in_window[name] = self._served_in_window.get(name, 0) + 1

    def _arm(self, loop: asyncio.AbstractEventLoop) -> None:
        if id(loop) in self._armed_loops:
            return
        self._armed_loops[id(loop)] = loop
        self._was_debug[id(loop)] = loop.get_debug()
        loop.set_debug(True)
        loop.slow_callback_duration = self.threshold_s
        self._gc_pauses.watch()
        asyncio_logger = logging.getLogger("asyncio")
        if self._handler not in asyncio_logger.handlers:
            asyncio_logger.addHandler(self._handler)

    def record(self, message: str) -> None:
        """Take one of asyncio's log messages; keep it if it is a slow callback of ours."""
        match = _SLOW.search(message)
        if match is None:
            return
        seconds = float(match.group("seconds"))
        paused = self._gc_pauses.within(time.monotonic() - seconds, time.monotonic())
        if seconds - paused < self.threshold_s:
            return
        callback = " ".join(match.group("what").split())
        if len(callback) > MAX_CALLBACK_CHARS:
            callback = callback[:MAX_CALLBACK_CHARS] + "…"
        task = _TASK_NAME.search(callback)
        with self._lock:
            request = self._last
            if task is not None:
                request = self._by_task.get(task.group("name"), request)
            if request is None:
                found = BlockedLoop(OUTSIDE_REQUESTS, seconds, callback, warm_up=True)
            else:
                warm_up = request.endpoint not in request.served_before
                endpoint = _endpoint_name(request.endpoint)
                found = BlockedLoop(request.label, seconds, callback, warm_up, endpoint)
            self._found.append(found)

    def drain(self) -> Window:
        self._settle()
        with self._lock:
            window = Window(self._found, self._served_in_window)
            self._found, self._served_in_window = [], {}
            self._by_task.clear()
            self._last = None
        return window

    def _settle(self) -> None:
        """Let each watched loop finish its current iteration, where asyncio logs slow callbacks.

        A request's caller wakes up inside the slow callback, before asyncio has logged it.
        """
        for loop in list(self._armed_loops.values()):
            if loop.is_closed() or not loop.is_running():
                continue
            try:
                if asyncio.get_running_loop() is loop:
                    continue
            except RuntimeError:
                pass
            asyncio.run_coroutine_threadsafe(asyncio.sleep(0), loop).result(timeout=10)

    def close(self) -> None:
        """Stop listening to asyncio's log; loops leave debug mode if the watch put them in it."""
        logging.getLogger("asyncio").removeHandler(self._handler)
        self._gc_pauses.close()
        for key, loop in self._armed_loops.items():
            if not loop.is_closed() and not self._was_debug.get(key, False):
                # set_debug touches per-thread coroutine tracking: call it in the loop's thread.
                loop.call_soon_threadsafe(loop.set_debug, False)
        self._armed_loops.clear()


def recurring(window: Window) -> tuple[list[BlockedLoop], list[BlockedLoop]]:
    """Split a window's blocks into (failures, notes); see the module's docstring."""
    counts: dict[str, int] = {}
    for blocked in window.blocked:
        if not blocked.warm_up:
            counts[blocked.endpoint] = counts.get(blocked.endpoint, 0) + 1

    def recurs(endpoint: str) -> bool:
        count = counts[endpoint]
        served = max(window.served.get(endpoint, 0), count)
        return count >= 2 and count / served >= MIN_BLOCKED_SHARE

    failures = [b for b in window.blocked if not b.warm_up and recurs(b.endpoint)]
    notes = [b for b in window.blocked if b not in failures]
    return failures, notes


class _GarbageCollectionPauses:
    """Recent garbage collections (any thread's: they hold the GIL), as (start, end) times."""

    def __init__(self) -> None:
        self._pauses: deque[tuple[float, float]] = deque(maxlen=256)
        self._started: dict[int, float] = {}
        self._installed = False

    def watch(self) -> None:
        if not self._installed:
            gc.callbacks.append(self._callback)
            self._installed = True

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        thread_id = threading.get_ident()
        if phase == "start":
            self._started[thread_id] = time.monotonic()
        elif thread_id in self._started:
            self._pauses.append((self._started.pop(thread_id), time.monotonic()))

    def within(self, start: float, end: float) -> float:
        """Seconds of garbage collection between `start` and `end`."""
        return sum(
            max(0.0, min(end, p_end) - max(start, p_start)) for p_start, p_end in list(self._pauses)
        )

    def close(self) -> None:
        if self._installed:
            gc.callbacks.remove(self._callback)
            self._installed = False


class _SlowCallbackHandler(logging.Handler):
    def __init__(self, watch: BlockingWatch) -> None:
        super().__init__(logging.WARNING)
        self.watch = watch

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.watch.record(record.getMessage())
        except Exception:
            self.handleError(record)
