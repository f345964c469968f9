from __future__ import annotations

import re
from pathlib import Path

import pytest

from migrator import bench_report
from migrator.bench import BenchResults, Goal


def test_ratios_pair_the_same_endpoint_and_concurrency(results: BenchResults) -> None:
    found = bench_report.ratios(results, [("reference", "legacy")])
    assert len(found) == 6
    read_64 = next(r for r in found if (r.endpoint, r.concurrency) == ("read", 64))
    assert read_64.rps == pytest.approx(3.0)
    assert read_64.p50 == pytest.approx(1 / 3)
    assert read_64.p99 == pytest.approx(1 / 3)
    assert bench_report.ratios(results, [("reference", "nobody")]) == []


def test_ratio_of_a_zero_baseline_is_not_a_number(results: BenchResults) -> None:
    legacy = results.find("legacy", "send", 16)
    assert legacy is not None
    results.runs[results.runs.index(legacy)] = type(legacy)(**{**legacy.__dict__, "rps": 0.0})
    send_16 = [
        r
        for r in bench_report.ratios(results, [("reference", "legacy")])
        if (r.endpoint, r.concurrency) == ("send", 16)
    ]
    assert send_16[0].rps is None
    assert bench_report.fmt_ratio(send_16[0].rps) == "n/a"


def test_goals_are_met_missed_or_not_measured(results: BenchResults) -> None:
    goals = [
        Goal("read x2.5", "reference", "legacy", "read", 64, "rps", at_least=2.5),
        Goal("send x100", "reference", "legacy", "send", 64, "rps", at_least=100),
        Goal("p99 half", "reference", "legacy", "read", 64, "p99_ms", at_most=0.5),
        Goal("ghost", "reference", "floor", "read", 64, "rps", at_least=0.85),
    ]
    outcomes = bench_report.evaluate_goals(results, goals)
    assert [o["met"] for o in outcomes] == [True, False, True, None]
    assert outcomes[0]["ratio"] == pytest.approx(3.0)
    assert outcomes[1]["target"] == "≥ 100"
    assert outcomes[2]["target"] == "≤ 0.5"


def test_number_formats() -> None:
    assert bench_report.fmt_rps(8.46) == "8.5"
    assert bench_report.fmt_rps(12345.6) == "12,346"
    assert bench_report.fmt_ms(1.2345) == "1.23"
    assert bench_report.fmt_ms(45.67) == "45.7"
    assert bench_report.fmt_ms(1234.5) == "1,234"
    assert bench_report.fmt_ratio(2.714) == "2.71\u00d7"
    assert bench_report.fmt_ratio(64.2) == "64\u00d7"


@pytest.mark.parametrize(
    ("top", "ticks"),
    [(25, [0, 10, 20, 30]), (1000, [0, 250, 500, 750, 1000]), (3.2, [0, 1, 2, 3, 4])],
)
def test_nice_ticks(top: float, ticks: list[float]) -> None:
    assert bench_report.nice_ticks(top) == ticks


def _points(svg: str) -> list[list[tuple[float, float]]]:
    paths = re.findall(r'<path class="series" d="([^"]+)"', svg)
    return [
        [(float(x), float(y)) for x, y in re.findall(r"[ML]([\d.]+),([\d.]+)", d)] for d in paths
    ]


def test_chart_draws_one_line_per_service_with_a_point_per_concurrency() -> None:
    series = [
        bench_report.Series("old", "#000", [(16, 100.0), (64, 110.0), (256, 90.0)]),
        bench_report.Series("new", "#111", [(16, 300.0), (64, 330.0), (256, 320.0)]),
    ]
    svg = bench_report.svg_chart("throughput", series, [16, 64, 256])
    lines = _points(svg)
    assert len(lines) == 2
    assert all(len(line) == 3 for line in lines)
    # x grows with concurrency; a higher value is drawn higher (smaller y).
    assert lines[0][0][0] < lines[0][1][0] < lines[0][2][0]
    assert lines[1][0][1] < lines[0][0][1]
    assert svg.count("<circle") == 6
    assert "log scale" not in svg


def test_chart_switches_to_a_log_axis_for_wide_ranges() -> None:
    series = [
        bench_report.Series("old", "#000", [(64, 10.0)]),
        bench_report.Series("new", "#111", [(64, 800.0)]),
    ]
    svg = bench_report.svg_chart("throughput", series, [64])
    assert "log scale" in svg
    assert ">1k<" in svg and ">10<" in svg


def test_markdown_has_a_table_and_ratios_per_endpoint(results: BenchResults) -> None:
    results.goals = bench_report.evaluate_goals(
        results, [Goal("read x2.5", "reference", "legacy", "read", 64, "rps", at_least=2.5)]
    )
    md = bench_report.render_markdown(results)
    assert "## read: `GET /invoices/1`" in md
    assert "## send: `POST /invoices/2/send`" in md
    assert "| legacy | 64 | 400 | 160 | 192 | 208 | 240 | 320 | 0 | 0 |  |" in md
    # CPU per request where the run's CPU was recorded: 0.9 cores at 1,200 req/s.
    assert "| reference | 64 | 1,200 | 53.3 | 64.0 | 69.3 | 80.0 | 107 | 0 | 0 | 0.75 |" in md
    assert "| reference / legacy | 64 | 3.00\u00d7 | 0.33\u00d7 | 0.33\u00d7 |" in md
    assert "| read x2.5 | reference / legacy | rps at c=64 | 3.00\u00d7 | ≥ 2.5 | met |" in md
    assert "| reference | read | 64 | 95% / 5% | 64 / 0 | **imbalanced** |" in md
    assert "| reference | send | 64 | 50% / 50% | 32 / 32 | even |" in md
    assert "migrate bench --service 'legacy=gunicorn app:app'" in md


def test_html_is_self_contained(results: BenchResults, tmp_path: Path) -> None:
    md, page = bench_report.write_reports(results, tmp_path)
    assert md.name == "results.md"
    text = page.read_text()
    assert text.count('<svg class="chart"') == 6
    # Nothing to fetch: no external scripts, styles, images or fonts.
    assert not re.search(r'(src|href)=["\']?(https?:)?//', text)
    assert "@import" not in text and "url(" not in text
    assert "imbalanced" in text


def test_figure_page_has_only_the_charts_asked_for(results: BenchResults) -> None:
    page = bench_report.render_figure_html(results, ["send"])
    assert page.count('<svg class="chart"') == 3
    assert "<table>" not in page
    with pytest.raises(ValueError, match="nope"):
        bench_report.render_figure_html(results, ["nope"])


def test_a_run_that_answered_nothing_is_a_hollow_point_not_a_latency(
    results: BenchResults,
) -> None:
    stuck = results.find("legacy", "send", 256)
    assert stuck is not None
    results.runs[results.runs.index(stuck)] = type(stuck)(
        **{**stuck.__dict__, "rps": 0.0, "p50_ms": 0.0, "p99_ms": 0.0}
    )
    page = bench_report.render_figure_html(results, ["send"])
    throughput, p50, _ = page.split('<svg class="chart"')[1:]
    # req/s spans a log axis (10 to 800): the zero sits on its floor, hollow.
    assert 'fill="#fff"' in throughput and "0 (no answers)" in throughput
    assert p50.count("<circle") == 5  # legacy's c=256 has no latency to show
