"""URL processors migrated: `url_value_preprocessor` runs on the matched path values before
the `before_request` hooks (the view gets what it leaves) and `url_defaults` fills `url_for`,
for the app and per blueprint, as in the Flask original."""

from __future__ import annotations

from pathlib import Path

import httpx

from migrator.cli import main
from tests.codemod.migrated import SUPPORT_MODULES, imported_from
from tests.codemod.test_class_views import _module

CASE = Path(__file__).parent / "cases" / "hooks" / "url_processors.before.py"
REQUESTS = ["/de/", "/de/about", "/pages/About", "/pages/home", "/de", "/nowhere", "/de/x/y"]


async def test_url_processors_answer_as_flask(tmp_path: Path) -> None:
    source = tmp_path / "i18n.py"
    source.write_text(CASE.read_text())
    out = tmp_path / "out"
    assert main([str(source), "--out", str(out), "--jobs", "1"]) == 0
    flask_client = _module(source, "legacy_i18n").app.test_client()
    with imported_from(out, *SUPPORT_MODULES):
        migrated = _module(out / "i18n.py", "migrated_i18n").app
        transport = httpx.ASGITransport(app=migrated)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            answers = {url: await client.get(url) for url in REQUESTS}
    for url, got in answers.items():
        expected = flask_client.get(url)
        assert got.status_code == expected.status_code, url
        assert got.headers.get("location") == expected.headers.get("location"), url
        if expected.is_json:
            assert got.json() == expected.get_json(), url
    assert answers["/de/"].json() == {"lang": "de", "about": "/de/about", "seen": {}}
    assert answers["/pages/About"].json()["slug"] == "about"  # the preprocessed value
