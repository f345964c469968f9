"""A blueprint's `static_folder=` migrated: its files are served under the blueprint's URL
prefix + `static_url_path` (nested and registration prefixes included) and
`url_for("<blueprint>.static", ...)` builds the same URLs as the Flask original."""

from __future__ import annotations

from pathlib import Path

import httpx

from migrator.cli import main
from tests.codemod.migrated import SUPPORT_MODULES, imported_from
from tests.codemod.test_class_views import _module

CASE = Path(__file__).parent / "cases" / "blueprints" / "static.before.py"
FILES = {
    "admin_static/admin.css": "body { color: red; }\n",
    "docs_files/guide.txt": "read me\n",
    "shop_static/logo.txt": "logo\n",
}
REQUESTS = [
    "/admin/",
    "/admin/admin_static/admin.css",
    "/docs/assets/guide.txt",
    "/v1/shop/shop_static/logo.txt",
    "/admin/admin_static/missing.css",
    "/admin/admin_static/../bsapp.py",
    "/docs/docs_files/guide.txt",
]


async def test_blueprint_static_files_are_served_as_flask(tmp_path: Path) -> None:
    project = tmp_path / "site"
    project.mkdir()
    (project / "bsapp.py").write_text(CASE.read_text())
    for name, text in FILES.items():
        (project / name).parent.mkdir(exist_ok=True)
        (project / name).write_text(text)
    out = tmp_path / "out"
    assert main([str(project), "--out", str(out), "--jobs", "1"]) == 0
    flask_client = _module(project / "bsapp.py", "legacy_bsapp").app.test_client()
    with imported_from(out / "site", *SUPPORT_MODULES):
        migrated = _module(out / "site" / "bsapp.py", "migrated_bsapp").app
        transport = httpx.ASGITransport(app=migrated)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            answers = {url: await client.get(url) for url in REQUESTS}
    for url, got in answers.items():
        with flask_client.get(url) as expected:  # closes the file a static answer opened
            assert got.status_code == expected.status_code, url
            if expected.status_code == 200:
                assert got.headers["content-type"] == expected.content_type, url
                assert got.content == expected.data, url
    assert answers["/admin/"].json()["shop"] == "/v1/shop/shop_static/logo.txt"
