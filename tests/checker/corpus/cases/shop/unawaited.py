"""Coroutines created and dropped: the un-awaited rules."""

import asyncio

import httpx
from fastapi import Request

from shop.db import AsyncSessionDep


async def send_receipt(order_id: int) -> None:
    await asyncio.sleep(0)


class Mailer:
    async def send(self) -> None:
        await asyncio.sleep(0)

    async def send_all(self) -> None:
        self.send()  # expect: BLK902


async def checkout(session: AsyncSessionDep, request: Request) -> None:
    session.commit()  # expect: BLK901
    asyncio.sleep(1)  # expect: BLK901
    send_receipt(1)  # expect: BLK902
    receipt = send_receipt(2)  # expect: BLK902
    request.json()  # expect: BLK901
    async with httpx.AsyncClient() as client:
        client.get("https://example.com")  # expect: BLK901
