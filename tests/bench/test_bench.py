from __future__ import annotations

import contextlib
import json
from dataclasses import asdict
from pathlib import Path
from types import SimpleNamespace

import pytest

from migrator import bench
from migrator.bench import BenchPlan, BenchResults, EndpointSpec, ServiceSpec
from migrator.errors import UserError
from tests.bench.conftest import RUN_FIELDS


def test_service_spec() -> None:
    spec = bench.parse_service("legacy=gunicorn -w 1 legacy_app.wsgi:app")
    assert spec == ServiceSpec("legacy", "gunicorn -w 1 legacy_app.wsgi:app")


@pytest.mark.parametrize("text", ["legacy", "=gunicorn", "a b=gunicorn", "x="])
def test_bad_service_spec(text: str) -> None:
    with pytest.raises(UserError, match="--service wants NAME=COMMAND"):
        bench.parse_service(text)


def test_endpoint_spec_keeps_the_query_and_the_body() -> None:
    assert bench.parse_endpoint("list=GET /invoices?status=draft&per_page=10") == EndpointSpec(
        "list", "GET", "/invoices?status=draft&per_page=10"
    )
    create = bench.parse_endpoint('create=post /clients {"name": "A = B"}')
    assert create == EndpointSpec("create", "POST", "/clients", '{"name": "A = B"}')
    assert create.label == "POST /clients"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("read", "NAME=METHOD PATH"),
        ("read=GET", "NAME=METHOD PATH"),
        ("read=FETCH /x", "unknown method"),
        ("read=GET x", "must start with '/'"),
        ("create=POST /x {name}", "not JSON"),
    ],
)
def test_bad_endpoint_spec(text: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        bench.parse_endpoint(text)


def test_header() -> None:
    assert bench.parse_header("Authorization: Bearer a:b") == ("Authorization", "Bearer a:b")
    with pytest.raises(UserError, match="Name: value"):
        bench.parse_header("Authorization Bearer")


@pytest.mark.parametrize(("text", "seconds"), [("10", 10), ("10s", 10), ("2m", 120), ("1m30s", 90)])
def test_seconds(text: str, seconds: int) -> None:
    assert bench.parse_seconds(text, option="--duration", minimum=1) == seconds


@pytest.mark.parametrize("text", ["", "1.5s", "10ms", "abc", "0s"])
def test_bad_seconds(text: str) -> None:
    with pytest.raises(UserError, match="--duration"):
        bench.parse_seconds(text, option="--duration", minimum=1)


def test_concurrency() -> None:
    assert bench.parse_concurrency("16,64,256") == (16, 64, 256)
    for bad in ("", "0", "a,b", "16,-1"):
        with pytest.raises(UserError, match="--concurrency"):
            bench.parse_concurrency(bad)


def _plan(**changes: object) -> BenchPlan:
    fields: dict[str, object] = {
        "services": (
            ServiceSpec("old", "gunicorn app:app"),
            ServiceSpec("new", "uvicorn app:app"),
            ServiceSpec("floor", "uvicorn floor:app", endpoints=("read",)),
        ),
        "endpoints": (EndpointSpec("health", "GET", "/health"), EndpointSpec("read", "GET", "/r")),
        "out_dir": Path("out"),
        "concurrencies": (16, 64),
        "duration_s": 10,
        "warmup_s": 3,
    }
    fields.update(changes)
    return BenchPlan(**fields)  # type: ignore[arg-type]


def test_plan_counts_its_load_time_and_pairs() -> None:
    plan = _plan()
    assert [e.name for e in plan.endpoints_for(plan.services[2])] == ["read"]
    # 3 + 2 * 10 s per endpoint: 2 endpoints for old and new, 1 for floor.
    assert plan.load_seconds() == 23 * 5
    assert plan.comparison_pairs() == [("new", "old"), ("floor", "old")]
    assert _plan(comparisons=(("new", "floor"),)).comparison_pairs() == [("new", "floor")]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"services": ()}, "at least one --service"),
        ({"services": (ServiceSpec("a", "x"), ServiceSpec("a", "y"))}, "unique: a"),
        ({"services": (ServiceSpec("a", "x", endpoints=("nope",)),)}, "unknown endpoints nope"),
        ({"comparisons": (("new", "ghost"),)}, "unknown service: ghost"),
    ],
)
def test_plan_validation(changes: dict[str, object], message: str) -> None:
    with pytest.raises(UserError, match=message):
        bench.validate_plan(_plan(**changes))


@pytest.mark.parametrize(
    ("argv", "workers"),
    [
        (["/v/bin/gunicorn", "-w", "2", "app:app"], 2),
        (["/v/bin/gunicorn", "-w2", "app:app"], 2),
        (["/v/bin/gunicorn", "--workers=3", "app:app"], 3),
        (["/v/bin/gunicorn", "app:app"], 1),
        (["/v/bin/gunicorn", "-c", "conf.py", "app:app"], None),
        (["/v/bin/uvicorn", "app:app"], 1),
        (["/v/bin/uvicorn", "--workers", "4", "app:app"], 4),
        (["/usr/bin/python3", "-m", "http.server"], None),
    ],
)
def test_expected_workers(argv: list[str], workers: int | None) -> None:
    assert bench.expected_workers(argv) == workers


def test_mask_url() -> None:
    assert bench.mask_url("postgresql://u:secret@h:5432/db") == "postgresql://u:***@h:5432/db"
    assert bench.mask_url("sqlite:///x.db") == "sqlite:///x.db"


def test_results_round_trip_through_json(results: BenchResults, tmp_path: Path) -> None:
    path = bench.write_results_json(results, tmp_path)
    data = json.loads(path.read_text())
    assert set(data) == {"runs", "env", "load_spread"}
    assert set(data["runs"][0]) == RUN_FIELDS
    again = BenchResults.from_json(data)
    assert [asdict(r) for r in again.runs] == [asdict(r) for r in results.runs]
    assert again.find("legacy", "read", 64) == results.find("legacy", "read", 64)
    with pytest.raises(UserError, match=r"not a results\.json"):
        BenchResults.from_json({"runs": [{"service": "x"}]})


def test_a_single_process_service_is_counted_once() -> None:
    process = SimpleNamespace(pid=10)
    single = bench._Live(process, "http://h", 1, [10])  # type: ignore[arg-type]
    assert single.all_pids() == [10]
    master = bench._Live(process, "http://h", 1, [11, 12])  # type: ignore[arg-type]
    assert master.all_pids() == [10, 11, 12]


def test_the_round_least_disturbed_by_other_work_is_kept(tmp_path: Path) -> None:
    from migrator import bench_services, bench_wrk

    def measured(rps: float, other: float) -> bench._Measured:
        stats = bench_wrk.WrkStats(100, 1.0, rps, 1, 2, 3, 4, 5, 1, 0, 0, 0)
        cpu = {"service_cores": 0.5, "other_cores": other}
        spread = bench_services.LoadSpread([1], cpu_before={1: 0.0}, cpu_after={1: 0.5})
        return bench._Measured(stats, spread, cpu)

    plan = _plan(out_dir=tmp_path, rounds=3)
    assert plan.load_seconds() == (3 + 2 * 10 * 3) * 5
    results = BenchResults(env={})
    with contextlib.ExitStack() as stops:
        progress = bench.QuietProgress()
        session = bench._Session(plan, "wrk", {}, tmp_path, [], results, progress, stops)
    bench._record(session, "new", "read", 64, [measured(10, 0.9), measured(30, 0.1)])
    assert [r.rps for r in results.runs] == [30]
    assert results.load_spread[0]["rounds"] == 2
    assert results.load_spread[0]["other_cores"] == 0.1
