"""Tests of the app's CLI commands: in process with the CLI runner, and through `flask`."""

import subprocess
import sys

from commands import app
import flask_commands


def test_greet_in_process():
    runner = flask_commands.test_cli_runner(app)
    result = runner.invoke(args=["greet", "ada"])
    assert result.exit_code == 0
    assert result.output == "hello ada\n"


def test_group_command_in_process():
    result = flask_commands.test_cli_runner(app).invoke(args=["users", "create", "bob"])
    assert result.output == "created bob in commands\n"


def test_flask_command():
    command = [sys.executable, "-m", "flask_cli", "--app", "commands", "greet", "cy"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.stdout == "hello cy\n", done.stderr
    done = subprocess.run([sys.executable, "-m", "flask_cli", "--app", "commands", "where"], capture_output=True, text=True)
    assert done.stdout == "commands\n", done.stderr
