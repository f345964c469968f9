"""flask_cors and flask_login migrated: CORS headers and the 401 of `login_required` as the
Flask original sent them; views decorated by other extensions reported route by route."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from migrator.cli import main
from migrator.codemod import migrate
from migrator.report import top_reasons
from tests.codemod.migrated import SUPPORT_MODULES, imported_from
from tests.codemod.test_class_views import _module

APP = """
from flask import Flask, jsonify
from flask_cors import CORS
from flask_login import LoginManager, current_user, login_required

app = Flask(__name__)
CORS(app, origins=["https://example.com"], supports_credentials=True, max_age=60)
login_manager = LoginManager(app)


@login_manager.user_loader
def load(user_id):
    return None


@app.route("/me")
@login_required
def me():
    return jsonify(name=current_user.name)


@app.route("/public")
def public():
    return jsonify(ok=True)
"""

CORS_HEADERS = (
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-max-age",
)


async def test_cors_and_login_required_answer_as_flask(tmp_path: Path) -> None:
    source = tmp_path / "ext_app.py"
    source.write_text(APP)
    out = tmp_path / "out"
    assert main([str(source), "--out", str(out), "--jobs", "1"]) == 0
    assert "flask_cors" not in (out / "ext_app.py").read_text()
    flask_client = _module(source, "legacy_ext_app").app.test_client()
    requests = [
        ("GET", "/public", {"Origin": "https://example.com"}),
        ("GET", "/public", {"Origin": "https://evil.example"}),
        ("GET", "/me", {"Origin": "https://example.com"}),
        (
            "OPTIONS",
            "/public",
            {"Origin": "https://example.com", "Access-Control-Request-Method": "GET"},
        ),
    ]
    with imported_from(out, *SUPPORT_MODULES):
        migrated = _module(out / "ext_app.py", "migrated_ext_app").app
        transport = httpx.ASGITransport(app=migrated)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            for method, url, headers in requests:
                expected = flask_client.open(url, method=method, headers=headers)
                got = await client.request(method, url, headers=headers)
                assert got.status_code == expected.status_code, (method, url, headers)
                # Starlette also sends allow-credentials to an origin it refuses (no
                # allow-origin, so browsers refuse the answer as before).
                names = CORS_HEADERS if "evil" not in str(headers) else CORS_HEADERS[:1]
                for name in names:
                    assert got.headers.get(name) == expected.headers.get(name), (url, name)


DECORATED = Path(__file__).parent / "cases" / "extensions" / "decorators.before.py"


def test_extension_decorators_are_reported_per_route(tmp_path: Path) -> None:
    source = tmp_path / "decorated.py"
    source.write_text(DECORATED.read_text())
    out = tmp_path / "out"
    report = out / "report.json"
    assert main([str(source), "--out", str(out), "--report", str(report), "--jobs", "1"]) == 0
    routes = {route["path"]: route for route in json.loads(report.read_text())["routes"]}
    expected = {
        "/search": ["@limiter.limit (Flask-Limiter)"],
        "/report": ["@cache.cached (Flask-Caching)", "@jwt_required (Flask-JWT-Extended)"],
        "/admin": ["@auth.login_required (Flask-HTTPAuth)"],
        "/profile": ["@login_required (Flask-Login)"],
    }
    for path, decorators in expected.items():
        assert routes[path]["status"] == "review", path
        notes = routes[path]["notes"]
        assert [n.partition(" is kept")[0].partition(" runs on")[0] for n in notes] == decorators
    assert routes["/search"]["notes"][0].endswith(
        "in FastAPI use slowapi (`Limiter`, `@limiter.limit` on routes)"
    )
    assert routes["/health"]["status"] == "converted" and routes["/health"]["notes"] == []
    reasons = [reason for reason, _ in top_reasons(migrate(source), limit=10)]
    assert any(reason.startswith("@jwt_required (Flask-JWT-Extended)") for reason in reasons)
