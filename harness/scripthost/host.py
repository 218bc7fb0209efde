"""The script host API the emulator and the tests use: ``ScriptHost.shared("2.4").run(...)``."""

from __future__ import annotations

import atexit
import logging
import threading
from pathlib import Path
from typing import Any, Iterable, Mapping

from .errors import ScriptHostCrashed, ScriptHostError
from .model import (
    Api,
    AuthorizationCodeToken,
    LogLevel,
    ScriptMessage,
    ScriptResult,
    ScriptSource,
    UserCredential,
    ValueMapping,
)
from .process import JvmProcess
from .runtime import RUNTIMES

log = logging.getLogger(__name__)

V2_IMPORT = "com.sap.it.script.v2.api.Message"

CredentialLike = UserCredential | AuthorizationCodeToken | Mapping[str, Any] | str
ValueMappingLike = ValueMapping | Mapping[str, str] | tuple[str, str, str, str, str, str]


class ScriptHost:
    """Runs Cloud Integration scripts on one Groovy runtime, in one long-lived JVM.

    Thread-safe: calls from several threads run concurrently in the JVM's worker pool. A compiled
    script is cached by name and content hash, and its binding is shared between calls as on the
    tenant. When the JVM dies (``System.exit`` in a script, heap exhausted, a call timing out), the
    calls in flight raise :class:`ScriptHostCrashed` and the next call starts a new JVM; every
    restart is counted in :attr:`restarts` and described in :attr:`crashes`.
    """

    _shared: dict[str, "ScriptHost"] = {}
    _shared_lock = threading.Lock()

    def __init__(self, version: str = "2.4", *, workers: int = 4, call_timeout: float = 300.0) -> None:
        if version not in RUNTIMES:
            raise ValueError(f"unknown Groovy runtime {version!r}: expected one of {sorted(RUNTIMES)}")
        self.version = version
        self.workers = workers
        self.call_timeout = call_timeout
        self.restarts = 0
        self.crashes: list[str] = []
        self._process: JvmProcess | None = None
        self._lock = threading.Lock()
        self._closed = False

    # ---- lifecycle ----------------------------------------------------------------------

    @classmethod
    def shared(cls, version: str = "2.4") -> "ScriptHost":
        """The process-wide host of a runtime (started on first use, closed at exit)."""
        with cls._shared_lock:
            host = cls._shared.get(version)
            if host is None or host._closed:
                host = cls(version)
                cls._shared[version] = host
            return host

    def _ensure(self) -> JvmProcess:
        with self._lock:
            if self._closed:
                raise ScriptHostError(f"the Groovy {self.version} script host is closed")
            process = self._process
            if process is not None and process.alive:
                return process
            if process is not None:
                self.restarts += 1
                reason = str(process.death) if process.death else "the JVM ended"
                self.crashes.append(reason)
                log.warning("restarting the Groovy %s script host (restart %d): %s", self.version, self.restarts, reason)
                process.kill()
            self._process = JvmProcess(self.version, workers=self.workers)
            return self._process

    def start(self) -> "ScriptHost":
        """Start the JVM now (otherwise the first call does)."""
        self._ensure()
        return self

    @property
    def groovy_version(self) -> str:
        """The Groovy version the JVM reports (e.g. ``2.4.21``)."""
        return str(self._ensure().ready.get("groovy"))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._process is not None:
                self._process.close()
                self._process = None

    @classmethod
    def close_all(cls) -> None:
        with cls._shared_lock:
            hosts = list(cls._shared.values())
            cls._shared.clear()
        for host in hosts:
            host.close()

    def __enter__(self) -> "ScriptHost":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- calls --------------------------------------------------------------------------

    def run(
        self,
        script: ScriptSource | Path | str | tuple[str, str],
        function: str | None = "processData",
        message: ScriptMessage | None = None,
        *,
        value_mappings: Iterable[ValueMappingLike] = (),
        credentials: Mapping[str, CredentialLike] | None = None,
        api: Api | None = None,
        log_level: LogLevel = "INFO",
        binding: str = "shared",
        timeout: float | None = None,
    ) -> ScriptResult:
        """Call ``function`` of ``script`` with ``message``; return what the script left behind.

        ``api`` picks the message type: ``"v1"`` (Script step 1.x) or ``"v2"`` (2.x); by default
        it follows the script's import. ``binding="fresh"`` gives this call its own script
        instance instead of the shared one. A script exception is returned in
        ``result.exception``; a dead JVM raises :class:`ScriptHostCrashed`.
        """
        source = ScriptSource.of(script)
        if api is None:
            api = "v2" if V2_IMPORT in source.source else "v1"
        if api not in ("v1", "v2"):
            raise ValueError(f"api must be 'v1' or 'v2', got {api!r}")
        if binding not in ("shared", "fresh"):
            raise ValueError(f"binding must be 'shared' or 'fresh', got {binding!r}")
        payload = {
            "op": "run",
            "script": {"name": source.name, "hash": source.hash, "source": source.source},
            "function": function or "processData",
            "api": api,
            "logLevel": log_level,
            "binding": binding,
            "message": (message or ScriptMessage()).to_wire(),
            "valueMappings": [_value_mapping(v) for v in value_mappings],
            "credentials": {alias: _credential(c) for alias, c in (credentials or {}).items()},
        }
        label = f"{source.name}#{payload['function']}"
        process = self._ensure()
        try:
            response = process.call(payload, timeout=timeout or self.call_timeout, label=label)
        except ScriptHostCrashed as crash:
            with self._lock:
                if self._process is process:
                    self.crashes.append(str(crash))
                    self.restarts += 1
                    self._process = None
                    process.kill()
            raise
        if "error" in response:
            raise ScriptHostError(f"{label}: {response['error']}")
        return ScriptResult.from_wire(response, source.name)

    def stats(self, *, gc: bool = False, reset_peak: bool = False) -> dict[str, Any]:
        """Heap figures of the JVM (``heapUsed``, ``heapPeak`` since the last reset, ...)."""
        return self._ensure().call({"op": "stats", "gc": gc, "resetPeak": reset_peak}, timeout=60)

    def ping(self) -> bool:
        return bool(self._ensure().call({"op": "ping"}, timeout=30).get("ok"))

    def evict(self) -> None:
        """Forget every compiled script (and its shared binding)."""
        self._ensure().call({"op": "evict"}, timeout=30)


def _value_mapping(v: ValueMappingLike) -> dict[str, str]:
    if isinstance(v, ValueMapping):
        return v.to_wire()
    if isinstance(v, tuple):
        return ValueMapping(*v).to_wire()
    keys = ("source_agency", "source_identifier", "source_value", "target_agency", "target_identifier", "target_value")
    if all(k in v for k in keys):
        return ValueMapping(**{k: v[k] for k in keys}).to_wire()
    return dict(v)


def _credential(c: CredentialLike) -> dict[str, Any]:
    if isinstance(c, str):  # a Secure Parameter: password only
        return UserCredential(password=c).to_wire()
    if isinstance(c, (UserCredential, AuthorizationCodeToken)):
        return c.to_wire()
    return dict(c)


atexit.register(ScriptHost.close_all)
