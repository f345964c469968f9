"""Rendering `migrate bench` results: ratios, goals, results.md and a self-contained report.html.

The HTML page draws its charts as inline SVG computed here (no script or network needed to
see them); a few lines of inline script only record, on each chart, the length of the lines
the browser laid out, so a headless-browser test can tell that the charts were drawn.
"""

from __future__ import annotations

import html
import json
import math
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrator.bench import BenchResults, Goal, RunResult

# Colour-blind-safe (Okabe-Ito), in the order services are listed.
PALETTE = ("#D55E00", "#E69F00", "#0072B2", "#56B4E9", "#009E73", "#CC79A7", "#000000", "#999999")

LATENCY_FIELDS = ("p50_ms", "p90_ms", "p95_ms", "p99_ms", "max_ms")
# A worker with more than this multiple of an even share of the CPU means the load piled up.
IMBALANCE_FACTOR = 1.6
TIMES = "\u00d7"


@dataclass(frozen=True)
class Ratio:
    """new / old on one endpoint and concurrency."""

    new: str
    old: str
    endpoint: str
    concurrency: int
    rps: float | None
    p50: float | None
    p99: float | None


def _divide(a: float, b: float) -> float | None:
    return a / b if b > 0 else None


def ratios(results: BenchResults, pairs: Iterable[Sequence[str]]) -> list[Ratio]:
    """Every (new, old) pair on every endpoint and concurrency both were measured on."""
    found = []
    for new, old in pairs:
        for run in results.runs:
            if run.service != new:
                continue
            base = results.find(old, run.endpoint, run.concurrency)
            if base is None:
                continue
            found.append(
                Ratio(
                    new=new,
                    old=old,
                    endpoint=run.endpoint,
                    concurrency=run.concurrency,
                    rps=_divide(run.rps, base.rps),
                    p50=_divide(run.p50_ms, base.p50_ms),
                    p99=_divide(run.p99_ms, base.p99_ms),
                )
            )
    return found


def evaluate_goals(results: BenchResults, goals: Iterable[Goal]) -> list[dict[str, Any]]:
    """Each goal with the measured ratio and whether it was met (None: not measured)."""
    outcomes = []
    for goal in goals:
        new = results.find(goal.new, goal.endpoint, goal.concurrency)
        old = results.find(goal.old, goal.endpoint, goal.concurrency)
        ratio = None
        if new is not None and old is not None:
            ratio = _divide(getattr(new, goal.metric), getattr(old, goal.metric))
        met: bool | None = None
        if ratio is not None:
            met = (goal.at_least is None or ratio >= goal.at_least) and (
                goal.at_most is None or ratio <= goal.at_most
            )
        target = f"≥ {goal.at_least:g}" if goal.at_least is not None else f"≤ {goal.at_most:g}"
        outcomes.append(
            {
                "goal": goal.description,
                "new": goal.new,
                "old": goal.old,
                "endpoint": goal.endpoint,
                "concurrency": goal.concurrency,
                "metric": goal.metric,
                "target": target,
                "ratio": round(ratio, 3) if ratio is not None else None,
                "met": met,
            }
        )
    return outcomes


# --- formatting ---


def fmt_rps(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def fmt_ms(value: float) -> str:
    if value < 10:
        return f"{value:.2f}"
    if value < 100:
        return f"{value:.1f}"
    return f"{value:,.0f}"


def fmt_ratio(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.2f}{TIMES}" if value < 10 else f"{value:.0f}{TIMES}"


def _met(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "not measured"}[met]


def _endpoint_label(results: BenchResults, name: str) -> str:
    spec = results.env.get("endpoints", {}).get(name)
    return f"{spec['method']} {spec['path']}" if spec else name


def _ordered(values: Iterable[Any]) -> list[Any]:
    seen: list[Any] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


def _services(results: BenchResults) -> list[str]:
    listed = list(results.env.get("services", {}))
    return _ordered([*listed, *(r.service for r in results.runs)])


def _endpoints(results: BenchResults) -> list[str]:
    return _ordered(r.endpoint for r in results.runs)


def _runs_of(results: BenchResults, endpoint: str) -> list[RunResult]:
    order = {name: i for i, name in enumerate(_services(results))}
    runs = [r for r in results.runs if r.endpoint == endpoint]
    return sorted(runs, key=lambda r: (order.get(r.service, 99), r.concurrency))


def spread_rows(results: BenchResults) -> list[dict[str, Any]]:
    """Load spread of multi-worker services: per run, CPU shares and connections per worker,
    and whether one worker took far more than an even share."""
    rows = []
    for entry in results.load_spread:
        workers = entry.get("workers", [])
        if len(workers) < 2:
            continue
        shares = [float(w["cpu_share"]) for w in workers]
        rows.append(
            {
                "service": entry["service"],
                "endpoint": entry["endpoint"],
                "concurrency": entry["concurrency"],
                "cpu": " / ".join(f"{s:.0%}" for s in shares),
                "connections": " / ".join(f"{float(w['connections']):g}" for w in workers),
                "imbalanced": max(shares) > IMBALANCE_FACTOR / len(workers),
            }
        )
    return rows


def summary_line(results: BenchResults) -> str:
    env = results.env
    host = env.get("host", {})
    load = env.get("load", {})
    database = env.get("database", {})
    db = database.get("backend", "?")
    if database.get("server_version"):
        db += f" {database['server_version']}"
    parts = [
        f"{host.get('cpu_count', '?')} CPUs ({host.get('cpu_model', '?')})",
        f"database: {db}",
        f"{env.get('wrk', 'wrk')}, {load.get('wrk_threads', '?')} thread(s)",
        f"{load.get('duration_s', '?')} s per run after a {load.get('warmup_s', '?')} s warm-up",
        f"upstream delay {env.get('upstream', {}).get('delay_ms', '?')} ms",
        f"load average before: {', '.join(str(x) for x in host.get('loadavg_before', []))}",
        f"started {env.get('started_at', '?')}",
    ]
    other = [float(e["other_cores"]) for e in results.load_spread if "other_cores" in e]
    if other:
        parts.append(
            f"other work on the machine during the runs: {sum(other) / len(other):.2f} cores "
            f"on average, {max(other):.2f} at most"
        )
    if not env.get("complete", True):
        parts.append("INCOMPLETE RUN")
    return "; ".join(parts)


# --- Markdown ---


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]], right_from: int = 1) -> str:
    align = ["---" if i < right_from else "---:" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


RUN_HEADER = (
    "service",
    "c",
    "req/s",
    "p50 ms",
    "p90 ms",
    "p95 ms",
    "p99 ms",
    "max ms",
    "errors",
    "non-2xx",
    "CPU ms/req",
)


def cpu_ms_per_request(results: BenchResults, run: RunResult) -> float | None:
    """The service's own CPU time per answered request (its processes only, not the
    database's): steadier than req/s when other work shares the machine."""
    for entry in results.load_spread:
        if (entry["service"], entry["endpoint"], entry["concurrency"]) == (
            run.service,
            run.endpoint,
            run.concurrency,
        ):
            cores = entry.get("service_cores")
            if cores is not None and run.rps > 0:
                return float(cores) * 1000 / run.rps
    return None


def run_cells(results: BenchResults, run: RunResult) -> list[str]:
    """One row of an endpoint's table (see RUN_HEADER)."""
    cpu = cpu_ms_per_request(results, run)
    return [
        run.service,
        str(run.concurrency),
        fmt_rps(run.rps),
        *(fmt_ms(getattr(run, f)) for f in LATENCY_FIELDS),
        str(run.errors),
        str(run.non_2xx),
        fmt_ms(cpu) if cpu is not None else "",
    ]


def endpoint_table_md(results: BenchResults, endpoint: str) -> str:
    rows = [run_cells(results, run) for run in _runs_of(results, endpoint)]
    return _md_table(RUN_HEADER, rows)


def _ratio_cells(r: Ratio) -> list[str]:
    return [fmt_ratio(r.rps), fmt_ratio(r.p50), fmt_ratio(r.p99)]


def ratio_table_md(found: Sequence[Ratio]) -> str:
    rows = [[f"{r.new} / {r.old}", str(r.concurrency), *_ratio_cells(r)] for r in found]
    return _md_table(["new / old", "c", "req/s", "p50", "p99"], rows)


def goals_table_md(goals: Sequence[dict[str, Any]]) -> str:
    rows = [
        [
            g["goal"],
            f"{g['new']} / {g['old']}",
            f"{g['metric']} at c={g['concurrency']}",
            fmt_ratio(g["ratio"]),
            g["target"],
            _met(g["met"]),
        ]
        for g in goals
    ]
    return _md_table(["goal", "new / old", "measured", "ratio", "target", "result"], rows, 9)


def render_markdown(results: BenchResults) -> str:
    """results.md: the environment, goals, then per endpoint the table and its ratios."""
    env = results.env
    pairs = env.get("comparisons", [])
    out = ["# migrate bench results", "", summary_line(results), ""]
    if env.get("argv"):
        out += ["Command:", "", "```sh", shlex.join(env["argv"]), "```", ""]
    services = env.get("services", {})
    if services:
        rows = [
            [name, str(s.get("workers", "?")), f"`{s.get('argv', s.get('command', ''))}`"]
            for name, s in services.items()
        ]
        out += [_md_table(["service", "workers", "command"], rows, 9), ""]
        out += [f"**{name}**: {s['stuck']}.  " for name, s in services.items() if "stuck" in s]
        out += [""] if any("stuck" in s for s in services.values()) else []
    if results.goals:
        out += ["## Goals", "", goals_table_md(results.goals), ""]
    for endpoint in _endpoints(results):
        out += [f"## {endpoint}: `{_endpoint_label(results, endpoint)}`", ""]
        out += [endpoint_table_md(results, endpoint), ""]
        found = [r for r in ratios(results, pairs) if r.endpoint == endpoint]
        if found:
            out += ["Ratios new / old (req/s: higher is better; latency: lower is better):", ""]
            out += [ratio_table_md(found), ""]
    spread = spread_rows(results)
    if spread:
        out += ["## Load spread over workers", ""]
        out += [
            "CPU time each worker used during the run, and the connections each held "
            "(mean of three samples). One worker taking nearly everything is the "
            "keep-alive imbalance: the other worker's core sits idle.",
            "",
        ]
        rows = [
            [
                s["service"],
                s["endpoint"],
                str(s["concurrency"]),
                s["cpu"],
                s["connections"],
                "**imbalanced**" if s["imbalanced"] else "even",
            ]
            for s in spread
        ]
        header = ["service", "endpoint", "c", "CPU per worker", "connections", "spread"]
        out += [_md_table(header, rows, 3), ""]
    return "\n".join(out)


# --- HTML and SVG ---

_W, _H = 380, 250
_LEFT, _RIGHT, _TOP, _BOTTOM = 58, 14, 28, 40


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    points: list[tuple[int, float]]


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Ticks from 0 with a round step (1, 2, 2.5 or 5 times a power of ten) reaching `top`."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    steps = math.ceil(top / step - 1e-9)
    return [round(step * i, 10) for i in range(steps + 1)]


def _tick_label(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def svg_chart(title: str, series: Sequence[Series], concurrencies: Sequence[int]) -> str:
    """A line chart of value vs concurrency, one line per service; a log value axis when
    the largest value is more than 20 times the smallest."""
    values = [v for s in series for _, v in s.points if v > 0]
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    log = bool(values) and max(values) / min(values) > 20
    if log:
        low = 10.0 ** math.floor(math.log10(min(values)))
        high = 10.0 ** math.ceil(math.log10(max(values)))
        if high <= low:
            high = low * 10
        ticks = [low * 10**i for i in range(round(math.log10(high / low)) + 1)]

        def y_of(v: float) -> float:
            v = min(max(v, low), high)
            return _TOP + plot_h * (1 - math.log10(v / low) / math.log10(high / low))
    else:
        ticks = nice_ticks(max(values) if values else 1.0)
        low, high = 0.0, ticks[-1]

        def y_of(v: float) -> float:
            return _TOP + plot_h * (1 - (v - low) / (high - low))

    def x_of(c: int) -> float:
        if len(concurrencies) == 1:
            return _LEFT + plot_w / 2
        return _LEFT + plot_w * concurrencies.index(c) / (len(concurrencies) - 1)

    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" '
        f'viewBox="0 0 {_W} {_H}" role="img" aria-label="{html.escape(title)}">',
        f'<text x="{_W / 2}" y="16" class="title">{html.escape(title)}</text>',
    ]
    for tick in ticks:
        y = y_of(tick)
        parts.append(
            f'<line class="grid" x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="ytick" x="{_LEFT - 6}" y="{y + 4:.1f}">{_tick_label(tick)}</text>'
        )
    for c in concurrencies:
        x = x_of(c)
        parts.append(
            f'<line class="axis" x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP + plot_h}" '
            f'y2="{_TOP + plot_h + 4}"/>'
            f'<text class="xtick" x="{x:.1f}" y="{_TOP + plot_h + 17}">{c}</text>'
        )
    parts.append(
        f'<text class="xlabel" x="{_LEFT + plot_w / 2}" y="{_H - 4}">concurrency '
        f"(connections){' · log scale' if log else ''}</text>"
    )
    for s in series:
        points = [(x_of(c), y_of(v)) for c, v in sorted(s.points) if c in concurrencies]
        if not points:
            continue
        d = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points))
        name = html.escape(s.name)
        parts.append(f'<path class="series" d="{d}" stroke="{s.colour}" data-service="{name}"/>')
        for (x, y), (c, v) in zip(points, sorted(s.points), strict=True):
            # A zero on a log axis sits on the floor, hollow: nothing was answered.
            fill = "#fff" if log and v <= 0 else s.colour
            label = f"{v:,.2f}" if v > 0 or not log else "0 (no answers)"
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{fill}" stroke="{s.colour}">'
                f"<title>{html.escape(s.name)} c={c}: {label}</title></circle>"
            )
    parts.append(
        f'<rect class="frame" x="{_LEFT}" y="{_TOP}" width="{plot_w}" height="{plot_h}"/></svg>'
    )
    return "".join(parts)


def _colours(results: BenchResults) -> dict[str, str]:
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(_services(results))}


def _html_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#222}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 6px}
.summary{color:#555;max-width:1150px}
.charts{display:flex;flex-wrap:wrap;gap:10px}
svg.chart{background:#fff;border:1px solid #ddd;border-radius:4px}
svg .title{font-size:13px;font-weight:600;text-anchor:middle}
svg .ytick{font-size:11px;text-anchor:end;fill:#555}
svg .xtick,svg .xlabel{font-size:11px;text-anchor:middle;fill:#555}
svg .grid{stroke:#eee}svg .axis{stroke:#999}svg .frame{fill:none;stroke:#bbb}
svg .series{fill:none;stroke-width:2.2}
.legend{margin:4px 0 8px}.legend span{margin-right:16px;white-space:nowrap}
.legend i{display:inline-block;width:22px;height:4px;margin:0 5px 3px 0;vertical-align:middle}
table{border-collapse:collapse;margin:6px 0 4px;font-size:13px}
th,td{border:1px solid #ddd;padding:3px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}
th{background:#f5f5f5}.met{color:#08730c;font-weight:600}.missed{color:#b00;font-weight:600}
code{font-size:12px}
"""

# Records on each chart the length of the lines the browser laid out (see the module doc).
_MARK_DRAWN = """
for (const svg of document.querySelectorAll("svg.chart")) {
  let length = 0;
  for (const path of svg.querySelectorAll("path.series")) length += path.getTotalLength();
  svg.dataset.drawnLength = Math.round(length);
  svg.dataset.points = svg.querySelectorAll("circle").length;
}
document.body.dataset.charts = document.querySelectorAll("svg.chart").length;
"""


def _goal_cell(met: bool | None) -> str:
    if met is None:
        return "not measured"
    return '<span class="met">met</span>' if met else '<span class="missed">missed</span>'


def _endpoint_section(
    results: BenchResults,
    endpoint: str,
    colours: dict[str, str],
    pairs: Sequence[Sequence[str]],
    *,
    tables: bool = True,
) -> str:
    """An endpoint's heading, legend, its three charts and (with `tables`) its numbers."""
    runs = _runs_of(results, endpoint)
    concurrencies = sorted({r.concurrency for r in runs})
    shown = [name for name in colours if any(r.service == name for r in runs)]
    legend = "".join(
        f'<span><i style="background:{colours[name]}"></i>{html.escape(name)}</span>'
        for name in shown
    )
    anchor = "endpoint-" + "".join(ch if ch.isalnum() else "-" for ch in endpoint)
    body = [
        f'<h2 id="{anchor}">{html.escape(endpoint)}: '
        f"<code>{html.escape(_endpoint_label(results, endpoint))}</code></h2>",
        f'<div class="legend">{legend}</div><div class="charts">',
    ]
    for title, metric in (
        ("throughput (req/s)", "rps"),
        ("p50 latency (ms)", "p50_ms"),
        ("p99 latency (ms)", "p99_ms"),
    ):
        # A run that answered nothing has no latency to draw.
        series = [
            Series(
                name,
                colours[name],
                [
                    (r.concurrency, float(getattr(r, metric)))
                    for r in runs
                    if r.service == name and (metric == "rps" or r.rps > 0)
                ],
            )
            for name in shown
        ]
        body.append(svg_chart(title, series, concurrencies))
    body.append("</div>")
    if not tables:
        return "\n".join(body)
    rows = [[html.escape(cell) for cell in run_cells(results, r)] for r in runs]
    body.append(_html_table(RUN_HEADER, rows))
    found = [r for r in ratios(results, pairs) if r.endpoint == endpoint]
    if found:
        body.append(
            _html_table(
                ["new / old", "c", "req/s", "p50", "p99"],
                [
                    [html.escape(f"{r.new} / {r.old}"), str(r.concurrency), *_ratio_cells(r)]
                    for r in found
                ],
            )
        )
    return "\n".join(body)


def _page(body: Sequence[str]) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>migrate bench</title>"
        f"<style>{_CSS}</style></head><body>"
        + "\n".join(body)
        + f"<script>{_MARK_DRAWN}</script></body></html>\n"
    )


def render_figure_html(results: BenchResults, endpoints: Sequence[str]) -> str:
    """A page with only these endpoints' charts and a one-line caption: for a screenshot."""
    missing = [e for e in endpoints if e not in _endpoints(results)]
    if missing:
        raise ValueError(f"no runs for endpoints {', '.join(missing)}")
    colours = _colours(results)
    body = [_endpoint_section(results, e, colours, [], tables=False) for e in endpoints]
    body.append(f'<p class="summary">{html.escape(summary_line(results))}</p>')
    return _page(body)


def render_html(results: BenchResults) -> str:
    """report.html: one page, no external resources; per endpoint the req/s, p50 and p99
    charts against concurrency (one line per service), its table and its ratios."""
    colours = _colours(results)
    env = results.env
    pairs = env.get("comparisons", [])
    body = [
        "<h1>migrate bench</h1>",
        f'<p class="summary">{html.escape(summary_line(results))}</p>',
    ]
    if env.get("argv"):
        body.append(f"<p><code>{html.escape(shlex.join(env['argv']))}</code></p>")
    if results.goals:
        rows = [
            [
                html.escape(g["goal"]),
                html.escape(f"{g['new']} / {g['old']}"),
                html.escape(f"{g['metric']} at c={g['concurrency']}"),
                fmt_ratio(g["ratio"]),
                html.escape(g["target"]),
                _goal_cell(g["met"]),
            ]
            for g in results.goals
        ]
        body += [
            "<h2>Goals</h2>",
            _html_table(["goal", "new / old", "measured", "ratio", "target", "result"], rows),
        ]
    for endpoint in _endpoints(results):
        body.append(_endpoint_section(results, endpoint, colours, pairs))
    spread = spread_rows(results)
    if spread:
        body.append("<h2>Load spread over workers</h2>")
        body.append(
            "<p>CPU time each worker used during the run and the connections each held "
            "(mean of three samples).</p>"
        )
        rows = [
            [
                html.escape(s["service"]),
                html.escape(s["endpoint"]),
                str(s["concurrency"]),
                s["cpu"],
                s["connections"],
                '<span class="missed">imbalanced</span>' if s["imbalanced"] else "even",
            ]
            for s in spread
        ]
        body.append(
            _html_table(
                ["service", "endpoint", "c", "CPU per worker", "connections", "spread"], rows
            )
        )
    services = env.get("services", {})
    if services:
        body.append("<h2>Services</h2>")
        body.append(
            _html_table(
                ["service", "workers", "command"],
                [
                    [
                        html.escape(n),
                        str(s.get("workers", "?")),
                        f"<code>{html.escape(str(s.get('argv', '')))}</code>"
                        + (f"<br><b>{html.escape(s['stuck'])}</b>" if "stuck" in s else ""),
                    ]
                    for n, s in services.items()
                ],
            )
        )
    body.append(
        "<h2>Environment</h2><pre>"
        + html.escape(json.dumps({k: v for k, v in env.items() if k != "services"}, indent=2))
        + "</pre>"
    )
    return _page(body)


def write_reports(results: BenchResults, out_dir: Path) -> list[Path]:
    """results.md and report.html beside results.json."""
    out_dir.mkdir(parents=True, exist_ok=True)
    md = out_dir / "results.md"
    md.write_text(render_markdown(results))
    page = out_dir / "report.html"
    page.write_text(render_html(results))
    return [md, page]
