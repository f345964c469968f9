"""CLI commands on the app: `@app.cli.command`, a group, and a click command added later."""

import click
from flask_commands import AppGroup, with_appcontext
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
import flask_commands
import flask_compat
from flask_compat import current_app

app = FastAPI()
flask_compat.install(app, __name__)
app.state.config["GREETING"] = "hello"
users = AppGroup("users", help="Manage users.")


@flask_commands.cli(app).command("greet")
@click.argument("name")
def greet(name):
    click.echo(f"{current_app.config['GREETING']} {name}")


@users.command("create")
@click.argument("name")
def create_user(name):
    click.echo(f"created {name} in {current_app.name}")


@click.command("where")
@with_appcontext
def where():
    click.echo(current_app.name)


flask_commands.cli(app).add_command(users)
flask_commands.cli(app).add_command(where)


@app.get("/")
def index():
    return HTMLResponse("ok")
