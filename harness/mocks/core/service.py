"""The base every mock builds on: routing, journal, faults and the ``/__mock__`` control API.

A service subclass provides ``routes()`` (werkzeug rules whose endpoint is a handler taking the
request and the URL values), ``state()`` and ``reset()``. Handlers raise a :class:`ServiceError`
subclass from the service's ``exceptions.py`` to answer with the real service's error format.

Control endpoints (never journaled, never faulted):

* ``GET /__mock__/requests[?method=&path=&since=]``: what was received, oldest first
* ``GET /__mock__/state``: the model's state as JSON
* ``POST /__mock__/reset``: forget requests, faults and state (state returns to the seed)
* ``GET|POST|DELETE /__mock__/faults``: list, add (one rule or a list), clear fault rules
"""

from __future__ import annotations

import json
import socket
import threading
import time
from typing import Any, Callable

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from harness.mocks.core.faults import Fault, FaultPlan
from harness.mocks.core.journal import Journal

Handler = Callable[..., Response]


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response with UTF-8 content type."""
    return Response(json.dumps(data, ensure_ascii=False), status=status, headers=headers,
                    content_type="application/json; charset=utf-8")


class ServiceError(Exception):
    """An error the mocked service itself would answer with; subclasses shape the body."""

    status = 500

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status

    def response(self) -> Response:
        """The wire response; override for the service's own error format."""
        return json_response({"error": self.message}, status=self.status)


class MockService:
    """A mocked service as a WSGI application."""

    name = "mock"

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        self.settings: dict[str, Any] = dict(settings or {})
        self.journal = Journal()
        self.faults = FaultPlan()
        self.lock = threading.RLock()
        control = [
            Rule("/__mock__/requests", endpoint=self._control_requests, methods=["GET"]),
            Rule("/__mock__/state", endpoint=self._control_state, methods=["GET"]),
            Rule("/__mock__/reset", endpoint=self._control_reset, methods=["POST"]),
            Rule("/__mock__/faults", endpoint=self._control_faults, methods=["GET", "POST", "DELETE"]),
        ]
        self.url_map = Map(control + self.routes() + self.extra_control_routes())

    # --- to override ---------------------------------------------------------------------------
    def routes(self) -> list[Rule]:
        """The service's own routes."""
        raise NotImplementedError

    def extra_control_routes(self) -> list[Rule]:
        """Service-specific ``/__mock__/...`` routes (e.g. to advance an order); not journaled."""
        return []

    def state(self) -> dict[str, Any]:
        """The model's state as JSON."""
        return {}

    def reset(self) -> None:
        """Return the model to its seeded state."""

    def fault_response(self, fault: Fault, request: Request) -> Response:
        """The response an injected error status produces; override for the service's format."""
        headers = {"Retry-After": _retry_after(fault.retry_after)} if fault.retry_after is not None else None
        body = fault.body if fault.body is not None else {"error": f"injected fault: HTTP {fault.status}"}
        return json_response(body, status=int(fault.status or 500), headers=headers)

    def not_found(self, request: Request) -> Response:
        """The answer for an unknown path; override for the service's format."""
        return json_response({"error": f"no such resource: {request.method} {request.path}"}, status=404)

    def method_not_allowed(self, request: Request) -> Response:
        """The answer for a known path with another method; override for the service's format."""
        return json_response({"error": f"method {request.method} not allowed"}, status=405)

    def close(self) -> None:
        """Release background resources (worker threads); the landscape calls it on stop."""

    # --- WSGI ------------------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        response = self.dispatch(request)
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        """Route one request: control endpoints directly, service endpoints journaled and faulted."""
        adapter = self.url_map.bind_to_environ(request.environ)
        if request.path.startswith("/__mock__/"):
            try:
                endpoint, values = adapter.match()
                return endpoint(request, **values)
            except HTTPException as exc:
                return json_response({"error": exc.description}, status=exc.code or 500)
            except ValueError as exc:
                return json_response({"error": str(exc)}, status=400)
        entry = self.journal.record(request.method, request.path, request.query_string.decode("latin-1"),
                                    dict(request.headers.items()), request.get_data(cache=True))
        fault = self.faults.pick(request.method, request.path)
        if fault is not None:
            entry.fault = json.dumps({k: v for k, v in fault.to_json().items() if v not in (None, [], 0, False)})
            if fault.delay_ms:
                time.sleep(fault.delay_ms / 1000)
            if fault.drop:
                _drop_connection(request)
                entry.status = 0
                return Response(status=500)
            if fault.status is not None:
                response = self.fault_response(fault, request)
                entry.status = response.status_code
                return response
        try:
            endpoint, values = adapter.match()
            with self.lock:
                response = endpoint(request, **values)
        except (NotFound, MethodNotAllowed) as exc:
            response = self.not_found(request) if isinstance(exc, NotFound) else self.method_not_allowed(request)
        except ServiceError as exc:
            response = exc.response()
        entry.status = response.status_code
        return response

    # --- control endpoints -----------------------------------------------------------------------
    def _control_requests(self, request: Request) -> Response:
        since = int(request.args.get("since", 0))
        entries = self.journal.entries(request.args.get("method"), request.args.get("path"), since)
        return json_response([e.to_json() for e in entries])

    def _control_state(self, request: Request) -> Response:
        with self.lock:
            return json_response(self.state())

    def _control_reset(self, request: Request) -> Response:
        with self.lock:
            self.journal.clear()
            self.faults.clear()
            self.reset()
        return json_response({"reset": self.name})

    def _control_faults(self, request: Request) -> Response:
        if request.method == "DELETE":
            self.faults.clear()
        elif request.method == "POST":
            payload = request.get_json(force=True, silent=True)
            if payload is None:
                raise ValueError("POST /__mock__/faults expects a JSON object or a list of them")
            for item in payload if isinstance(payload, list) else [payload]:
                self.faults.add(Fault.from_json(item))
        return json_response([f.to_json() for f in self.faults.rules()])


def _retry_after(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else str(seconds)


def _drop_connection(request: Request) -> None:
    """Close the client's socket without an HTTP answer (what a dropped connection looks like)."""
    sock = request.environ.get("werkzeug.socket")
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
