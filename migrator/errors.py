"""Errors a user can cause; the CLI turns each into one clear line and exit code 2."""

from __future__ import annotations


class UserError(Exception):
    """Bad input from the user: a missing path, an unparsable spec, an app that won't import."""
