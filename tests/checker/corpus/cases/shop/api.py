"""FastAPI routes: async handlers that block, directly or through the shop's helpers."""

import asyncio
import sqlite3
import subprocess
import time

import httpx
import requests
import requests as r
from fastapi import APIRouter, Depends, Request
from requests import get as fetch
from sqlalchemy import text
from sqlalchemy.orm import Session

import shop.reports as reports
from shop import pricing
from shop.db import SessionDep, get_untyped_session
from shop.models import Order
from shop.repository import OrderRepository
from shop.settings import SessionLocal, engine, http

from .pricing import convert as to_currency

router = APIRouter()


@router.get("/orders/{order_id}")
async def read_order(order_id: int, session: SessionDep) -> dict[str, float]:
    order = session.get(Order, order_id)  # expect: BLK201
    return {"total": order.total if order else 0.0}


@router.get("/orders")
async def list_orders(db: Session = Depends(get_untyped_session)) -> list[int]:
    rows = db.execute(text("select id from orders"))  # expect: BLK201
    return [row.id for row in rows]


@router.get("/untyped")
async def untyped_dependency(db=Depends(get_untyped_session)) -> None:
    db.commit()  # expect: BLK201


@router.get("/price")
async def price(amount: float, currency: str) -> dict[str, float]:
    return {"value": to_currency(amount, currency)}  # expect: BLK101, BLK206


@router.get("/rate")
async def rate(currency: str) -> float:
    return pricing.fetch_rate(currency)  # expect: BLK101, BLK206


@router.get("/ping")
async def ping_pong() -> int:
    return pricing.ping(3)  # expect: BLK401


@router.get("/rates")
async def rates(currencies: list[str]) -> list[float]:
    asyncio.get_running_loop().call_soon(pricing.backoff, 1)  # expect: BLK401
    ordered = sorted(currencies, key=len)
    return list(map(pricing.fetch_rate, ordered))  # expect: BLK101, BLK206


@router.get("/report")
async def report() -> str:
    return reports.render_report()  # expect: BLK301, BLK501


@router.get("/direct")
async def direct_calls(request: Request) -> dict[str, object]:
    first = requests.get("https://example.com", timeout=5)  # expect: BLK101
    second = r.post("https://example.com", json={}, timeout=5)  # expect: BLK101
    third = fetch("https://example.com", timeout=5)  # expect: BLK101
    fourth = http.get("https://example.com")  # expect: BLK101
    fifth = httpx.get("https://example.com")  # expect: BLK105
    time.sleep(0.5)  # expect: BLK401
    subprocess.run(["ls"], check=True)  # expect: BLK501
    return {"codes": [first, second, third, fourth, fifth]}


@router.get("/sessions")
async def sessions() -> None:
    with requests.Session() as session:
        session.get("https://example.com")  # expect: BLK101
    with httpx.Client() as client:
        client.post("https://example.com")  # expect: BLK105
    with engine.connect() as conn:  # expect: BLK201
        conn.execute(text("select 1"))  # expect: BLK201
    with SessionLocal() as orm_session:
        orm_session.query(Order).filter_by(id=1).first()  # expect: BLK201
        orm_session.commit()  # expect: BLK201
        for order in orm_session.query(Order).order_by(Order.id):  # expect: BLK201
            del order
        with orm_session.begin():  # expect: BLK201
            orm_session.add(Order(total=2.0))


@router.get("/sqlite")
async def sqlite_report() -> list[tuple[int, ...]]:
    conn = sqlite3.connect("shop.db")  # expect: BLK204
    cursor = conn.cursor()
    cursor.execute("select 1")  # expect: BLK204
    return cursor.fetchall()  # expect: BLK204


class OrderService:
    def __init__(self, session: Session) -> None:
        self.repository = OrderRepository(session)
        self.client = httpx.Client()

    def _notify(self, order_id: int) -> None:
        self.client.post("https://hooks.example", json={"id": order_id})

    async def place(self, order_id: int) -> None:
        self.repository.get(order_id)  # expect: BLK201
        self._notify(order_id)  # expect: BLK105

    async def stats(self) -> dict[str, float]:
        return self.repository.summary()  # expect: BLK202


@router.post("/orders")
async def create_order(session: SessionDep) -> None:
    repository = OrderRepository(session)  # expect: BLK202
    repository.latest()  # expect: BLK201


async def annotated_parameters(client: httpx.Client, session: "Session") -> None:
    client.get("https://example.com")  # expect: BLK105
    session.flush()  # expect: BLK201


def sync_route(session: SessionDep) -> float:
    """A plain def runs in FastAPI's threadpool: blocking here is fine."""
    order = session.get(Order, 1)
    time.sleep(0.1)
    return pricing.convert(order.total if order else 0.0, "EUR")
