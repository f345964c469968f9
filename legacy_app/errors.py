"""Every error leaves as JSON: {"error": message} plus "field" for validation errors."""

from __future__ import annotations

import json

from flask import Flask
from flask.wrappers import Response
from werkzeug.exceptions import BadRequest, HTTPException


class ValidationError(Exception):
    """A request body or parameter the API rejects with 400."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ValidationError)
    def validation_error(error: ValidationError) -> tuple[dict[str, str], int]:
        return {"error": error.message, "field": error.field}, 400

    @app.errorhandler(RecursionError)
    def nested_too_deep(error: RecursionError) -> tuple[dict[str, str], int]:
        # json.loads gives up on deeply nested bodies with RecursionError, not ValueError.
        return {"error": BadRequest.description or "bad request"}, 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        # Keep werkzeug's response (and its headers: Allow, WWW-Authenticate), swap the body.
        response = error.get_response()
        response.data = json.dumps({"error": error.description}).encode()
        response.content_type = "application/json"
        if error.code == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        return response  # type: ignore[return-value]
