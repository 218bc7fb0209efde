"""Background processes the CLI starts and stops: the mock landscape, the local emulator.

A daemon is known by name. Its files live in the state folder (``.s4amz/``):

* ``<name>.pid``: JSON written by the starter: ``pid``, ``argv``, ``started`` and the process's
  start time from ``/proc`` (so a recycled pid is not mistaken for the daemon);
* ``<name>.ready``: JSON written by the daemon itself through :meth:`Daemon.mark_ready` once it
  serves (with whatever it wants to publish, e.g. its URLs);
* ``<name>.log``: its stdout and stderr.

::

    daemon = Daemon("mocks")
    info = daemon.start([sys.executable, "-m", "s4amz", "mocks", "run"])   # waits until ready
    daemon.status()     # DaemonInfo, or None (stale files are cleaned up)
    daemon.stop()       # SIGTERM to its process group, SIGKILL after a timeout

and in the started process::

    daemon.mark_ready({"urls": ...})
    run_until_stopped(cleanup)      # returns after SIGTERM/SIGINT, once cleanup() ran
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from harness.paths import state_dir


class DaemonError(Exception):
    """A daemon could not be started or stopped; the message says why (with its log's tail)."""


@dataclass
class DaemonInfo:
    """A running daemon."""

    name: str
    pid: int
    argv: list[str]
    started: str
    ready: bool
    details: dict[str, Any] = field(default_factory=dict)
    log: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "pid": self.pid, "argv": self.argv, "started": self.started,
                "ready": self.ready, "details": self.details, "log": self.log}


class Daemon:
    """One named background process."""

    def __init__(self, name: str, directory: Path | None = None) -> None:
        if not name.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"daemon name {name!r} must be letters, digits, '-' or '_'")
        self.name = name
        self.directory = directory or state_dir()

    @property
    def pid_file(self) -> Path:
        return self.directory / f"{self.name}.pid"

    @property
    def ready_file(self) -> Path:
        return self.directory / f"{self.name}.ready"

    @property
    def log_file(self) -> Path:
        return self.directory / f"{self.name}.log"

    # --- queries ---------------------------------------------------------------------------------
    def status(self) -> DaemonInfo | None:
        """The running daemon, or None; files of a dead (or recycled) pid are removed."""
        record = _read_json(self.pid_file)
        if record is None:
            return None
        pid = int(record.get("pid", 0))
        if not pid_alive(pid) or (record.get("start_ticks") is not None and _start_ticks(pid) != record["start_ticks"]):
            self._forget()
            return None
        ready = _read_json(self.ready_file) or {}
        is_ready = ready.get("pid") == pid
        return DaemonInfo(self.name, pid, list(record.get("argv", [])), str(record.get("started", "")),
                          is_ready, dict(ready.get("details", {})) if is_ready else {}, str(self.log_file))

    # --- start / stop ------------------------------------------------------------------------------
    def start(self, argv: list[str], timeout: float = 30.0, env: dict[str, str] | None = None) -> DaemonInfo:
        """Spawn ``argv`` detached and wait until it calls :meth:`mark_ready` (or dies, or times out)."""
        running = self.status()
        if running is not None:
            raise DaemonError(f"{self.name} is already running (pid {running.pid}); stop it first")
        self.directory.mkdir(parents=True, exist_ok=True)
        self.ready_file.unlink(missing_ok=True)
        with open(self.log_file, "ab") as log:
            log.write(f"--- {_now()} starting: {' '.join(argv)}\n".encode("utf-8"))
            log.flush()
            process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True, close_fds=True,
                                       env={**os.environ, **(env or {})})
        _write_json(self.pid_file, {"pid": process.pid, "argv": argv, "started": _now(),
                                    "start_ticks": _start_ticks(process.pid)})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = process.poll()
            if code is not None:
                self._forget()
                raise DaemonError(f"{self.name} exited with code {code} before it was ready; "
                                  f"log {self.log_file}:\n{self.log_tail()}")
            info = self.status()
            if info is not None and info.ready:
                return info
            time.sleep(0.05)
        self.stop()
        raise DaemonError(f"{self.name} was not ready within {timeout:.0f} s; log {self.log_file}:\n{self.log_tail()}")

    def mark_ready(self, details: dict[str, Any] | None = None) -> None:
        """Called by the daemon process once it serves."""
        _write_json(self.ready_file, {"pid": os.getpid(), "at": _now(), "details": details or {}})

    def stop(self, timeout: float = 10.0) -> bool:
        """Stop the daemon (its whole process group); return False when none was running."""
        info = self.status()
        if info is None:
            return False
        _signal_group(info.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while pid_alive(info.pid) and time.monotonic() < deadline:
            _reap(info.pid)
            time.sleep(0.05)
        if pid_alive(info.pid):
            _signal_group(info.pid, signal.SIGKILL)
            for _ in range(100):
                _reap(info.pid)
                if not pid_alive(info.pid):
                    break
                time.sleep(0.05)
        self._forget()
        return True

    def log_tail(self, lines: int = 20) -> str:
        """The last lines of the daemon's log."""
        if not self.log_file.is_file():
            return "(no log)"
        return "\n".join(self.log_file.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def _forget(self) -> None:
        self.pid_file.unlink(missing_ok=True)
        self.ready_file.unlink(missing_ok=True)


def run_until_stopped(cleanup: Callable[[], None]) -> None:
    """Block until SIGTERM or SIGINT arrives, then run ``cleanup`` (call from the main thread)."""
    stop = threading.Event()

    def handler(signum: int, frame: Any) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while not stop.wait(0.5):
            pass
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
        cleanup()


# --- helpers -----------------------------------------------------------------------------------------
def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_json(path: Path, data: dict[str, Any]) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(data, indent=2), encoding="utf-8")
    temporary.replace(path)


def pid_alive(pid: int) -> bool:
    """True when a process with this id runs (a zombie, exited but not yet collected, does not)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    if stat.is_file():  # a zombie has exited; only its parent has not collected it yet
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except (OSError, IndexError):
            return True
    return True


def _start_ticks(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (Linux), to recognise a recycled pid."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return None


def _signal_group(pid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def _reap(pid: int) -> None:
    """Collect the exit status if the daemon is our own child (started in this process)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
