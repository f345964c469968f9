from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from migrator import bench_services as services
from migrator.errors import UserError
from tests.bench.conftest import alive


def test_argv_fills_placeholders() -> None:
    argv = services.service_argv("python -m http.server {port} --bind {host}", 8123, 1)
    assert argv[1:] == ["-m", "http.server", "8123", "--bind", "127.0.0.1"]
    assert Path(argv[0]).name.startswith("python")


def test_argv_adds_bind_options_for_gunicorn_and_uvicorn() -> None:
    gunicorn = services.service_argv("gunicorn -w {workers} app:app", 8123, 2)
    assert gunicorn[1:] == ["-w", "2", "app:app", "--bind", "127.0.0.1:8123"]
    uvicorn = services.service_argv("uvicorn app:app", 8123, 1)
    assert uvicorn[1:] == ["app:app", "--host", "127.0.0.1", "--port", "8123"]
    assert Path(uvicorn[0]).parent == Path(sys.executable).parent


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("python -m http.server", r"say where to listen with \{port\}"),
        ("no-such-program-here {port}", "command not found: no-such-program-here"),
        ("python {prot}", "bad placeholder"),
        ("python 'unclosed", "cannot parse command"),
    ],
)
def test_argv_errors(command: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        services.service_argv(command, 8123, 1)


def _http_server(tmp_path: Path, port: int) -> list[str]:
    (tmp_path / "health").write_text("ok")
    return [
        *(sys.executable, "-m", "http.server", str(port)),
        *("--bind", "127.0.0.1", "--directory", str(tmp_path)),
    ]


@pytest.fixture
def stops() -> Iterator[contextlib.ExitStack]:
    """Where the processes a test starts push their stops; unwound after the test."""
    with contextlib.ExitStack() as stack:
        yield stack


@pytest.fixture
def http_server(tmp_path: Path, stops: contextlib.ExitStack) -> tuple[services.RunningProcess, int]:
    port = services.free_port()
    log = tmp_path / "logs" / "files.log"
    return services.start_process(
        "files", _http_server(tmp_path, port), os.environ, log, stops
    ), port


def test_a_service_starts_answers_and_stops_by_pid(
    http_server: tuple[services.RunningProcess, int],
) -> None:
    process, port = http_server
    services.wait_healthy(process, f"http://127.0.0.1:{port}/health", timeout_s=15)
    assert services.worker_pids(process.pid) == [process.pid]
    assert services.cpu_seconds(process.pid) >= 0
    assert services.wait_settled(f"http://127.0.0.1:{port}/health", [process.pid], 5) < 5
    process.stop()
    assert process.popen.returncode is not None
    assert not alive(process.pid)


def test_stop_ends_the_whole_process_group(tmp_path: Path, stops: contextlib.ExitStack) -> None:
    """Children of a service (gunicorn's workers, say) go with it, even ones that ignore
    SIGTERM."""
    script = "trap '' TERM; sleep 60 & echo $! > child.pid; wait"
    argv = ["sh", "-c", script]
    process = services.start_process("group", argv, os.environ, tmp_path / "g.log", stops, tmp_path)
    deadline = time.monotonic() + 10
    while not (tmp_path / "child.pid").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    child = int((tmp_path / "child.pid").read_text())
    assert services.children_of(process.pid) == [child]
    process.stop(grace_s=0.5)
    deadline = time.monotonic() + 5
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child)


def test_a_service_that_exits_shows_its_last_output(
    tmp_path: Path, stops: contextlib.ExitStack
) -> None:
    argv = [sys.executable, "-c", "import sys; print('boom: no such app'); sys.exit(3)"]
    process = services.start_process("broken", argv, os.environ, tmp_path / "broken.log", stops)
    with pytest.raises(services.ServiceError) as error:
        services.wait_healthy(process, "http://127.0.0.1:9/health", timeout_s=15)
    assert "broken exited with code 3" in str(error.value)
    assert "boom: no such app" in str(error.value)


def test_a_service_that_never_answers_times_out(
    tmp_path: Path, stops: contextlib.ExitStack
) -> None:
    argv = [sys.executable, "-c", "print('sleeping', flush=True); import time; time.sleep(60)"]
    process = services.start_process("silent", argv, os.environ, tmp_path / "silent.log", stops)
    with pytest.raises(services.ServiceError, match=r"did not answer 200 within 1s"):
        services.wait_healthy(process, "http://127.0.0.1:9/health", timeout_s=1)


def test_setup_failure_shows_its_output(tmp_path: Path) -> None:
    with pytest.raises(services.ServiceError, match=r"(?s)exit 4.*cannot seed"):
        services.run_setup(
            f"{sys.executable} -c \"print('cannot seed'); raise SystemExit(4)\"",
            os.environ,
            tmp_path / "setup.log",
        )
    services.run_setup(f"{sys.executable} -c pass", os.environ, tmp_path / "setup.log")


def test_cpu_account_splits_ours_from_other_work() -> None:
    """A busy process that is not ours shows up as other work."""
    account = services.CpuAccount(service=[os.getpid()], helpers=[])
    other = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        account.begin()
        time.sleep(1.0)
        used = account.end()
    finally:
        other.kill()
        other.wait()
    assert used["service_cores"] < 0.3
    assert used["other_cores"] > 0.2  # a spinning process, even on a busy machine


def test_load_spread_summary() -> None:
    spread = services.LoadSpread([10, 20])
    spread.cpu_before = {10: 1.0, 20: 2.0}
    spread.cpu_after = {10: 4.0, 20: 3.0}
    spread.connection_samples = [{10: 60, 20: 4}, {10: 62, 20: 2}]
    assert spread.summary() == [
        {"pid": 10, "cpu_s": 3.0, "cpu_share": 0.75, "connections": 61.0},
        {"pid": 20, "cpu_s": 1.0, "cpu_share": 0.25, "connections": 3.0},
    ]


def test_upstream_stub_answers_after_its_delay(tmp_path: Path) -> None:
    with contextlib.ExitStack() as stops:
        stub, url = services.start_upstream(50, tmp_path / "upstream.log", os.environ, stops)
        started = time.monotonic()
        request = urllib.request.Request(url + "/deliveries", data=b"{}", method="POST")
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 201
            assert response.read().startswith(b'{"reference": "dlv-')
        assert time.monotonic() - started >= 0.05
        request = urllib.request.Request(url + "/notifications", data=b"{}", method="POST")
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 204
        assert services.http_status(url + "/health") == 200
        # An open keep-alive connection is seen as held by the process serving it.
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            client.recv(1024)
            assert services.connections_per_worker([stub.pid], port) == {stub.pid: 1}
    assert not alive(stub.pid)


def test_upstream_stub_answers_pipelined_requests_in_order(
    tmp_path: Path, stops: contextlib.ExitStack
) -> None:
    _, url = services.start_upstream(20, tmp_path / "upstream.log", os.environ, stops)
    port = int(url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
        client.sendall(
            b"POST /deliveries HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"
            b"GET /health HTTP/1.1\r\n\r\n"
            b"POST /notifications HTTP/1.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
        )
        received = b""
        while chunk := client.recv(4096):
            received += chunk
    assert re.findall(rb"HTTP/1.1 (\d+)", received) == [b"201", b"200", b"204"]


def test_stop_on_signals_turns_sigterm_into_keyboard_interrupt() -> None:
    with pytest.raises(KeyboardInterrupt), services.stop_on_signals():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)


def test_an_interrupt_while_a_process_starts_still_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The signal lands when Popen has forked but not returned (the race that left a wrk
    running): it is raised once the process is on the stack, which then stops it."""
    started: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def popen_then_signal(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        process = real_popen(*args, **kwargs)
        started.append(process)
        os.kill(os.getpid(), signal.SIGTERM)
        return process

    monkeypatch.setattr(subprocess, "Popen", popen_then_signal)
    try:
        with (
            pytest.raises(KeyboardInterrupt),
            services.stop_on_signals(),
            contextlib.ExitStack() as stops,
        ):
            services.start_process(
                "sleeper", ["sleep", "60"], os.environ, tmp_path / "s.log", stops
            )
            pytest.fail("the interrupt was lost")
        [process] = started
        assert process.returncode == -signal.SIGTERM
    finally:
        for process in started:
            process.kill()
            process.wait()


def test_a_second_signal_does_not_cut_the_stop_short(tmp_path: Path) -> None:
    """Ctrl-C twice: the second one, while a process takes its time to stop, must not leave
    it half-stopped."""
    script = "trap 'sleep 0.5; exit 0' TERM; sleep 60 & wait"
    second = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT))
    with (
        pytest.raises(KeyboardInterrupt),
        services.stop_on_signals(),
        contextlib.ExitStack() as stops,
    ):
        argv = ["sh", "-c", script]
        process = services.start_process("slow", argv, os.environ, tmp_path / "s.log", stops)
        stops.callback(second.start)  # runs first: the stop below is under way when it fires
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
    second.join()
    assert process.stopped and not alive(process.pid)


def test_free_port_is_free() -> None:
    port = services.free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_program_path_prefers_this_venv() -> None:
    assert services.program_path("python") == str(Path(sys.executable).parent / "python")
    assert services.program_path("/bin/sh") == "/bin/sh"
    done = subprocess.run([services.program_path("sh"), "-c", "exit 0"], check=False)
    assert done.returncode == 0
