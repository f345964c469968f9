"""Tiny apps and their contract, for testing the contract machinery without the invoicing apps."""

from __future__ import annotations

import time
from typing import Any

from fastapi import FastAPI, HTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

ITEMS = {1: "one", 2: "two"}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "items", "version": "1"},
    "paths": {
        "/items/{item_id}": {
            "get": {
                "operationId": "getItem",
                "parameters": [
                    {
                        "name": "item_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 1000},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "the item",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Item"}}
                        },
                    },
                    "404": {
                        "description": "no such item",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                "additionalProperties": False,
            },
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "string"}},
            },
        }
    },
}


def items_app(*, leak: bool = False, block: bool = False) -> FastAPI:
    """The items API; `leak` adds a field the contract forbids, `block` sleeps in `async def`.

    It documents exactly the contract, and answers a bad id 404 as the contract says.
    """
    app = FastAPI()
    app.openapi = lambda: SPEC  # type: ignore[method-assign]

    @app.exception_handler(HTTPException)
    async def error_body(request: Any, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def not_found(request: Any, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": "item not found"}, status_code=404)

    @app.get("/items/{item_id}")
    async def get_item(item_id: int) -> dict[str, Any]:
        if block:
            time.sleep(0.08)  # noqa: ASYNC251 - the bug the blocking watch is for
        if item_id not in ITEMS:
            raise HTTPException(404, "item not found")
        item: dict[str, Any] = {"id": item_id, "name": ITEMS[item_id]}
        if leak:
            item["owner_id"] = 7
        return item

    return app


good_app = items_app()
leaky_app = items_app(leak=True)
blocking_app = items_app(block=True)
