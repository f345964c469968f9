"""CLI commands on the app: `@app.cli.command`, a group, and a click command added later."""

import click
from flask_compat import AppGroup, with_appcontext, current_app
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
import flask_compat

app = FastAPI()
flask_compat.install(app, __name__)
app.state.config["GREETING"] = "hello"
users = AppGroup("users", help="Manage users.")


@flask_compat.cli(app).command("greet")
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


flask_compat.cli(app).add_command(users)
flask_compat.cli(app).add_command(where)


@app.get("/")
def index():
    return HTMLResponse("ok")
