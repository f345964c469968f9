"""`flask --app legacy_app.wsgi init-db [--seed]`."""

from __future__ import annotations

import click
from flask import current_app

from legacy_app.db import init_db


@click.command("init-db")
@click.option("--seed", is_flag=True, help="add the demo tenants, clients and invoices")
@click.option("--reset", is_flag=True, help="empty the tables first")
def init_db_command(seed: bool, reset: bool) -> None:
    """Create the tables (and the demo data)."""
    init_db(current_app.extensions["db_engine"], with_seed=seed, reset=reset)
    click.echo(
        f"initialised {current_app.config['DATABASE_URL']}" + (" with demo data" if seed else "")
    )
