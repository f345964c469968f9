"""A repository class: clients stored on self in __init__, methods calling each other."""

import psycopg2
from sqlalchemy import select
from sqlalchemy.orm import Session

from shop.models import Order


class OrderRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.conn = psycopg2.connect("dbname=shop")

    def get(self, order_id: int) -> Order | None:
        return self.session.get(Order, order_id)

    def totals(self) -> list[tuple[int, float]]:
        cursor = self.conn.cursor()
        cursor.execute("select id, total from orders")
        return cursor.fetchall()

    def summary(self) -> dict[str, float]:
        return {str(order_id): total for order_id, total in self.totals()}

    def latest(self) -> list[Order]:
        return list(self.session.scalars(select(Order).limit(10)))
