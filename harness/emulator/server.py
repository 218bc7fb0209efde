"""Run an emulated tenant: store + deploy worker + API, served on loopback.

In process (tests, benchmarks)::

    with Emulator.create(tmp_path / "tenant.db", client=("id", "secret")) as emulator:
        emulator.url            # http://127.0.0.1:PORT

    # with the flow runtime attached (a factory receives the Store, which is its MplSink):
    Emulator.create(db, runtime=lambda store: Runtime(state_dir, store))

From an environment (``s4amz emulator serve|start``): :func:`from_environment` reads the
``emulator:`` and ``tenant:`` sections, seeds security material and value mappings and attaches the
flow runtime configured under ``emulator.runtime`` (``time_scale``, ``jms_max_retries``,
``state_dir``; ``enabled: false`` runs the API alone). A runtime is attached in process with
``runtime=`` (a runtime, or a factory such as :func:`runtime_factory`).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from werkzeug.serving import WSGIRequestHandler, make_server

from harness.config import ConfigError, Environment, load_environment
from harness.emulator import seed
from harness.emulator.api.app import EmulatorApp
from harness.emulator.api.auth import AuthSettings, Authenticator, clients_from_config
from harness.emulator.api.context import Settings
from harness.emulator.runtime_port import FlowRuntime
from harness.emulator.store import Store
from harness.emulator.worker import DeployWorker
from harness.paths import repo_root, state_dir

log = logging.getLogger(__name__)


class _Quiet(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class _ServerThread:
    """werkzeug's threaded server in a background thread, shutting down within ~50 ms."""

    def __init__(self, app: Any, host: str, port: int) -> None:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = make_server(host, port, app, threaded=True, request_handler=_Quiet)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"emulator:{self._server.port}", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://{self._server.host}:{self._server.port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


RuntimeSpec = FlowRuntime | Callable[[Store], FlowRuntime] | None
"""A runtime, or a factory taking the emulator's Store (its MplSink) and returning one."""


@dataclass
class EmulatorOptions:
    """Everything that shapes one emulated tenant."""

    db_path: Path
    client: tuple[str, str] | None = None
    clients: list[dict[str, Any]] = field(default_factory=list)
    deploy_latency: float = 0.0
    deploy_workers: int = 8
    token_lifetime: float = 43199.0
    csrf_with_bearer: bool = False
    settings: Settings = field(default_factory=Settings)


class Emulator:
    """A running (or ready to run) emulated tenant."""

    def __init__(self, options: EmulatorOptions, runtime: RuntimeSpec = None) -> None:
        self.options = options
        self.store = Store(options.db_path)
        if runtime is not None and not isinstance(runtime, FlowRuntime):
            runtime = runtime(self.store)          # a factory: the runtime logs MPLs into this store
        self.runtime = runtime
        self.worker = DeployWorker(self.store, runtime, latency=options.deploy_latency,
                                   workers=options.deploy_workers, lint=options.settings.lint != "off")
        self.auth = Authenticator(AuthSettings(token_lifetime=options.token_lifetime,
                                               csrf_with_bearer=options.csrf_with_bearer,
                                               clients=clients_from_config(options.client, options.clients)))
        self.app = EmulatorApp(self.store, self.worker, self.auth, options.settings, runtime)
        self._server: _ServerThread | None = None

    @classmethod
    def create(cls, db_path: Path, *, client: tuple[str, str] = ("s4amz-local", "local-secret"),
               runtime: RuntimeSpec = None, **kwargs: Any) -> "Emulator":
        """An emulator with one API client (all API roles); ``kwargs`` set EmulatorOptions fields."""
        settings = kwargs.pop("settings", None) or Settings()
        return cls(EmulatorOptions(db_path=db_path, client=client, settings=settings, **kwargs), runtime)

    # --- lifecycle ---------------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> "Emulator":
        """Serve on ``host:port`` (0 = a free port) in a background thread; resume pending work."""
        self.worker.restore()
        resumed = self.worker.resume()
        if resumed:
            log.info("resumed %d deploy task(s) left DEPLOYING by a previous run", resumed)
        start = getattr(self.runtime, "start", None)
        if callable(start):
            start()
        self._server = _ServerThread(self.app, host, port)
        return self

    @property
    def url(self) -> str:
        """``http://host:port`` of the running server."""
        if self._server is None:
            raise RuntimeError("the emulator is not running; call start() first")
        return self._server.url

    @property
    def api_url(self) -> str:
        """The OData service root."""
        return self.url + "/api/v1"

    @property
    def token_url(self) -> str:
        """The OAuth2 token endpoint."""
        return self.url + "/oauth/token"

    def stop(self) -> None:
        """Stop serving, finish deploy tasks, stop the runtime, close the database."""
        if self._server is not None:
            self._server.stop()
            self._server = None
        self.worker.close()
        stop = getattr(self.runtime, "close", None) or getattr(self.runtime, "stop", None)
        if callable(stop):
            stop()              # consumers and timers end; queued messages stay in the runtime's SQLite
        self.store.close()

    def __enter__(self) -> "Emulator":
        return self.start() if self._server is None else self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def options_from_environment(env: Environment, db_path: Path | None = None) -> EmulatorOptions:
    """Read ``emulator:`` (db, deploy_latency_s, page_size, error_info_delay_s, clients, ...) and
    the API client from ``tenant:`` (client_id / client_secret)."""
    name = str(env.get("emulator.name", env.name))
    path = db_path or Path(str(env.get("emulator.db", state_dir() / "emulator" / f"{name}.db")))
    if not path.is_absolute():
        path = repo_root() / path
    settings = Settings(page_size=int(env.get("emulator.page_size", 1000)),
                        error_info_delay=float(env.get("emulator.error_info_delay_s", 0)),
                        max_upload_mb=float(env.get("emulator.max_upload_mb", 40)),
                        keystore_aliases=list(env.get("emulator.keystore_aliases", ["sap_cloudintegrationcertificate"])),
                        tenant_name=name, lint=str(env.get("emulator.lint", "upload")))
    if settings.lint not in ("upload", "deploy", "off"):
        raise ConfigError(f"{env.path}: emulator.lint: expected upload, deploy or off, got {settings.lint!r}")
    client_id = env.get("tenant.client_id", None)
    client = (str(client_id), str(env.get("tenant.client_secret"))) if client_id else None
    return EmulatorOptions(db_path=path, client=client, clients=list(env.get("emulator.clients", []) or []),
                           deploy_latency=float(env.get("emulator.deploy_latency_s", 0)),
                           deploy_workers=int(env.get("emulator.deploy_workers", 8)),
                           token_lifetime=float(env.get("emulator.token_lifetime_s", 43199)),
                           csrf_with_bearer=bool(env.get("emulator.csrf_with_bearer", False)), settings=settings)


def runtime_factory(state: Path, *, time_scale: float = 1.0,
                    jms_max_retries: int | None = None) -> Callable[[Store], FlowRuntime]:
    """A factory attaching the interpreter of deployed iFlows, its state (JMS queues, data stores,
    variables) kept under ``state``; the script host starts on the first script step."""

    def make(store: Store) -> FlowRuntime:
        from harness.emulator.runtime.runtime import DEFAULT_JMS_MAX_RETRIES, Runtime

        retries = DEFAULT_JMS_MAX_RETRIES if jms_max_retries is None else jms_max_retries
        return Runtime(state, store, time_scale=time_scale, jms_max_retries=retries)

    return make


def runtime_from_environment(env: Environment, options: EmulatorOptions) -> Callable[[Store], FlowRuntime] | None:
    """The runtime ``emulator.runtime`` asks for (default: attached, next to the database)."""
    section = env.get("emulator.runtime", {}) or {}
    if not isinstance(section, dict):
        raise ConfigError(f"{env.path}: emulator.runtime: expected a mapping (enabled, time_scale, jms_max_retries)")
    if section.get("enabled", True) in (False, "false"):
        return None
    state = Path(str(section.get("state_dir") or options.db_path.with_suffix("")))
    if not state.is_absolute():
        state = repo_root() / state
    try:
        scale = float(section.get("time_scale", 1.0))
        retries = int(section["jms_max_retries"]) if "jms_max_retries" in section else None
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{env.path}: emulator.runtime: time_scale must be a number and jms_max_retries "
                          f"a whole number ({exc})") from None
    if scale <= 0 or (retries is not None and retries < 1):
        raise ConfigError(f"{env.path}: emulator.runtime: time_scale must be > 0 and jms_max_retries >= 1")
    return runtime_factory(state, time_scale=scale, jms_max_retries=retries)


def from_environment(env: Environment, runtime: RuntimeSpec = None, db_path: Path | None = None) -> Emulator:
    """An emulator for ``env`` with its security material and value mappings seeded and, unless
    ``runtime`` is given or ``emulator.runtime.enabled`` is false, the flow runtime attached.

    Security entries that cannot be resolved yet (a mock not started) are seeded again before
    every deploy, reading the environment and ``.s4amz/landscape.json`` afresh.
    """
    options = options_from_environment(env, db_path)
    emulator = Emulator(options, runtime if runtime is not None else runtime_from_environment(env, options))
    seed.seed_value_mappings(emulator.store, env)
    skipped = seed.seed_security(emulator.store, env)
    for entry in skipped:
        log.warning("security material deployed by name, fields resolved once the landscape runs: %s", entry)
    if skipped:
        def reseed() -> None:
            fresh = load_environment(env.name)
            if not seed.seed_security(emulator.store, fresh):
                emulator.worker.before_deploy = None
        emulator.worker.before_deploy = reseed
    return emulator
