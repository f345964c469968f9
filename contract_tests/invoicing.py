"""This repo's invoicing apps as the contract tests drive them: the reseed hook.

`reseed(app)` brings an app back to the demo data (`--setup contract_tests.invoicing:reseed`):
the legacy Flask app through its own `init_db`, the reference FastAPI app through its async
`init_db` on an engine of its own (the app's engine belongs to the loop that serves it),
the codemod's output through legacy_app's `init_db` on the sync engine it kept.
"""

from __future__ import annotations

import asyncio
from typing import Any


def reseed(app: Any) -> None:
    """Empty the app's tables and insert the seed data again."""
    from flask import Flask

    if isinstance(app, Flask):
        from legacy_app.db import init_db

        init_db(app.extensions["db_engine"], with_seed=True, reset=True)
        return
    state = getattr(app, "state", None)
    settings = getattr(state, "settings", None)
    if settings is not None and type(settings).__module__ == "reference_app.settings":
        asyncio.run(_reseed_reference(settings))
        return
    extensions = getattr(state, "extensions", None)
    if isinstance(extensions, dict) and "db_engine" in extensions:
        # The codemod's output keeps legacy_app's sync engine and its tables.
        from legacy_app.db import init_db

        init_db(extensions["db_engine"], with_seed=True, reset=True)
        return
    raise TypeError(f"reseed: not one of the invoicing apps: {type(app).__name__}")


async def _reseed_reference(settings: Any) -> None:
    from reference_app.db import init_db, make_engine

    engine = make_engine(settings)
    try:
        await init_db(engine, with_seed=True, reset=True)
    finally:
        await engine.dispose()
