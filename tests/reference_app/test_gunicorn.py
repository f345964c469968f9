"""The production command serves: gunicorn with reference_app/gunicorn.conf.py and uvicorn
workers, started on a free 127.0.0.1 port and stopped by its PID."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx

import legacy_app.db
from tests.conftest import ACME
from tests.databases import ScratchDatabases
from tests.reference_app.servers import ROOT, free_port, running_server


def test_gunicorn_serves_with_the_config(
    scratch_databases: ScratchDatabases, tmp_path: Path
) -> None:
    url = scratch_databases.new("gunicorn")
    engine = legacy_app.db.make_engine(url)
    legacy_app.db.init_db(engine, with_seed=True)
    engine.dispose()
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()

    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "-c", str(ROOT / "reference_app" / "gunicorn.conf.py")]
    command += ["--bind", f"127.0.0.1:{port}", "reference_app.main:app"]
    env = {
        "DATABASE_URL": url,
        "WEB_CONCURRENCY": "2",
        "GRACEFUL_TIMEOUT": "5",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    with running_server(command, port, env, tmp_path / "gunicorn.log") as server:
        assert httpx.get(f"{server.url}/health").json() == {"status": "ok"}
        assert httpx.get(f"{server.url}/ready").json() == {"status": "ready"}
        for _ in range(4):
            assert httpx.get(f"{server.url}/me", headers=ACME).status_code == 200
        metrics = httpx.get(f"{server.url}/metrics").text
        log = server.log
        process = server.process
    assert process.returncode == 0, log.read_text()
    text = log.read_text()
    assert "uvicorn_worker.UvicornWorker" in text or "Booting worker" in text
    # Both workers' counts are summed, whichever worker answered /metrics.
    assert 'http_requests_total{method="GET",route="/me",status="200"} 4.0' in metrics
    assert '"path": "/me"' in text  # the JSON request log lines
