"""The blocking watch catches `time.sleep` in an `async def` route, and only that."""

from __future__ import annotations

import asyncio
import time

from fastapi import FastAPI

from contract_tests.apps import AppUnderTest
from contract_tests.blocking_watch import BlockedLoop, BlockingWatch, Window, recurring
from contract_tests.cases import load_schema, select_operations
from contract_tests.results import Suite
from contract_tests.runner import RunOptions, run_generated
from contract_tests.suite import watched
from contract_tests.transport import RawRequest, send
from tests.contract.sample_apps import SPEC, blocking_app, good_app


def sleepy_app() -> FastAPI:
    app = FastAPI()

    @app.get("/blocks")
    async def blocks() -> dict[str, str]:
        time.sleep(0.1)  # noqa: ASYNC251 - on purpose
        return {"ok": "no"}

    @app.get("/awaits")
    async def awaits() -> dict[str, str]:
        await asyncio.sleep(0.1)
        return {"ok": "yes"}

    @app.get("/threadpool")
    def threadpool() -> dict[str, str]:
        time.sleep(0.1)  # a plain `def` runs in the threadpool: correct FastAPI
        return {"ok": "yes"}

    return app


def test_reports_the_request_that_blocked_the_loop() -> None:
    watch = BlockingWatch(sleepy_app())
    app = AppUnderTest("new", watch.app, watch)
    try:
        for path in ("/awaits", "/threadpool") * 3:
            assert send(app, RawRequest("GET", path)).response.status == 200
        # On a loaded machine a request may be slow now and then, but it does not recur.
        assert recurring(watch.drain())[0] == []
        for _ in range(3):
            assert send(app, RawRequest("GET", "/blocks")).response.status == 200
        window = watch.drain()
    finally:
        watch.close()
    assert window.served == {"sleepy_app.<locals>.blocks": 3}
    found = [b for b in window.blocked if b.operation == "GET /blocks"]
    assert [b.warm_up for b in found] == [True, False, False]
    assert all(b.seconds >= 0.09 for b in found)
    assert str(found[1]).startswith("GET /blocks blocked the event loop for ")
    assert recurring(window)[0] == found[1:]


def test_the_threshold_is_configurable() -> None:
    watch = BlockingWatch(sleepy_app(), threshold_s=0.5)
    app = AppUnderTest("new", watch.app, watch)
    try:
        send(app, RawRequest("GET", "/blocks"))
        assert watch.drain().blocked == []
    finally:
        watch.close()


def test_a_blocking_route_fails_the_run_under_its_operation() -> None:
    schema = load_schema(SPEC, max_examples=3, seed=None)
    (operation,) = select_operations(schema)
    options = RunOptions(headers={})
    slow = watched(AppUnderTest("new", blocking_app))
    assert isinstance(slow.target, BlockingWatch)
    try:
        rows = run_generated(operation, new=slow, legacy=None, options=options)
    finally:
        slow.target.close()
    blocking = [row for row in rows if row.suite is Suite.BLOCKING]
    assert len(blocking) == 1
    assert blocking[0].operation == "GET /items/{item_id}"
    assert not blocking[0].ok
    assert "blocked the event loop" in blocking[0].first_failure

    fine = watched(AppUnderTest("new", good_app))
    assert isinstance(fine.target, BlockingWatch)
    try:
        rows = run_generated(operation, new=fine, legacy=None, options=options)
    finally:
        fine.target.close()
    assert all(row.ok for row in rows)
    assert all(row.failed == 0 for row in rows if row.suite is Suite.BLOCKING)


def test_only_recurring_blocks_fail() -> None:
    def blocks(endpoint: str, n: int) -> list[BlockedLoop]:
        return [BlockedLoop(f"GET /{endpoint}/{i}", 0.1, "cb", endpoint=endpoint) for i in range(n)]

    warm = BlockedLoop("GET /a/1", 0.1, "cb", warm_up=True, endpoint="a")
    once, twice_of_5, twice_of_50, thrice = (
        blocks("b", 1),
        blocks("c", 2),
        blocks("d", 2),
        blocks("e", 3),
    )
    served = {"a": 9, "b": 9, "c": 5, "d": 50, "e": 100}
    window = Window([warm, *once, *twice_of_5, *twice_of_50, *thrice], served)
    failures, notes = recurring(window)
    assert failures == twice_of_5
    assert notes == [warm, *once, *twice_of_50, *thrice]
