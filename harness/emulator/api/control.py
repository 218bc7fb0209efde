"""Emulator-only control API under ``/s4amz/v1/`` (a real tenant has none of this).

What tests, ``s4amz replay`` and the contract runner need from the local runtime that the Cloud
Integration API does not offer (or offers differently):

====== ============================================== ==================================================
GET    ``/s4amz/v1/flows``                             deployed flows: senders (kind, address, queue), timer
POST   ``/s4amz/v1/timers/<artifact id>/fire``         run a timer-started flow now; ``{"mpl_id", "status"}``
POST   ``/s4amz/v1/process-direct?address=/x``         call a ProcessDirect consumer with the request body
GET    ``/s4amz/v1/queues``                            JMS queues: queued, in flight, dead, consuming flow
GET    ``/s4amz/v1/queues/<name>/messages``            the messages of one queue with status and reason
POST   ``/s4amz/v1/queues/<name>/move``                move messages to another queue (the monitor's *Move*)
GET    ``/s4amz/v1/dead-letters[?queue=Q&flow=ID]``    dead letters with their reason
POST   ``/s4amz/v1/dead-letters/<id>/requeue``         move one dead letter back to its queue
GET    ``/s4amz/v1/activity``                          is anything executing or waiting for delivery?
POST   ``/s4amz/v1/wait-idle`` ``{"timeout_s": 30}``   block until idle (200) or answer 504 with what is busy
====== ============================================== ==================================================

Callers authenticate like API callers (bearer or Basic); reads need ``MonitoringDataRead``, writes
``WorkspaceArtifactsDeploy`` (and, with Basic, the session's CSRF token, as every API write).
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable

from werkzeug.wrappers import Request, Response

from harness.emulator.api.auth import Authenticator
from harness.emulator.api.odata import ODataError

PREFIX = "/s4amz/v1"
READ, WRITE = "MonitoringDataRead", "WorkspaceArtifactsDeploy"
MAX_WAIT_S = 600.0


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(data, default=str), status=status, headers=headers,
                    content_type="application/json; charset=utf-8")


class ControlApi:
    """Routes ``/s4amz/v1/...`` to the attached runtime."""

    def __init__(self, auth: Authenticator, runtime: Any) -> None:
        self.auth = auth
        self.runtime = runtime
        self.routes: list[tuple[str, re.Pattern[str], str, Callable[..., Response]]] = [
            ("GET", re.compile(r"/flows"), READ, self.flows),
            ("POST", re.compile(r"/timers/(?P<artifact>[^/]+)/fire"), WRITE, self.fire_timer),
            ("POST", re.compile(r"/process-direct"), WRITE, self.process_direct),
            ("GET", re.compile(r"/queues"), READ, self.queues),
            ("GET", re.compile(r"/queues/(?P<queue>[^/]+)/messages"), READ, self.queue_messages),
            ("POST", re.compile(r"/queues/(?P<queue>[^/]+)/move"), WRITE, self.move),
            ("GET", re.compile(r"/dead-letters"), READ, self.dead_letters),
            ("POST", re.compile(r"/dead-letters/(?P<message>\d+)/requeue"), WRITE, self.requeue),
            ("GET", re.compile(r"/activity"), READ, self.activity),
            ("POST", re.compile(r"/wait-idle"), WRITE, self.wait_idle),
        ]

    def dispatch(self, request: Request, path: str) -> Response:
        """Answer one control call (``path`` starts with ``/s4amz/v1``)."""
        sub = path[len(PREFIX):] or "/"
        matched = [(m, pattern, role, handler) for m, pattern, role, handler in self.routes if pattern.fullmatch(sub)]
        if not matched:
            raise ODataError(404, f"No emulator control resource at {path}")
        route = next((r for r in matched if r[0] == request.method), None)
        if route is None:
            raise ODataError(405, f"{request.method} is not allowed on {path}")
        principal = self.auth.require(request)
        self.auth.csrf_check(request, principal)
        self.auth.require_role(principal, route[2])
        if self.runtime is None:
            raise ODataError(503, "no runtime attached to the emulator: deployed flows do not run")
        match = route[1].fullmatch(sub)
        assert match is not None
        return route[3](request, **match.groupdict())

    # --- flows and triggers ----------------------------------------------------------------------
    def flows(self, request: Request) -> Response:
        described = []
        for artifact_id in self.runtime.deployed():
            flow = self.runtime.flows.get(artifact_id)
            if flow is None:
                continue
            senders = []
            for sender in flow.senders:
                senders.append({"kind": sender.kind or type(sender).__name__,
                                "address": getattr(sender, "path", None) or getattr(sender, "address", None),
                                "queue": getattr(sender, "queue", None)})
            described.append({"id": artifact_id, "version": flow.version, "senders": senders,
                              "timer": flow.timer() is not None})
        return _json({"flows": described})

    def fire_timer(self, request: Request, artifact: str) -> Response:
        flow = self.runtime.flows.get(artifact)
        if flow is None:
            raise ODataError(404, f"{artifact} is not deployed")
        if flow.timer() is None:
            raise ODataError(409, f"{artifact} does not start with a timer")
        mpl_id = self.runtime.fire_timer(artifact)
        status = _mpl_status(self.runtime, mpl_id)
        return _json({"artifact": artifact, "mpl_id": mpl_id, "status": status})

    def process_direct(self, request: Request) -> Response:
        address = request.args.get("address", "")
        if not address:
            raise ODataError(400, "query parameter 'address' (the ProcessDirect address) is required")
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() not in ("authorization", "cookie", "host", "content-length", "x-csrf-token")}
        try:
            outcome = self.runtime.process_direct(address, request.get_data(), headers)
        except KeyError as exc:
            raise ODataError(404, str(exc.args[0]) if exc.args else str(exc)) from None
        reply = {"X-S4AMZ-MPL-ID": outcome.mpl_id, "X-S4AMZ-Status": outcome.status}
        if outcome.status == "FAILED":
            return Response(outcome.error_text or "", status=500, headers=reply,
                            content_type="text/plain; charset=utf-8")
        content_type = str(outcome.exchange.headers.get("Content-Type") or "application/octet-stream")
        return Response(outcome.exchange.body, status=200, headers=reply, content_type=content_type)

    # --- queues -------------------------------------------------------------------------------------
    def queues(self, request: Request) -> Response:
        consumers = self.runtime.consumers()
        counts = self.runtime.queues()
        names = sorted(set(counts) | set(consumers))
        rows = [{"name": n, **{k: counts.get(n, {}).get(k, 0) for k in ("queued", "inflight", "dead")},
                 "consumer": consumers.get(n)} for n in names]
        return _json({"queues": rows})

    def queue_messages(self, request: Request, queue: str) -> Response:
        consumers = self.runtime.consumers()
        consumer = consumers.get(queue)
        mask = self.runtime.masker
        rows = [{"id": m.id, "status": m.status, "waiting": self.runtime.waits_for_a_person(m, consumers),
                 "retries": m.retries, "reason": mask(_reason(m) or "") or None,
                 "producer": m.producer or None, "enqueued_at": m.enqueued_at, "dead_at": m.dead_at,
                 "size": len(m.body), "correlation_id": (m.headers or {}).get("SAP_MplCorrelationId"),
                 "headers": mask.headers(m.headers or {})}
                for m in self.runtime.queue_messages(queue)]
        return _json({"queue": queue, "consumer": consumer, "messages": rows})

    def move(self, request: Request, queue: str) -> Response:
        try:
            payload = json.loads(request.get_data(as_text=True) or "{}")
            if not isinstance(payload, dict):
                raise ValueError
            to = payload.get("to")
            ids = payload.get("ids")
            if (to is not None and not isinstance(to, str)) or (
                    ids is not None and (not isinstance(ids, list) or not all(isinstance(i, int) for i in ids))):
                raise ValueError
        except (ValueError, TypeError):
            raise ODataError(400, 'expected a JSON body like {"to": "QUEUE", "ids": [1, 2]} '
                                  '(both optional: every waiting message, back where it came from)') from None
        try:
            moved = self.runtime.move_messages(queue, to, ids)
        except KeyError as exc:
            raise ODataError(404, str(exc.args[0]) if exc.args else str(exc)) from None
        except ValueError as exc:
            raise ODataError(400, str(exc)) from None
        return _json({"moved": moved})

    def dead_letters(self, request: Request) -> Response:
        consumers = self.runtime.consumers()
        queue = request.args.get("queue") or None
        flow = request.args.get("flow") or None
        rows = []
        for message in self.runtime.dead_letters(queue):
            consumer = consumers.get(message.queue)
            if flow and flow not in (consumer, message.producer):
                continue
            rows.append({"id": message.id, "queue": message.queue, "consumer": consumer,
                         "producer": message.producer or None, "retries": message.retries,
                         "reason": message.last_error, "enqueued_at": message.enqueued_at,
                         "dead_at": message.dead_at, "size": len(message.body),
                         "correlation_id": (message.headers or {}).get("SAP_MplCorrelationId")})
        return _json({"dead_letters": rows})

    def requeue(self, request: Request, message: str) -> Response:
        if not self.runtime.requeue_dead_letter(int(message)):
            raise ODataError(404, f"no dead letter with id {message}")
        return _json({"requeued": int(message)})

    # --- idleness -----------------------------------------------------------------------------------
    def activity(self, request: Request) -> Response:
        return _json(self.runtime.activity())

    def wait_idle(self, request: Request) -> Response:
        try:
            payload = json.loads(request.get_data(as_text=True) or "{}")
            timeout = min(float(payload.get("timeout_s", 30)), MAX_WAIT_S)
        except (ValueError, TypeError, AttributeError):
            raise ODataError(400, 'expected a JSON body like {"timeout_s": 30}') from None
        try:
            return _json(self.runtime.wait_idle(timeout))
        except TimeoutError as exc:
            return _json({**self.runtime.activity(), "error": str(exc)}, status=504)


def _reason(message: Any) -> str | None:
    """Why a message waits: the last delivery's error, else a header naming a reason (S4AMZ_ParkReason)."""
    if message.last_error:
        return str(message.last_error)
    for name, value in (message.headers or {}).items():
        if name.lower().endswith("reason") and value:
            return str(value)
    return None


def _mpl_status(runtime: Any, mpl_id: str) -> str | None:
    getter = getattr(runtime.sink, "mpl_get", None)
    if getter is None:
        return None
    row = getter(mpl_id)
    return row.get("status") if isinstance(row, dict) else getattr(row, "status", None)
