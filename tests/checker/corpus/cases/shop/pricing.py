"""Sync helpers: they block, which is fine in a def and wrong when async code calls them."""

import time

from shop.settings import cache, http


def fetch_rate(currency: str) -> float:
    cached = cache.get(f"rate:{currency}")
    if cached is not None:
        return float(cached)
    response = http.get(f"https://rates.example/{currency}", timeout=5)
    return float(response.json()["rate"])


def convert(amount: float, currency: str) -> float:
    return amount * fetch_rate(currency)


def backoff(attempt: int) -> None:
    time.sleep(0.1 * attempt)


def get(mapping: dict[str, float], key: str) -> float:
    """A module function named like requests.get: looking a key up blocks nothing."""
    return mapping.get(key, 0.0)


# A cycle: ping and pong call each other; pong sleeps.
def ping(depth: int) -> int:
    return pong(depth - 1) if depth else 0


def pong(depth: int) -> int:
    backoff(depth)
    return ping(depth)
