"""Processes for `migrate bench`: services and the upstream stub on 127.0.0.1, started and
stopped by PID, plus what /proc says about their workers while they are under load.

Every process starts in its own session (so its process group id is its PID, and a
Ctrl-C at the terminal reaches only the bench, which then stops the groups itself), and is
stopped with SIGTERM to the whole group, then SIGKILL after a grace period. It is
registered to be stopped as it starts, so an interrupt can never come between the two.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from migrator.errors import UserError

HOST = "127.0.0.1"
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class ServiceError(UserError):
    """A service did not start, did not become healthy, or a setup command failed."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def program_path(name: str) -> str:
    """`name` resolved next to this Python first (the venv's bin), then on PATH."""
    if os.sep in name:
        return name
    here = str(Path(sys.executable).parent)
    found = shutil.which(name, path=here + os.pathsep + os.environ.get("PATH", ""))
    if found is None:
        raise UserError(f"command not found: {name}")
    return found


def service_argv(command: str, port: int, workers: int) -> list[str]:
    """The argv to run: `{host}`, `{port}`, `{workers}` filled in; a gunicorn or uvicorn
    command without `{port}` gets its bind options appended."""
    try:
        words = shlex.split(command)
    except ValueError as error:
        raise UserError(f"cannot parse command {command!r}: {error}") from error
    if not words:
        raise UserError("empty service command")
    has_port = "{port}" in command
    values = {"host": HOST, "port": str(port), "workers": str(workers)}
    try:
        argv = [word.format(**values) for word in words]
    except (KeyError, IndexError, ValueError) as error:
        raise UserError(
            f"bad placeholder in {command!r}: use {{host}}, {{port}}, {{workers}}"
        ) from error
    if not has_port:
        server = _server_name(words)
        if server == "gunicorn":
            argv += ["--bind", f"{HOST}:{port}"]
        elif server == "uvicorn":
            argv += ["--host", HOST, "--port", str(port)]
        else:
            raise UserError(
                f"{command!r}: say where to listen with {{port}} (only gunicorn and uvicorn "
                "commands get their bind options added)"
            )
    argv[0] = program_path(argv[0])
    return argv


def _server_name(words: Sequence[str]) -> str:
    first = Path(words[0]).name
    if first.startswith("python") and len(words) > 2 and words[1] == "-m":
        return words[2]
    return first


@dataclass
class RunningProcess:
    """A process started by the bench, in its own process group, output going to `log`."""

    name: str
    argv: list[str]
    popen: subprocess.Popen[bytes]
    log: Path
    stopped: bool = field(default=False, init=False)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def last_lines(self, count: int = 12) -> str:
        try:
            lines = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(lines[-count:])

    def stop(self, grace_s: float = 10.0) -> None:
        """SIGTERM to the group, SIGKILL when it is still there after `grace_s`; then reap.
        Stopping again does nothing."""
        if self.stopped:
            return
        if self.popen.poll() is None:
            _signal_group(self.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                _signal_group(self.pid, signal.SIGKILL)
                self.popen.wait(timeout=5)
        # Workers that outlived their master still carry the group id.
        _signal_group(self.pid, signal.SIGKILL)
        # Only now: once the group is gone its id may be reused, and a stop cut short by an
        # interrupt must be done again by the caller's ExitStack.
        self.stopped = True


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def start_process(
    name: str,
    argv: list[str],
    env: Mapping[str, str],
    log: Path,
    stops: contextlib.ExitStack,
    cwd: Path | None = None,
) -> RunningProcess:
    """Start `argv` in a new session with stdout and stderr appended to `log`; its stop is
    pushed onto `stops` before any interrupt can be raised."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with hold_interrupts(), log.open("ab") as out:
        try:
            popen = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=dict(env),
                cwd=cwd,
                start_new_session=True,
            )
        except OSError as error:
            raise ServiceError(f"{name}: cannot start {shlex.join(argv)}: {error}") from error
        process = RunningProcess(name, argv, popen, log)
        stops.callback(process.stop)
    return process


def run_setup(command: str, env: Mapping[str, str], log: Path, timeout_s: float = 120) -> None:
    """Run a setup command (reset and seed the database) to completion, or raise."""
    argv = shlex.split(command)
    if not argv:
        return
    argv[0] = program_path(argv[0])
    with contextlib.ExitStack() as stops:
        process = start_process("setup", argv, env, log, stops)
        try:
            code = process.popen.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired as error:
            process.stop(grace_s=2)
            message = f"setup command timed out after {timeout_s:.0f}s: {command}"
            raise ServiceError(message) from error
    if code != 0:
        raise ServiceError(f"setup command failed (exit {code}): {command}\n{process.last_lines()}")


def http_status(request: str | urllib.request.Request, timeout_s: float = 2.0) -> int | None:
    """The status of a request (a URL: a GET), or None when nothing answered."""
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return error.code
    except (OSError, ValueError):
        return None


def wait_healthy(process: RunningProcess, url: str, timeout_s: float) -> None:
    """Poll `url` until it answers 200; raise with the service's last output when the process
    exits or `timeout_s` passes."""
    deadline = time.monotonic() + timeout_s
    while True:
        if process.popen.poll() is not None:
            raise ServiceError(
                f"{process.name} exited with code {process.popen.returncode} before {url} "
                f"answered; its last output:\n{process.last_lines()}"
            )
        if http_status(url, timeout_s=1.0) == 200:
            return
        if time.monotonic() > deadline:
            raise ServiceError(
                f"{process.name}: {url} did not answer 200 within {timeout_s:.0f}s; "
                f"its last output:\n{process.last_lines()}"
            )
        time.sleep(0.1)


def wait_settled(
    url: str, pids: Sequence[int], timeout_s: float, quick_s: float = 0.1, idle_cores: float = 0.2
) -> float:
    """Wait until the service is idle: `url` answers within `quick_s` and its processes use
    less than `idle_cores` of a core over half a second. A service that queued requests
    from a load run (a sync worker serves its whole backlog, even for closed connections;
    an async one may be logging the disconnects) has then worked them off. Returns the
    seconds waited (at most about `timeout_s`)."""
    start = time.monotonic()
    window_s = 0.5
    while time.monotonic() - start < timeout_s:
        asked = time.monotonic()
        status = http_status(url, timeout_s=max(1.0, timeout_s))
        quick = status is not None and time.monotonic() - asked < quick_s
        before = sum(cpu_seconds(pid) for pid in pids)
        time.sleep(window_s)
        used = sum(cpu_seconds(pid) for pid in pids) - before
        if quick and used < idle_cores * window_s:
            break
    return time.monotonic() - start


def start_upstream(
    delay_ms: float, log: Path, env: Mapping[str, str], stops: contextlib.ExitStack
) -> tuple[RunningProcess, str]:
    """Start the fixed-delay upstream stub (its stop pushed onto `stops`); returns it and
    its base URL."""
    argv = [sys.executable, "-m", "migrator.bench_upstream", "--port", "0", "--delay-ms"]
    process = start_process("upstream", [*argv, str(delay_ms)], env, log, stops)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        for line in process.last_lines(5).splitlines():
            if line.startswith("listening on "):
                return process, f"http://{HOST}:{int(line.split()[-1])}"
        if process.popen.poll() is not None:
            break
        time.sleep(0.05)
    process.stop(grace_s=1)
    raise ServiceError(f"the upstream stub did not start:\n{process.last_lines()}")


# --- /proc: the workers of a service and the load each of them took ---


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may contain spaces.
    return raw[raw.rindex(")") + 2 :].split()


def children_of(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(int(entry.name))
        if fields is not None and int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def worker_pids(pid: int) -> list[int]:
    """The processes that serve requests: the master's children (gunicorn, uvicorn
    --workers), or the process itself when it has none."""
    return children_of(pid) or [pid]


def wait_for_workers(pid: int, expected: int | None, timeout_s: float = 15) -> list[int]:
    """Workers once their number is `expected` (or, when unknown, has held for half a second)."""
    deadline = time.monotonic() + timeout_s
    last: list[int] = []
    steady_since = time.monotonic()
    while time.monotonic() < deadline:
        current = worker_pids(pid)
        if expected is not None and len(current) == expected:
            return current
        if current != last:
            last, steady_since = current, time.monotonic()
        elif expected is None and time.monotonic() - steady_since > 0.5:
            return current
        time.sleep(0.05)
    return last


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of `pid` so far (0 when it is gone)."""
    fields = _stat_fields(pid)
    if fields is None:
        return 0.0
    # Fields 14 and 15 of /proc/PID/stat (utime, stime) are at 11 and 12 after the name.
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
    return inodes


def _established_inodes(port: int) -> set[str]:
    """Inodes of ESTABLISHED TCP sockets whose local port is `port` (the server's side)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                parts = line.split()
                local_port = int(parts[1].rsplit(":", 1)[1], 16)
                if local_port == port and parts[3] == "01":
                    inodes.add(parts[9])
    return inodes


def connections_per_worker(pids: Sequence[int], port: int) -> dict[int, int]:
    """How many open client connections on `port` each worker holds right now."""
    established = _established_inodes(port)
    return {pid: len(_socket_inodes(pid) & established) for pid in pids}


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent busy since boot (everything but idle and iowait)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    ticks = [int(x) for x in fields[:8]]
    return (sum(ticks) - ticks[3] - ticks[4]) / _CLOCK_TICKS


def pids_named(name: str) -> list[int]:
    """Processes whose command name is `name` (e.g. the database server's)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
    return found


def children_cpu_seconds() -> float:
    """CPU seconds of this process's reaped children (wrk, once it has exited)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class CpuAccount:
    """Where the machine's CPU went during a run: the service, the load generator, the
    upstream stub and the database server are ours; the rest is other work on the machine
    (it makes the numbers noisier, so the results say how much there was)."""

    service: list[int]
    helpers: list[int]
    start_s: float = 0.0
    marks: dict[str, float] = field(default_factory=dict)

    def _ours(self) -> dict[str, float]:
        database = pids_named("postgres")
        return {
            "busy": machine_busy_seconds(),
            "service": sum(cpu_seconds(pid) for pid in self.service),
            "helpers": sum(cpu_seconds(pid) for pid in self.helpers),
            "database": sum(cpu_seconds(pid) for pid in database),
            "children": children_cpu_seconds(),
        }

    def begin(self) -> None:
        self.start_s = time.monotonic()
        self.marks = self._ours()

    def end(self) -> dict[str, float]:
        """Cores used on average during the run: by the service, and by other work."""
        elapsed = max(time.monotonic() - self.start_s, 1e-6)
        now = self._ours()
        delta = {key: now[key] - self.marks[key] for key in now}
        ours = delta["service"] + delta["helpers"] + delta["database"] + delta["children"]
        return {
            "service_cores": round(delta["service"] / elapsed, 2),
            "other_cores": round(max(0.0, delta["busy"] - ours) / elapsed, 2),
        }


@dataclass
class LoadSpread:
    """How one load run spread over a service's workers: CPU used and connections held."""

    pids: list[int]
    cpu_before: dict[int, float] = field(default_factory=dict)
    cpu_after: dict[int, float] = field(default_factory=dict)
    connection_samples: list[dict[int, int]] = field(default_factory=list)

    def start(self) -> None:
        self.cpu_before = {pid: cpu_seconds(pid) for pid in self.pids}

    def sample(self, port: int) -> None:
        self.connection_samples.append(connections_per_worker(self.pids, port))

    def finish(self) -> None:
        self.cpu_after = {pid: cpu_seconds(pid) for pid in self.pids}

    def summary(self) -> list[dict[str, float | int]]:
        """Per worker: CPU seconds in the run, its share of the service's CPU, and the mean
        number of connections it held in the samples."""
        used = {
            pid: max(0.0, self.cpu_after.get(pid, 0) - self.cpu_before[pid]) for pid in self.pids
        }
        total = sum(used.values())
        rows: list[dict[str, float | int]] = []
        for pid in self.pids:
            held = [sample.get(pid, 0) for sample in self.connection_samples]
            rows.append(
                {
                    "pid": pid,
                    "cpu_s": round(used[pid], 2),
                    "cpu_share": round(used[pid] / total, 3) if total else 0.0,
                    "connections": round(sum(held) / len(held), 1) if held else 0.0,
                }
            )
        return rows


# --- interrupts: Ctrl-C, SIGTERM and SIGHUP stop the bench, never half-way through a start ---

_INTERRUPTS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@dataclass
class _InterruptState:
    holding: bool = False
    pending: str | None = None  # the signal that came while holding
    raised: bool = False  # the bench is stopping; later signals must not cut that short


_interrupts = _InterruptState()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if _interrupts.raised:
        return
    name = signal.Signals(signum).name
    if _interrupts.holding:
        _interrupts.pending = _interrupts.pending or name
        return
    _interrupts.raised = True
    raise KeyboardInterrupt(name)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn the first SIGINT, SIGTERM or SIGHUP into KeyboardInterrupt for the block, so its
    `finally` clauses stop every process it started; later ones are ignored until the block
    is left, so a second Ctrl-C cannot leave a process half-stopped."""
    previous = {signum: signal.signal(signum, _on_signal) for signum in _INTERRUPTS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _interrupts.raised, _interrupts.pending = False, None


@contextlib.contextmanager
def hold_interrupts() -> Iterator[None]:
    """Raise an interrupt that comes during the block only at its end. Raised when
    `subprocess.Popen` has forked but not yet returned, it would leave a running process
    whose PID nobody knows."""
    _interrupts.holding = True
    try:
        yield
    finally:
        _interrupts.holding = False
        name, _interrupts.pending = _interrupts.pending, None
        if name is not None:
            _interrupts.raised = True
            raise KeyboardInterrupt(name)
