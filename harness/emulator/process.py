"""The emulator as a foreground server or a background process (``s4amz emulator serve|start|stop``).

Background handling (pid file, readiness, stop by process group, stale pids) is
:class:`harness.daemon.Daemon` named ``emulator``. The serving process marks itself ready with its
URL and environment, and merges ``{"emulator": {"url": ...}}`` into ``.s4amz/landscape.json`` so
``${emulator:url}`` resolves; the entry is removed when it stops.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from typing import Any

from harness.config import landscape_path, load_environment
from harness.daemon import Daemon, DaemonError, DaemonInfo, pid_alive, run_until_stopped
from harness.emulator.runtime_port import FlowRuntime
from harness.emulator.server import from_environment

NAME = "emulator"


def daemon() -> Daemon:
    """The emulator's daemon record."""
    return Daemon(NAME)


def running() -> DaemonInfo | None:
    """The background emulator, or None."""
    info = daemon().status()
    if info is None:
        _landscape_update(None, only_if_dead=True)
    return info


def _landscape_update(url: str | None, env: str = "", only_if_dead: bool = False) -> None:
    path = landscape_path()
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    if url is None:
        owner = int(data.get("emulator", {}).get("pid") or 0)
        if only_if_dead and owner and pid_alive(owner):
            return                       # a foreground `serve` still running keeps its entry
        if "emulator" not in data:
            return
        data.pop("emulator", None)
    else:
        data["emulator"] = {"url": url, "env": env, "pid": os.getpid()}
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def serve(env_name: str, host: str | None = None, port: int | None = None,
          runtime: FlowRuntime | None = None, stop: threading.Event | None = None) -> int:
    """Serve in the foreground until SIGINT/SIGTERM (or until ``stop`` is set, from another thread)."""
    env = load_environment(env_name)
    emulator = from_environment(env, runtime=runtime)
    bind_host = host or str(env.get("emulator.host", "127.0.0.1"))
    bind_port = port if port is not None else int(env.get("emulator.port", 0))
    emulator.start(bind_host, bind_port)
    _landscape_update(emulator.url, env_name)
    daemon().mark_ready({"url": emulator.url, "env": env_name, "db": str(emulator.store.path)})
    print(f"emulator for {env_name} listening on {emulator.url} (database {emulator.store.path})", flush=True)

    def cleanup() -> None:
        emulator.stop()
        _landscape_update(None)

    if stop is not None:
        try:
            stop.wait()
        finally:
            cleanup()
    else:
        run_until_stopped(cleanup)
    return 0


def start(env_name: str, timeout: float = 30.0) -> DaemonInfo:
    """Start ``serve`` in the background (or return the one already running for ``env_name``)."""
    current = running()
    if current is not None:
        if current.details.get("env") != env_name:
            raise DaemonError(f"an emulator for {current.details.get('env')} already runs at "
                              f"{current.details.get('url')} (pid {current.pid}); stop it first")
        return current
    return daemon().start([sys.executable, "-m", "s4amz", "emulator", "serve", "--env", env_name], timeout=timeout)


def stop_running(timeout: float = 10.0) -> bool:
    """Stop the background emulator; False when none was running."""
    stopped = daemon().stop(timeout)
    if stopped:
        _landscape_update(None, only_if_dead=True)
    return stopped
