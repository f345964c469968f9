"""This repo's invoicing apps as the contract tests drive them: the reseed hook.

`reseed(app)` brings either app back to the demo data (`--setup contract_tests.invoicing:reseed`).
"""

from __future__ import annotations

from typing import Any


def reseed(app: Any) -> None:
    """Empty the app's tables and insert the seed data again."""
    from flask import Flask

    if isinstance(app, Flask):
        from legacy_app.db import init_db

        init_db(app.extensions["db_engine"], with_seed=True, reset=True)
        return
    raise TypeError(f"reseed: not an invoicing app: {type(app).__name__}")
