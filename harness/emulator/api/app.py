"""The emulated tenant as one WSGI application.

* ``/oauth/token``                the OAuth2 token endpoint (client credentials)
* ``/api/v1/...``                 the Cloud Integration OData API (same paths, codes and shapes)
* ``/http/...``, ``/cxf/...``     runtime endpoints of deployed flows (503 without a runtime)
* ``/__emulator__/health``        readiness probe for the background process
* ``/s4amz/v1/...``               emulator-only controls (timers, queues, dead letters, idle); see
                                  :mod:`harness.emulator.api.control`
"""

from __future__ import annotations

import json
import logging
from collections import deque
from urllib.parse import unquote
from typing import Any, Callable

from werkzeug.wrappers import Request, Response

from harness.emulator.api import (configurations, designtime, endpoints, logs, operations, packages, runtime,
                                  security, valuemappings)
from harness.emulator.api.auth import Authenticator
from harness.emulator.api.context import Ctx, Settings
from harness.emulator.api.control import PREFIX as CONTROL_PREFIX, ControlApi
from harness.emulator.api.odata import ODataError, json_response, split_path
from harness.emulator.runtime_port import FlowRuntime
from harness.emulator.store import Store
from harness.emulator.worker import DeployWorker

log = logging.getLogger(__name__)
API_PREFIX = "/api/v1"
Route = tuple[Callable[..., Response], str | None]
ENTITY_SETS = ["IntegrationPackages", "IntegrationDesigntimeArtifacts", "ValueMappingDesigntimeArtifacts",
               "IntegrationRuntimeArtifacts", "BuildAndDeployStatus", "MessageProcessingLogs", "ServiceEndpoints",
               "UserCredentials", "OAuth2ClientCredentials", "SecureParameters", "KeystoreEntries"]


def _routes() -> dict[tuple[str, str], Route]:
    table: dict[tuple[str, str], Route] = {}
    for module in (packages, designtime, configurations, operations, runtime, valuemappings, logs, endpoints, security):
        for shape, method, handler, role in module.ROUTES:
            if (shape, method) in table:
                raise RuntimeError(f"duplicate emulator route {method} {shape}")
            table[(shape, method)] = (handler, role)
    return table


class EmulatorApp:
    """Routes requests to the API handlers, the token endpoint and the runtime."""

    def __init__(self, store: Store, worker: DeployWorker, auth: Authenticator, settings: Settings,
                 runtime: FlowRuntime | None = None) -> None:
        self.store = store
        self.worker = worker
        self.auth = auth
        self.settings = settings
        self.runtime = runtime
        self.routes = _routes()
        self.control = ControlApi(auth, runtime)
        self.journal: deque[tuple[str, str, int]] = deque(maxlen=20000)  # (method, path, status)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        response = self.dispatch(request)
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        """Answer one request (and note it in the journal tests read)."""
        path = _raw_path(request)
        response = self._answer(request, path)
        self.journal.append((request.method, unquote(path), response.status_code))
        return response

    def _answer(self, request: Request, path: str) -> Response:
        try:
            if path == "/oauth/token":
                return self.auth.token_endpoint(request)
            if path == "/__emulator__/health":
                return json_response({"ok": True, "runtime": self.runtime is not None})
            if path.startswith(("/http/", "/cxf/")) or path in ("/http", "/cxf"):
                return self._flow(request, path)
            if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
                return self.control.dispatch(request, path)
            if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
                return self._api(request, path[len(API_PREFIX):].lstrip("/"))
            raise ODataError(404, f"No resource at {path}")
        except ODataError as exc:
            return exc.response()
        except Exception as exc:  # noqa: BLE001 - an emulator bug must answer 500 with the reason, not hang
            log.exception("emulator failed on %s %s", request.method, path)
            return ODataError(500, f"internal emulator error: {type(exc).__name__}: {exc}").response()

    def _api(self, request: Request, resource: str) -> Response:
        principal = self.auth.require(request)
        segments = split_path(resource)
        if not segments:
            if request.method not in ("GET", "HEAD"):
                raise ODataError(405, "the service document is read-only")
            response = json_response({"d": {"EntitySets": ENTITY_SETS}})
            self.auth.csrf_fetch(request, response)
            return response
        shape = "/".join(s.shape for s in segments)
        route = self.routes.get((shape, request.method))
        if route is None:
            if any(s == shape for s, _ in self.routes):
                raise ODataError(405, f"{request.method} is not allowed on {shape}")
            raise ODataError(404, f"Resource not found for the segment '{segments[-1].name}'.")
        handler, role = route
        self.auth.csrf_check(request, principal)
        if role is not None:
            self.auth.require_role(principal, role)
        ctx = Ctx(request=request, principal=principal, store=self.store, worker=self.worker, settings=self.settings,
                  api_root=request.host_url.rstrip("/") + API_PREFIX, server_root=request.host_url.rstrip("/"),
                  runtime=self.runtime)
        keys = [s.keys for s in segments if s.keys is not None]
        response = handler(ctx, *keys)
        if request.method == "GET":
            self.auth.csrf_fetch(request, response)
        return response

    def _flow(self, request: Request, path: str) -> Response:
        if self.runtime is None:
            return Response(json.dumps({"error": "no runtime attached to the emulator: deployed flows cannot run yet"}),
                            status=503, content_type="application/json")
        principal = self.auth.principal(request)
        status, headers, body = self.runtime.handle_http(request.method, path, dict(request.headers.items()),
                                                         request.get_data(), principal)
        return Response(body, status=status, headers=headers)


def _raw_path(request: Request) -> str:
    """The request path still percent-encoded (so ``%2F`` inside a key stays inside the key)."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if raw:
        path = raw.split("?", 1)[0]
        if path.startswith(("http://", "https://")):
            path = "/" + path.split("/", 3)[-1]
        return path
    from urllib.parse import quote

    return quote(request.path, safe="/()'=,$:@!*+;")
