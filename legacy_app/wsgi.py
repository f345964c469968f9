"""WSGI entry point: `gunicorn legacy_app.wsgi:app`."""

from legacy_app import create_app

app = create_app()
