"""CLI commands on the app: `@app.cli.command`, a group, and a click command added later."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

app = Flask(__name__)
app.config["GREETING"] = "hello"
users = AppGroup("users", help="Manage users.")


@app.cli.command("greet")
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


app.cli.add_command(users)
app.cli.add_command(where)


@app.route("/")
def index():
    return "ok"
