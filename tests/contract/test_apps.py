"""Loading `MODULE:app` / `MODULE:factory(...)` and telling WSGI from ASGI."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from flask import Flask

from contract_tests.apps import app_kind, load_app, load_object, load_setup
from migrator.errors import UserError


def test_loads_an_attribute_and_a_factory_with_literal_arguments(tmp_path: object) -> None:
    assert load_object("os.path:sep", what="x") in ("/", "\\")
    app = load_app("legacy_app:create_app('sqlite://')", name="legacy")
    assert isinstance(app, Flask)
    assert app.config["DATABASE_URL"] == "sqlite://"
    assert load_object("collections:OrderedDict(a=1)", what="x") == {"a": 1}


def test_tells_wsgi_from_asgi() -> None:
    async def asgi(scope: object, receive: object, send: object) -> None:
        pass

    assert app_kind(FastAPI()) == "asgi"
    assert app_kind(asgi) == "asgi"
    assert app_kind(Flask(__name__)) == "wsgi"


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("legacy_app", "must look like MODULE:NAME"),
        (
            "no_such_module_xyz:app",
            "cannot import --new app module 'no_such_module_xyz': no such module",
        ),
        ("legacy_app:nope", "module 'legacy_app' has no attribute 'nope'"),
        ("legacy_app:create_app(open('x'))", "a factory may only take literal arguments"),
        ("legacy_app:create_app(1, 2, 3)", "legacy_app:create_app() failed: TypeError"),
        ("legacy_app.seed:TENANTS()", "is not callable"),
        ("legacy_app.seed:TENANTS", "is a list, not a WSGI/ASGI app"),
    ],
)
def test_bad_references_are_one_line_user_errors(reference: str, message: str) -> None:
    with pytest.raises(UserError) as error:
        load_app(reference, name="new")
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_module_that_fails_to_import_names_the_error(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "broken_app_mod.py").write_text("import no_such_dependency_xyz\n")
    monkeypatch.syspath_prepend(str(folder))
    with pytest.raises(UserError, match="No module named 'no_such_dependency_xyz'"):
        load_app("broken_app_mod:app", name="new")


def test_setup_must_be_callable() -> None:
    assert callable(load_setup("contract_tests.invoicing:reseed"))
    with pytest.raises(UserError, match="is not a function"):
        load_setup("legacy_app.seed:TENANTS")
