"""What the checker finds and what it leaves alone, one behaviour per test."""

from __future__ import annotations

from textwrap import dedent

import pytest

from migrator.blocking import ProjectAnalysis, UnknownFunctionError, analyze_sources
from migrator.blocking_rules import BlockingRule
from migrator.check_config import CheckConfig
from migrator.findings import Finding


def check(source: str, config: CheckConfig | None = None) -> list[Finding]:
    """Findings for one module, `app.py`."""
    return analyze_sources({"app.py": dedent(source)}, config).findings()


def lines(source: str, config: CheckConfig | None = None) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in check(source, config)]


def analyze(files: dict[str, str], config: CheckConfig | None = None) -> ProjectAnalysis:
    return analyze_sources({path: dedent(text) for path, text in files.items()}, config)


def project(files: dict[str, str], config: CheckConfig | None = None) -> list[Finding]:
    return analyze(files, config).findings()


# Direct calls ------------------------------------------------------------------------------


def test_blocking_call_in_async_def_is_reported_with_its_fix() -> None:
    [finding] = check(
        """
        import time
        async def handler():
            time.sleep(1)
        """
    )
    assert (finding.file, finding.line, finding.col) == ("app.py", 4, 5)
    assert (finding.code, finding.call, finding.chain) == ("BLK401", "time.sleep", ["time.sleep"])
    assert finding.message == "time.sleep sleeps and blocks the event loop"
    assert finding.fix == "use await asyncio.sleep(...)"


def test_blocking_call_in_plain_def_is_fine() -> None:
    assert check("import time\ndef handler():\n    time.sleep(1)\n") == []


def test_nested_and_method_async_defs_are_checked() -> None:
    source = """
        import requests
        class Client:
            async def fetch(self):
                async def inner():
                    return requests.get("u")
                return await inner()
        """
    assert lines(source) == [(6, "BLK101")]


def test_import_aliases_resolve_to_the_qualified_name() -> None:
    source = """
        import requests as r
        from requests import get as g
        async def handler():
            r.post("u")
            g("u")
        """
    assert [f.call for f in check(source)] == ["requests.post", "requests.get"]


def test_objects_are_followed_through_assignments_and_with() -> None:
    source = """
        import psycopg2, requests
        from sqlalchemy import create_engine
        engine = create_engine("sqlite://")
        async def handler():
            s = requests.Session()
            s.get("u")
            conn = psycopg2.connect("")
            cur = conn.cursor()
            cur.execute("select 1")
            with requests.Session() as session:
                session.post("u")
            with engine.connect() as db:
                db.execute("select 1")
        """
    assert lines(source) == [
        (7, "BLK101"),
        (8, "BLK202"),
        (10, "BLK202"),
        (12, "BLK101"),
        (13, "BLK201"),
        (14, "BLK201"),
    ]


def test_parameters_annotated_with_a_sync_type_are_known() -> None:
    source = """
        from typing import Annotated
        import httpx, sqlalchemy.orm
        from fastapi import Depends
        from sqlalchemy.orm import Session
        def get_db(): ...
        async def handler(
            db: Session,
            other: sqlalchemy.orm.Session,
            injected: Annotated[Session, Depends(get_db)],
            client: httpx.Client,
            maybe: "Session | None",
        ):
            db.execute("x")
            other.commit()
            injected.scalars("x")
            client.get("u")
            maybe.flush()
        """
    assert [code for _, code in lines(source)] == ["BLK201"] * 3 + ["BLK105", "BLK201"]


def test_dependency_without_annotation_takes_what_the_dependency_yields() -> None:
    source = """
        from fastapi import Depends
        from sqlalchemy.orm import sessionmaker
        SessionLocal = sessionmaker()
        def get_db():
            db = SessionLocal()
            try:
                yield db
            finally:
                db.close()
        async def handler(db=Depends(get_db)):
            db.commit()
        """
    assert lines(source) == [(12, "BLK201")]


def test_attributes_set_in_init_are_known() -> None:
    source = """
        import redis
        class Cache:
            def __init__(self):
                self.client = redis.Redis()
            async def get(self, key):
                return self.client.get(key)
        """
    assert lines(source) == [(7, "BLK206")]


def test_a_local_function_or_variable_shadowing_a_builtin_is_not_the_builtin() -> None:
    source = """
        def get(url):
            return url
        async def handler(open):
            get("u")
            open("file")
        async def other():
            def input(prompt):
                return prompt
            input("x")
        """
    assert check(source) == []


def test_awaited_calls_are_not_sync_calls() -> None:
    source = """
        from sqlalchemy.ext.asyncio import AsyncSession
        from sqlalchemy.orm import sessionmaker
        maker = sessionmaker(class_=AsyncSession)
        async def handler():
            async with maker() as session:
                await session.execute("x")
                await session.commit()
        """
    assert check(source) == []


def test_non_blocking_idioms_are_understood() -> None:
    source = """
        import os, socket
        async def handler(sock: socket.socket, pid: int):
            try:
                sock.recv(10)
            except BlockingIOError:
                pass
            os.waitpid(pid, os.WNOHANG)
            if True:
                pass
            else:
                os.waitpid(pid, 0)
        """
    assert check(source) == []


# Through the project's own functions ---------------------------------------------------


def test_sync_helper_called_from_async_def_is_reported_at_the_call_with_its_chain() -> None:
    source = """
        import requests
        def fetch(url):
            return requests.get(url)
        def load(url):
            return fetch(url)
        async def handler():
            return load("u")
        """
    [finding] = check(source)
    assert (finding.line, finding.code, finding.call) == (8, "BLK101", "requests.get")
    assert finding.chain == ["app.load", "app.fetch", "requests.get"]


def test_helpers_are_followed_across_modules_however_they_are_imported() -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/net.py": "import requests\ndef fetch():\n    return requests.get('u')\n",
        "pkg/disk.py": "def read():\n    return open('f').read()\n",
        "pkg/api.py": """
            import pkg.disk as disk
            from .net import fetch
            async def a():
                fetch()
            async def b():
                disk.read()
            """,
    }
    found = [(f.file, f.line, f.code, f.chain[0]) for f in project(files)]
    assert found == [
        ("api.py", 5, "BLK101", "pkg.net.fetch"),
        ("api.py", 7, "BLK301", "pkg.disk.read"),
    ]


def test_methods_called_through_self_are_followed() -> None:
    source = """
        import time
        class Worker:
            def _pause(self):
                time.sleep(1)
            async def run(self):
                self._pause()
        """
    assert [f.chain for f in check(source)] == [["app.Worker._pause", "time.sleep"]]


def test_cycles_end_and_the_shortest_chain_wins() -> None:
    source = """
        import time
        def a(n):
            return b(n)
        def b(n):
            time.sleep(1)
            return a(n)
        async def handler():
            a(1)
        """
    assert [f.chain for f in check(source)] == [["app.a", "app.b", "time.sleep"]]


def test_findings_do_not_depend_on_file_order() -> None:
    files = {
        "x.py": "import y\ndef f():\n    y.g()\n    open('a')\nasync def h():\n    f()\n",
        "y.py": "import x, time\ndef g():\n    x.f()\n    time.sleep(1)\n",
    }
    forward = analyze_sources(files).findings()
    backward = analyze_sources(dict(reversed(list(files.items())))).findings()
    assert forward == backward
    assert [f.code for f in forward] == ["BLK301", "BLK401"]


def test_constructor_of_a_project_class_runs_its_init() -> None:
    source = """
        import sqlite3
        class Store:
            def __init__(self):
                self.db = sqlite3.connect("x")
        async def handler():
            Store()
        """
    assert lines(source) == [(7, "BLK204")]


def test_contextmanager_helpers_run_but_plain_generators_only_when_iterated() -> None:
    source = """
        import time
        from contextlib import contextmanager
        @contextmanager
        def timed():
            time.sleep(0)
            yield
        def rows():
            yield open("f").read()
        async def handler():
            with timed():
                pass
            lazy = rows()
            for row in rows():
                pass
            return list(rows()), lazy
        """
    assert lines(source) == [(11, "BLK401"), (14, "BLK301"), (16, "BLK301")]


# Escape hatches ------------------------------------------------------------------------


def test_callables_handed_to_escape_hatches_are_not_findings() -> None:
    source = """
        import asyncio, time, requests, anyio
        from starlette.concurrency import run_in_threadpool
        from fastapi.concurrency import run_in_threadpool as fastapi_pool
        def slow():
            time.sleep(1)
        async def handler():
            await run_in_threadpool(slow)
            await fastapi_pool(requests.get, "u")
            await asyncio.to_thread(lambda: time.sleep(1))
            await anyio.to_thread.run_sync(slow)
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, lambda: requests.get("u"))
            def nested():
                slow()
            await asyncio.to_thread(nested)
        """
    assert check(source) == []


def test_a_lambda_or_nested_def_that_is_called_here_is_a_finding() -> None:
    source = """
        import time
        async def handler(items):
            sorted(items, key=lambda item: time.sleep(item))
            def nested():
                time.sleep(1)
            nested()
        """
    assert lines(source) == [(4, "BLK401"), (7, "BLK401")]


def test_a_project_wrapper_around_an_escape_hatch_is_an_escape_hatch() -> None:
    source = """
        import asyncio, time
        async def run_sync(function):
            return await asyncio.to_thread(function)
        class Database:
            async def execute_fn(self, fn):
                def in_thread():
                    return fn(None)
                return await asyncio.get_event_loop().run_in_executor(None, in_thread)
            async def query(self):
                return await self.execute_fn(lambda conn: time.sleep(1))
        async def handler():
            await run_sync(lambda: time.sleep(1))
        """
    assert check(source) == []


# Coroutines never awaited --------------------------------------------------------------


def test_dropped_coroutines_are_reported() -> None:
    source = """
        import asyncio
        from sqlalchemy.ext.asyncio import AsyncSession
        async def notify():
            await asyncio.sleep(0)
        async def handler(session: AsyncSession):
            session.commit()
            asyncio.sleep(1)
            notify()
            pending = notify()
        """
    assert lines(source) == [(7, "BLK901"), (8, "BLK901"), (9, "BLK902"), (10, "BLK902")]


def test_coroutines_handed_on_are_not_dropped() -> None:
    source = """
        import asyncio
        async def notify():
            pass
        async def handler():
            task = asyncio.create_task(notify())
            await asyncio.gather(notify(), notify())
            later = notify()
            await later
            await task
            async with asyncio.TaskGroup() as group:
                group.create_task(notify())
            return notify()
        """
    assert check(source) == []


def test_stub_async_defs_and_mypy_ignores_are_not_reported() -> None:
    source = """
        from typing import Protocol
        class Cursor(Protocol):
            async def close(self) -> None: ...
        class Wrapper:
            cursor: Cursor
            def close(self):
                self.cursor.close()
            def other(self, real: "Wrapper"):
                real.finish()  # type: ignore[unused-coroutine]
                real.emit()
            async def finish(self):
                await self.emit()
            async def emit(self):
                "Stub: the real emitter overrides this."
                pass
        """
    assert check(source) == []


# Suppression, selection, configuration ---------------------------------------------------


def test_noqa_silences_its_line_only_for_the_codes_it_names() -> None:
    source = """
        import time, requests
        async def handler():
            time.sleep(1)  # noqa
            time.sleep(1)  # noqa: BLK401
            time.sleep(1)  # noqa: BLK101
            requests.get("u"); time.sleep(1)  # noqa: BLK101, BLK401
        """
    assert lines(source) == [(6, "BLK401")]


def test_noqa_on_the_blocking_call_in_a_helper_covers_every_caller() -> None:
    source = """
        import time
        def pause():
            time.sleep(0.001)  # noqa: BLK401 -- a deliberate tiny yield
        async def handler():
            pause()
        """
    assert check(source) == []


def test_select_and_ignore_take_codes_and_prefixes() -> None:
    source = """
        import time, requests
        async def handler():
            time.sleep(1)
            requests.get("u")
            open("f")
        """
    assert [c for _, c in lines(source, CheckConfig(select=("BLK1", "BLK4")))] == [
        "BLK401",
        "BLK101",
    ]
    assert [c for _, c in lines(source, CheckConfig(ignore=("BLK4",)))] == ["BLK101", "BLK301"]
    more_specific = CheckConfig(select=("BLK401",), ignore=("BLK4",))
    assert [c for _, c in lines(source, more_specific)] == ["BLK401"]


def test_configured_blocking_calls_safe_wrappers_and_return_types() -> None:
    config = CheckConfig(
        blocking_calls=(
            BlockingRule("BLK801", "calls the vendor SDK", "use the async SDK", ("vendor.fetch",)),
        ),
        safe_wrappers=("app.offload",),
        returns={"app.make_client": "requests.Session"},
    )
    source = """
        import time, vendor
        def offload(function):
            return function
        def make_client():
            return object()
        async def handler():
            vendor.fetch()
            offload(lambda: time.sleep(1))
            make_client().get("u")
        """
    found = check(source, config)
    assert [(f.line, f.code, f.message, f.fix) for f in found] == [
        (8, "BLK801", "vendor.fetch calls the vendor SDK", "use the async SDK"),
        (
            10,
            "BLK101",
            "requests.Session.get makes a blocking HTTP request (requests)",
            found[1].fix,
        ),
    ]


def test_columns_count_characters_not_bytes() -> None:
    source = 'import time\nasync def handler():\n    x = "é"; time.sleep(1)\n'
    assert [f.col for f in check(source)] == [14]


# The codemod's question ----------------------------------------------------------------


def test_blocking_calls_of_any_function_as_if_it_were_async() -> None:
    files = {
        "legacy/__init__.py": "",
        "legacy/db.py": "from sqlalchemy.orm import Session\ndef get_db() -> Session: ...\n",
        "legacy/views.py": """
            import requests
            from legacy.db import get_db
            def helper():
                return requests.get("u")
            def index():
                get_db().execute("select 1")
                return helper()
            class UserView:
                def get(self):
                    return "ok"
            """,
    }
    analysis = analyze(files)
    assert analysis.findings() == []
    found = analysis.blocking_calls("views.py", "index")
    assert [(f.line, f.code, f.chain) for f in found] == [
        (7, "BLK201", ["sqlalchemy.orm.Session.execute"]),
        (8, "BLK101", ["legacy.views.helper", "requests.get"]),
    ]
    assert analysis.blocking_calls("legacy/views.py", "UserView.get") == []
    with pytest.raises(UnknownFunctionError):
        analysis.blocking_calls("views.py", "missing")
    with pytest.raises(UnknownFunctionError):
        analysis.blocking_calls("nowhere.py", "index")


def test_flask_sqlalchemy_sessions_and_model_queries_are_known() -> None:
    files = {
        "app/__init__.py": "",
        "app/extensions.py": "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n",
        "app/models.py": "from app.extensions import db\nclass User(db.Model):\n    pass\n",
        "app/views.py": """
            from app.extensions import db
            from app.models import User
            def show(user_id):
                user = User.query.filter_by(id=user_id).first_or_404()
                db.session.commit()
                return user
            """,
    }
    found = analyze(files).blocking_calls("views.py", "show")
    assert [f.call for f in found] == [
        "sqlalchemy.orm.Query.first_or_404",
        "sqlalchemy.orm.scoped_session.commit",
    ]


def test_unparsable_sources_are_errors_and_the_rest_is_checked() -> None:
    analysis = analyze_sources(
        {"bad.py": "def (:\n", "good.py": "import time\nasync def f():\n    time.sleep(1)\n"}
    )
    assert [(e.file, e.line) for e in analysis.errors] == [("bad.py", 1)]
    assert analysis.files_checked == 1
    assert [f.file for f in analysis.findings()] == ["good.py"]


def test_long_generated_expressions_do_not_exhaust_the_stack() -> None:
    source = (
        "x = " + " + ".join(["f()"] * 5000) + "\nimport time\nasync def g():\n    time.sleep(1)\n"
    )
    assert [f.code for f in analyze_sources({"gen.py": source}).findings()] == ["BLK401"]


def test_objects_are_followed_through_classes() -> None:
    source = """
        import httpx, requests
        from sqlalchemy.orm import Session
        class Base:
            client: httpx.Client
            def fetch(self):
                return self.client.get("u")
        class Service(Base):
            @property
            def db(self) -> Session: ...
            async def run(self):
                self.db.commit()
                super().fetch()
                self.fetch()
        class Retrying(requests.Session):
            pass
        async def handler():
            Retrying().get("u")
        """
    assert lines(source) == [(12, "BLK201"), (13, "BLK105"), (14, "BLK105"), (18, "BLK101")]


def test_package_reexports_and_module_imports_resolve() -> None:
    files = {
        "shop/__init__.py": "from .net import fetch\n",
        "shop/net.py": "import urllib.request\ndef fetch():\n    urllib.request.urlopen('u')\n",
        "shop/api.py": """
            from shop import fetch
            from . import net
            async def a():
                fetch()
                net.fetch()
            """,
    }
    assert [(f.line, f.chain) for f in project(files)] == [
        (5, ["shop.net.fetch", "urllib.request.urlopen"]),
        (6, ["shop.net.fetch", "urllib.request.urlopen"]),
    ]


def test_iterating_runs_iter_a_query_or_a_project_iterable() -> None:
    source = """
        import time
        from sqlalchemy.orm import Session
        class Feed:
            def __iter__(self):
                time.sleep(1)
                yield 1
        async def handler(db: Session):
            for user in db.query("User"):
                pass
            names = [name for name in Feed()]
            async for event in stream():
                pass
        async def stream():
            yield 1
        """
    assert lines(source) == [(9, "BLK201"), (11, "BLK401")]


def test_assigning_super_is_not_a_call_to_track() -> None:
    source = """
        class Child(dict):
            def __init__(self):
                parent = super()
                parent.__init__()
        """
    assert check(source) == []


def test_functions_handed_to_callers_that_run_them_here_are_followed() -> None:
    source = """
        import asyncio, time
        def slow(item):
            time.sleep(1)
            return item
        async def handler(items):
            list(map(slow, items))
            sorted(items, key=slow)
            asyncio.get_running_loop().call_soon(slow, 1)
            await asyncio.to_thread(slow, 1)
        """
    assert lines(source) == [(7, "BLK401"), (8, "BLK401"), (9, "BLK401")]
