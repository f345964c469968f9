"""Async code that looks like blocking code and is not: nothing here may be reported."""

import asyncio
import os
import socket
import time
from functools import partial
from pathlib import Path

import aiofiles
import anyio
import asyncpg
import httpx
import redis.asyncio
import requests
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select
from starlette.responses import StreamingResponse

from shop import pricing, reports
from shop.db import AsyncSessionDep
from shop.models import Order
from shop.settings import LegacyAsyncSession


def get(url: str) -> str:
    """A local function named like requests.get."""
    return url.upper()


async def http_async() -> None:
    async with httpx.AsyncClient() as client:
        await client.get("https://example.com")
        response = await client.post("https://example.com")
    get("https://example.com")
    response.raise_for_status()


async def sleeping() -> None:
    await asyncio.sleep(1)
    await anyio.sleep(1)


async def async_files() -> str:
    async with aiofiles.open("data.csv") as handle:
        text = await handle.read()
    open = partial(str.strip)
    return open(text)


async def async_postgres() -> None:
    conn = await asyncpg.connect("postgresql://localhost/shop")
    await conn.fetch("select 1")
    await conn.close()


async def async_redis() -> None:
    client = redis.asyncio.Redis()
    await client.set("key", "value")
    async with client.pipeline() as pipe:
        pipe.incr("hits")
        await pipe.execute()


async def async_sessions(session: AsyncSessionDep) -> None:
    await session.execute(select(Order))
    session.add(Order(total=1.0))
    await session.commit()
    async with LegacyAsyncSession() as legacy:
        await legacy.execute(select(Order))
        await legacy.commit()


async def escape_hatches(url: str) -> None:
    await run_in_threadpool(requests.get, url, timeout=5)
    await asyncio.to_thread(time.sleep, 1)
    await asyncio.to_thread(lambda: time.sleep(1))
    await anyio.to_thread.run_sync(partial(pricing.convert, 1.0, "EUR"))
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, lambda: requests.get(url, timeout=5))

    def blocking_part() -> float:
        time.sleep(1)
        return pricing.fetch_rate("EUR")

    await asyncio.to_thread(blocking_part)
    await run_in_threadpool(reports.render_report)


async def run_blocking(function, *args):
    """The project's own escape hatch: hands `function` to a worker thread."""
    return await asyncio.to_thread(function, *args)


async def uses_own_escape_hatch() -> None:
    await run_blocking(lambda: time.sleep(1))
    await run_blocking(pricing.ping, 3)


def sync_view() -> float:
    """FastAPI runs plain def endpoints in a threadpool: blocking here is fine."""
    time.sleep(0.1)
    Path("data.csv").read_text()
    return pricing.convert(1.0, "EUR")


async def streaming() -> StreamingResponse:
    return StreamingResponse(reports.stream_rows())


async def non_blocking_idioms(sock: socket.socket, pid: int) -> None:
    sock.setblocking(False)
    while True:
        try:
            data = sock.recv(1024)
        except BlockingIOError:
            await asyncio.sleep(0.01)
            continue
        break
    os.waitpid(pid, os.WNOHANG)
    del data


async def tasks() -> None:
    task = asyncio.create_task(notify())
    await asyncio.gather(notify(), notify())
    pending = notify()
    await pending
    await task


async def notify() -> None:
    await asyncio.sleep(0)


def make_coroutine():
    return notify()
