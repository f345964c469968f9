"""The same mistakes in a Starlette endpoint and a Flask async view."""

import json

import requests
from flask import Flask
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def homepage(request: Request) -> JSONResponse:
    with open("motd.json") as handle:  # expect: BLK301
        motd = json.load(handle)
    request.body()  # expect: BLK901
    return JSONResponse({"motd": motd, "payload": await request.json()})


starlette_app = Starlette(routes=[Route("/", homepage)])
flask_app = Flask(__name__)


@flask_app.get("/status")
async def status() -> dict[str, object]:
    return requests.get("https://status.example", timeout=5).json()  # expect: BLK101


@flask_app.get("/sync-status")
def sync_status() -> dict[str, object]:
    return requests.get("https://status.example", timeout=5).json()
