"""One host JVM: start it, send JSON-line requests, match responses to callers, notice its death."""

from __future__ import annotations

import collections
import itertools
import json
import logging
import subprocess
import threading
from typing import Any

from .errors import ScriptHostCrashed, ScriptHostError, ScriptTimeout
from .runtime import host_classpath, java_executable, jvm_options

log = logging.getLogger(__name__)

READY_TIMEOUT_S = 90.0


class _Pending:
    __slots__ = ("event", "response", "error", "label")

    def __init__(self, label: str) -> None:
        self.event = threading.Event()
        self.response: dict[str, Any] | None = None
        self.error: BaseException | None = None
        self.label = label


class JvmProcess:
    """A running host JVM for one Groovy runtime. Thread-safe: many callers may wait at once."""

    def __init__(self, version: str, *, workers: int = 4) -> None:
        self.version = version
        cmd = [java_executable(), *jvm_options(), f"-Ds4amz.workers={workers}",
               "-cp", host_classpath(version), "s4amz.scripthost.Main"]
        self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._stderr: collections.deque[str] = collections.deque(maxlen=200)
        self._exit_event: dict[str, Any] | None = None
        self._dead: ScriptHostCrashed | None = None
        self._closing = False
        self.ready: dict[str, Any] = {}
        self._ready = threading.Event()
        self._stderr_thread = threading.Thread(target=self._read_stderr, name=f"groovy-{version}-stderr", daemon=True)
        self._stderr_thread.start()
        self._reader = threading.Thread(target=self._read_stdout, name=f"groovy-{version}-reader", daemon=True)
        self._reader.start()
        if not self._ready.wait(READY_TIMEOUT_S) or self._dead is not None:
            tail = self.stderr_tail()
            self.kill()
            raise ScriptHostError(f"the Groovy {version} script host did not start: {tail or 'no output'}")

    # ---- reading ------------------------------------------------------------------------

    def _read_stderr(self) -> None:
        assert self._proc.stderr is not None
        for raw in self._proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip()
            self._stderr.append(line)
            log.debug("groovy-%s: %s", self.version, line)

    def _read_stdout(self) -> None:
        assert self._proc.stdout is not None
        for raw in self._proc.stdout:
            try:
                message = json.loads(raw)
            except ValueError:  # the JVM itself writes fatal errors to stdout (e.g. on OutOfMemoryError)
                self._stderr.append(raw.decode("utf-8", "replace").rstrip())
                log.warning("groovy-%s host wrote a non-JSON line: %r", self.version, raw[:200])
                continue
            event = message.get("event")
            if event == "ready":
                self.ready = message
                self._ready.set()
                continue
            if event == "exit":
                self._exit_event = message
                continue
            if event:
                log.warning("groovy-%s host event: %s", self.version, message)
                continue
            with self._lock:
                pending = self._pending.pop(int(message.get("id", -1)), None)
            if pending is not None:
                pending.response = message
                pending.event.set()
        self._on_eof()

    def _on_eof(self) -> None:
        try:
            code = self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            code = None
        self._stderr_thread.join(timeout=2)
        with self._lock:
            pending = dict(self._pending)
            self._pending.clear()
        in_flight = {str(i): p.label for i, p in pending.items()}
        if self._closing and not pending:
            self._dead = ScriptHostCrashed("closed", exit_code=code)
        else:
            reason = (self._exit_event or {}).get("reason") or "the process ended"
            tail = self.stderr_tail()
            names = ", ".join(sorted(set(in_flight.values()))) or "no call"
            self._dead = ScriptHostCrashed(
                f"the Groovy {self.version} script host died (exit code {code}) while running {names}: "
                f"{reason}" + (f"; stderr: {tail}" if tail else ""),
                exit_code=code, stderr_tail=tail, in_flight=in_flight)
            log.error("%s", self._dead)
        self._ready.set()
        for p in pending.values():
            p.error = self._dead
            p.event.set()

    def stderr_tail(self, lines: int = 12) -> str:
        return " | ".join(list(self._stderr)[-lines:])

    # ---- calling ------------------------------------------------------------------------

    @property
    def alive(self) -> bool:
        return self._dead is None and self._proc.poll() is None

    @property
    def death(self) -> ScriptHostCrashed | None:
        return self._dead

    def call(self, payload: dict[str, Any], *, timeout: float, label: str = "") -> dict[str, Any]:
        """Send one request and wait for its response."""
        if self._dead is not None:
            raise self._dead
        call_id = next(self._ids)
        pending = _Pending(label or str(payload.get("op")))
        line = json.dumps({**payload, "id": call_id}, ensure_ascii=False, separators=(",", ":"))
        with self._lock:
            self._pending[call_id] = pending
        try:
            with self._write_lock:
                assert self._proc.stdin is not None
                self._proc.stdin.write(line.encode("utf-8") + b"\n")
                self._proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pending.event.wait(10)
            if pending.error is not None:
                raise pending.error from None
            raise ScriptHostCrashed(f"the Groovy {self.version} script host is gone: {self.stderr_tail()}") from None
        if not pending.event.wait(timeout):
            self.kill()
            pending.event.wait(10)
            raise ScriptTimeout(
                f"{label or 'the call'} did not finish within {timeout:.0f} s on Groovy {self.version}; "
                "the host JVM was killed and restarts on the next call",
                in_flight={str(call_id): label})
        if pending.error is not None:
            raise pending.error
        assert pending.response is not None
        return pending.response

    def close(self, timeout: float = 10.0) -> None:
        if self._proc.poll() is not None:
            return
        self._closing = True
        try:
            with self._write_lock:
                assert self._proc.stdin is not None
                self._proc.stdin.write(b'{"op":"shutdown","id":0}\n')
                self._proc.stdin.flush()
                self._proc.stdin.close()
            self._proc.wait(timeout)
        except (OSError, subprocess.TimeoutExpired):
            self.kill()

    def kill(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
