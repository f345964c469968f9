"""Runtime blocking watch: an ASGI wrapper that reports callbacks which block the event loop.

The run-time twin of `migrate check`. While the contract tests drive the new app, the loop
that runs it is put in asyncio debug mode with `slow_callback_duration` set to the
threshold (50 ms by default); asyncio then logs every callback that held the loop longer.
The watch catches those log records and names the request that was being served: the one
whose task ran the callback, or else the last one started (the tests send one at a time).

Sync routes run in the threadpool and never show up here; that is correct FastAPI.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

DEFAULT_THRESHOLD_S = 0.05
MAX_CALLBACK_CHARS = 200

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_SLOW = re.compile(r"Executing (?P<what>.*) took (?P<seconds>[0-9.]+) seconds", re.DOTALL)
_TASK_NAME = re.compile(r"name='(?P<name>[^']+)'")
_OUTSIDE_REQUESTS = "(outside any request: startup, shutdown or a background task)"


@dataclass(frozen=True)
class BlockedLoop:
    """A callback that held the event loop: for how long, serving which request."""

    operation: str
    seconds: float
    callback: str

    def __str__(self) -> str:
        return (
            f"{self.operation} blocked the event loop for {self.seconds * 1000:.0f} ms "
            f"in {self.callback}"
        )


class BlockingWatch:
    """Wrap an ASGI app; `drain()` returns what blocked since the last call."""

    def __init__(self, app: ASGIApp, *, threshold_s: float = DEFAULT_THRESHOLD_S) -> None:
        self.app = app
        self.threshold_s = threshold_s
        self._found: list[BlockedLoop] = []
        self._task_requests: dict[str, str] = {}
        self._last_request = _OUTSIDE_REQUESTS
        self._armed_loops: dict[int, asyncio.AbstractEventLoop] = {}
        self._was_debug: dict[int, bool] = {}
        self._lock = threading.Lock()
        self._handler = _SlowCallbackHandler(self)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self._arm(asyncio.get_running_loop())
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = f"{scope['method']} {scope['path']}"
        task = asyncio.current_task()
        name = task.get_name() if task is not None else None
        with self._lock:
            self._last_request = request
            if name is not None:
                self._task_requests[name] = request
        await self.app(scope, receive, send)

    def _arm(self, loop: asyncio.AbstractEventLoop) -> None:
        if id(loop) in self._armed_loops:
            return
        self._armed_loops[id(loop)] = loop
        self._was_debug[id(loop)] = loop.get_debug()
        loop.set_debug(True)
        loop.slow_callback_duration = self.threshold_s
        asyncio_logger = logging.getLogger("asyncio")
        if self._handler not in asyncio_logger.handlers:
            asyncio_logger.addHandler(self._handler)

    def record(self, message: str) -> None:
        match = _SLOW.search(message)
        if match is None:
            return
        callback = " ".join(match.group("what").split())
        if len(callback) > MAX_CALLBACK_CHARS:
            callback = callback[:MAX_CALLBACK_CHARS] + "…"
        task = _TASK_NAME.search(callback)
        with self._lock:
            request = self._last_request
            if task is not None:
                request = self._task_requests.get(task.group("name"), request)
            self._found.append(BlockedLoop(request, float(match.group("seconds")), callback))

    def drain(self) -> list[BlockedLoop]:
        self._settle()
        with self._lock:
            found, self._found = self._found, []
            self._task_requests.clear()
            self._last_request = _OUTSIDE_REQUESTS
        return found

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
        for key, loop in self._armed_loops.items():
            if not loop.is_closed() and not self._was_debug.get(key, False):
                # set_debug touches per-thread coroutine tracking: call it in the loop's thread.
                loop.call_soon_threadsafe(loop.set_debug, False)
        self._armed_loops.clear()


class _SlowCallbackHandler(logging.Handler):
    def __init__(self, watch: BlockingWatch) -> None:
        super().__init__(logging.WARNING)
        self.watch = watch

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.watch.record(record.getMessage())
        except Exception:
            self.handleError(record)
