"""report.html in a real browser: headless Chromium (Debian's `chromium`) draws the charts."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

from bench import run_comparison
from migrator import bench_report
from migrator.bench import BenchResults
from tests.bench.conftest import needs_chromium


@needs_chromium
def test_chromium_draws_every_chart(results: BenchResults, tmp_path: Path) -> None:
    _, page = bench_report.write_reports(results, tmp_path)
    dom = run_comparison.chromium("--dump-dom", page.as_uri())
    assert re.search(r'<body data-charts="6"', dom)
    charts = re.findall(r'<svg class="chart"[^>]*>', dom)
    assert len(charts) == 6
    for chart in charts:
        # Laid out by the browser: two services' lines of three points each, with length.
        length = re.search(r'data-drawn-length="(\d+)"', chart)
        points = re.search(r'data-points="(\d+)"', chart)
        assert length is not None and int(length.group(1)) > 200, chart
        assert points is not None and int(points.group(1)) == 6, chart


def _png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _idat(png: bytes) -> bytes:
    data, at = b"", 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind = png[at + 4 : at + 8]
        if kind == b"IDAT":
            data += png[at + 8 : at + 8 + length]
        at += 12 + length
    return zlib.decompress(data)


@needs_chromium
def test_screenshot_of_the_charts_is_not_blank(results: BenchResults, tmp_path: Path) -> None:
    figure = tmp_path / "figure.html"
    figure.write_text(bench_report.render_figure_html(results, ["read"]))
    png = tmp_path / "figure.png"
    run_comparison.screenshot(figure, png, width=1250, height=420)
    raw = png.read_bytes()
    assert _png_size(raw) == (1250, 420)
    # A blank page compresses to almost nothing; lines, labels and points do not.
    assert len(set(_idat(raw))) > 100
    assert len(raw) > 10_000
