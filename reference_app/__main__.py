"""`python -m reference_app init-db [--seed] [--reset]`.

Works on $DATABASE_URL, or SQLite in ./instance when it is not set, like the app.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from reference_app.db import ensure_sqlite_folder, init_db, make_engine
from reference_app.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reference_app")
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init-db", help="create the tables (and the demo data)")
    init.add_argument("--seed", action="store_true", help="add the demo tenants, clients, invoices")
    init.add_argument("--reset", action="store_true", help="empty the tables first")
    args = parser.parse_args(argv)

    settings = Settings()
    shown = make_url(settings.sqlalchemy_url).render_as_string(hide_password=True)
    try:
        asyncio.run(_init_db(settings, seed=args.seed, reset=args.reset))
    except (SQLAlchemyError, OSError) as error:
        reason = str(error).splitlines()[0]
        print(f"error: cannot initialise {shown}: {reason}", file=sys.stderr)
        return 1
    print(f"initialised {shown}" + (" with demo data" if args.seed else ""))
    return 0


async def _init_db(settings: Settings, *, seed: bool, reset: bool) -> None:
    await ensure_sqlite_folder(settings.sqlalchemy_url)
    engine = make_engine(settings)
    try:
        await init_db(engine, with_seed=seed, reset=reset)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
