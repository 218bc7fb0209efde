"""The runtime the emulator API calls: deploy packages, serve their endpoints, run their messages.

See ``harness/emulator/runtime_port.py`` for the seam. Everything persistent (JMS queues, data
store entries, variables) lives in SQLite under ``<state_dir>/runtime/``; deployed flows are held
in memory and redeployed by the emulator after a restart.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import urlsplit

import requests

from .adapters.base import INTERNAL_PREFIXES, HOP_BY_HOP
from .adapters.http import HttpsSender
from .adapters.processdirect import ProcessDirectSender
from .adapters.soap import SoapSender, fault, unwrap, wrap
from .adapters.jms import JmsSender
from .bpmn import Node, Scope, load_model
from .context import RunContext
from .errors import DeployError, EscalationSignal, ProcessingError, SenderRejection, TerminateSignal
from .exchange import Exchange, Headers
from .flow import DeployedFlow
from .mpl import COMPLETED, ESCALATED, FAILED, InMemoryMplSink, Masker, MplSink
from .package import read_package
from .security import SecurityStore
from .stores import DataStore, MessageBroker
from . import adapters as _adapters  # noqa: F401  (registers adapters)
from . import steps as _steps  # noqa: F401  (registers steps)

log = logging.getLogger(__name__)

PD_MISSING = "org.apache.camel.component.directvm.DirectVmConsumerNotAvailableException"
MAX_DEPTH = 20
#: Failed deliveries after which the emulator keeps a JMS message as a dead letter: a model of
#: message expiry (a tenant retries until the message expires). Larger than any module's own retry
#: budget (``Max Retries``, 9 in the packages), which moves a message to the module's dead-letter
#: queue first.
DEFAULT_JMS_MAX_RETRIES = 20


@dataclass
class Outcome:
    """How one message ended."""

    mpl_id: str
    status: str
    exchange: Exchange
    error: ProcessingError | None = None
    error_text: str | None = None


def _value_mapping(entry: Any) -> Any:
    """A ValueMapEntry (or a tuple/dict the script host accepts) in the script host's form."""
    from harness.scripthost import ValueMapping

    if isinstance(entry, ValueMapping) or isinstance(entry, (tuple, dict)):
        return entry
    return ValueMapping(entry.src_agency, entry.src_id, entry.src_value, entry.tgt_agency, entry.tgt_id,
                        entry.tgt_value)


class Runtime:
    """Interprets deployed integration flows.

    ``time_scale`` multiplies every wait the tenant would do (JMS redelivery intervals, adapter
    retry intervals): ``0.001`` turns a one-minute JMS retry into 60 ms. ``jms_max_retries`` is the
    number of failed deliveries after which a JMS message moves to the dead-letter list, a model of
    the tenant's message expiry (the tenant retries until the message expires; flows that need a
    budget enforce their own). ``script_host`` maps a Groovy runtime ("2.4",
    "4.0") to a host; the process-wide shared hosts by default.
    """

    def __init__(self, state_dir: Path | str, mpl_sink: MplSink | None = None, *, time_scale: float = 1.0,
                 jms_max_retries: int = DEFAULT_JMS_MAX_RETRIES, script_host: Callable[[str], Any] | None = None,
                 http_session: requests.Session | None = None) -> None:
        self.state_dir = Path(state_dir)
        folder = self.state_dir / "runtime"
        self.sink: MplSink = mpl_sink if mpl_sink is not None else InMemoryMplSink()
        self.time_scale = time_scale
        self.jms_max_retries = max(1, jms_max_retries)
        self.masker = Masker()
        self.http = http_session or requests.Session()
        self.security = SecurityStore(self.masker, self.http)
        self.broker = MessageBroker(folder / "jms.sqlite")
        self.datastore = DataStore(folder / "datastore.sqlite")
        self.csrf_tokens: dict[str, str] = {}
        self.flows: dict[str, DeployedFlow] = {}
        self.script_collections: dict[str, dict[str, bytes]] = {}
        self.value_mappings: list[Any] = []
        self._script_host = script_host
        self._lock = threading.RLock()
        self._started = False
        self._stop = threading.Event()
        self._timer_thread: threading.Thread | None = None
        self._next_fire: dict[str, datetime | None] = {}
        self._fired_once: set[str] = set()
        self._active = 0                      # messages being executed right now (any sender)
        self._active_changed = threading.Condition()

    # --- services for steps and adapters -----------------------------------------------------
    def script_host(self, version: str):
        if self._script_host is not None:
            return self._script_host(version)
        from harness.scripthost import ScriptHost
        return ScriptHost.shared(version)

    def script_collection_file(self, bundle: str, name: str) -> bytes | None:
        return self.script_collections.get(bundle, {}).get(name)

    def sleep(self, tenant_seconds: float) -> None:
        """Wait as the tenant would, scaled by ``time_scale``."""
        if tenant_seconds > 0:
            time.sleep(tenant_seconds * self.time_scale)

    # --- deploy --------------------------------------------------------------------------------
    def deploy(self, artifact_id: str, version: str, zip_bytes: bytes,
               configuration: Mapping[str, str] | None = None, value_mappings: Iterable[Any] | None = None,
               security: Any = None) -> DeployedFlow:
        """Start an iFlow; raise :class:`DeployError` (or ``UnsupportedComponent``) with the reason.

        ``configuration`` overrides ``parameters.prop``; every ``{{Name}}`` must end with a value.
        """
        if security is not None:
            self.security.update(security)
        if value_mappings is not None:
            self.value_mappings_changed(value_mappings)
        package = read_package(zip_bytes)
        parameters = dict(package.parameters)
        parameters.update({k: str(v) for k, v in (configuration or {}).items()})
        model = load_model(package.iflw, parameters)
        flow = DeployedFlow(self, artifact_id, version, package, model, parameters, self.value_mappings)
        self._check_conflicts(flow)
        with self._lock:
            old = self.flows.get(artifact_id)
            if old is not None:
                self._stop_flow(old)
            self.flows[artifact_id] = flow
            self._fired_once.discard(artifact_id)
            self._next_fire.pop(artifact_id, None)
            if self._started:
                self._start_flow(flow)
        return flow

    def _check_conflicts(self, flow: DeployedFlow) -> None:
        with self._lock:
            others = [f for f in self.flows.values() if f.artifact_id != flow.artifact_id]
        for sender in flow.senders:
            for other in others:
                for theirs in other.senders:
                    if type(theirs) is not type(sender):
                        continue
                    mine_key = getattr(sender, "path", None) or getattr(sender, "address", None)
                    their_key = getattr(theirs, "path", None) or getattr(theirs, "address", None)
                    if isinstance(sender, JmsSender) and sender.queue == theirs.queue:
                        raise DeployError(f"{sender.channel.label}: queue {sender.queue} is already consumed by "
                                          f"{other.artifact_id}")
                    if mine_key and mine_key == their_key:
                        raise DeployError(f"{sender.channel.label}: the endpoint {mine_key} is already used by "
                                          f"{other.artifact_id}")

    def undeploy(self, artifact_id: str) -> None:
        with self._lock:
            flow = self.flows.pop(artifact_id, None)
        if flow is not None:
            self._stop_flow(flow)

    def deployed(self) -> list[str]:
        with self._lock:
            return sorted(self.flows)

    def deploy_script_collection(self, bundle_id: str, zip_bytes: bytes) -> None:
        """Make a script collection's scripts available to flows that name it in ``scriptBundleId``."""
        import io
        import zipfile

        archive = zipfile.ZipFile(io.BytesIO(zip_bytes))
        scripts = {n.rsplit("/", 1)[-1]: archive.read(n) for n in archive.namelist()
                   if "/script/" in f"/{n}" and not n.endswith("/")}
        self.script_collections[bundle_id] = scripts

    def value_mappings_changed(self, entries: Iterable[Any]) -> None:
        """Replace the value mappings scripts see (deployed value-mapping artifacts)."""
        self.value_mappings[:] = [_value_mapping(e) for e in entries]

    # --- lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        """Start background work: JMS consumers and timers."""
        with self._lock:
            if self._started:
                return
            self._started = True
            self._stop.clear()
            for flow in self.flows.values():
                self._start_flow(flow)
            self._timer_thread = threading.Thread(target=self._timer_loop, name="runtime-timers", daemon=True)
            self._timer_thread.start()

    def stop(self) -> None:
        """Stop background work; messages in flight finish, queued ones stay queued."""
        with self._lock:
            self._started = False
            self._stop.set()
            flows = list(self.flows.values())
        for flow in flows:
            self._stop_flow(flow)
        if self._timer_thread is not None:
            self._timer_thread.join(timeout=30)
            self._timer_thread = None

    def close(self) -> None:
        """Stop and release the databases."""
        self.stop()
        self.broker.close()
        self.datastore.close()

    def _start_flow(self, flow: DeployedFlow) -> None:
        for sender in flow.senders:
            sender.start_consumer()

    def _stop_flow(self, flow: DeployedFlow) -> None:
        for sender in flow.senders:
            sender.stop_consumer()

    # --- timers ----------------------------------------------------------------------------------
    def fire_timer(self, artifact_id: str) -> str:
        """Run a timer-started flow now; returns the MPL id."""
        with self._lock:
            flow = self.flows.get(artifact_id)
        if flow is None:
            raise KeyError(f"{artifact_id} is not deployed")
        timer = flow.timer()
        if timer is None:
            raise DeployError(f"{artifact_id} has no timer start event")
        process, start, _ = timer
        return self.execute(flow, process, start, Exchange(), sender="Timer").mpl_id

    def _timer_loop(self) -> None:
        while not self._stop.wait(0.2):
            now = datetime.now(timezone.utc)
            with self._lock:
                flows = list(self.flows.values())
            for flow in flows:
                timer = flow.timer()
                if timer is None:
                    continue
                process, start, schedule = timer
                if schedule.once and flow.artifact_id not in self._fired_once:
                    self._fired_once.add(flow.artifact_id)
                    self._safe_fire(flow, process, start)
                if not schedule.crons:
                    continue
                due = self._next_fire.get(flow.artifact_id)
                if due is None and flow.artifact_id not in self._next_fire:
                    self._next_fire[flow.artifact_id] = schedule.next_after(now)
                    continue
                if due is not None and due <= now:
                    self._next_fire[flow.artifact_id] = schedule.next_after(now)
                    self._safe_fire(flow, process, start)

    def _safe_fire(self, flow: DeployedFlow, process: Scope, start: Node) -> None:
        try:
            self.execute(flow, process, start, Exchange(), sender="Timer")
        except Exception:  # noqa: BLE001 - a timer must keep running whatever one message does
            log.exception("timer run of %s failed", flow.artifact_id)

    # --- running a message -------------------------------------------------------------------------
    def execute(self, flow: DeployedFlow, process: Scope, start: Node, ex: Exchange, *, sender: str,
                correlation_id: str | None = None, depth: int = 0,
                on_failure: Callable[[str], tuple[str, str]] | None = None) -> Outcome:
        """Run one message through a process, with its MPL from begin to end."""
        with self._active_changed:
            self._active += 1
        try:
            return self._execute(flow, process, start, ex, sender=sender, correlation_id=correlation_id,
                                 depth=depth, on_failure=on_failure)
        finally:
            with self._active_changed:
                self._active -= 1
                self._active_changed.notify_all()

    def _execute(self, flow: DeployedFlow, process: Scope, start: Node, ex: Exchange, *, sender: str,
                 correlation_id: str | None, depth: int,
                 on_failure: Callable[[str], tuple[str, str]] | None) -> Outcome:
        correlation_id = correlation_id or str(ex.headers.get("SAP_MplCorrelationId") or "") or (
            "AG" + uuid.uuid4().hex[:26].upper())
        mpl_id = self.sink.mpl_begin(flow.artifact_id, correlation_id, sender,
                                     self.masker.headers(ex.headers))
        ex.headers["SAP_MessageProcessingLogID"] = mpl_id
        ex.headers["SAP_MplCorrelationId"] = correlation_id
        ex.properties["SAP_MessageProcessingLogID"] = mpl_id
        ctx = RunContext(flow, mpl_id, self.sink, depth=depth, correlation_id=correlation_id)
        status, error, text = COMPLETED, None, None
        try:
            flow.engine.run_scope(process, ex, ctx, start)
        except EscalationSignal as signal:
            status, text = ESCALATED, f"escalation end event {signal.element_id} reached" + (
                f" (error code {signal.error_code})" if signal.error_code else "")
            if ex.exception is not None:
                text += f": {ex.exception}"
        except TerminateSignal:
            status = COMPLETED
        except ProcessingError as exc:
            status, error, text = FAILED, exc, str(exc)
        except Exception as exc:  # noqa: BLE001 - never lose a message to an interpreter bug
            log.exception("internal error running %s", flow.artifact_id)
            error = ProcessingError(f"{type(exc).__name__}: {exc}", java_class="com.sap.it.rt.emulator.InternalError")
            status, text = FAILED, str(error)
        if status == COMPLETED:
            for action in ctx.on_success:
                try:
                    action()
                except Exception:  # noqa: BLE001
                    log.exception("post-commit action of %s failed", flow.artifact_id)
        elif error is not None and on_failure is not None:
            status, text = on_failure(text or "")
        for name in ("SAP_MessageProcessingLogCustomStatus",):
            value = ex.properties.get(name)
            if value:
                ctx.mpl_property("CustomStatus", str(value)[:40])
        app_id = ex.headers.get("SAP_ApplicationID")
        if app_id:
            ctx.mpl_property("ApplicationMessageId", str(app_id)[:120])
        masked = self.masker(text) if text else None
        self.sink.mpl_end(mpl_id, status, masked)
        return Outcome(mpl_id, status, ex, error, masked)

    def call_process_direct(self, address: str, ex: Exchange, caller: RunContext) -> Exchange:
        """Run the flow consuming a ProcessDirect address; its exception reaches the caller."""
        target = self._process_direct_consumer(address)
        if target is None:
            raise ProcessingError(f"No consumers available on endpoint: direct-vm://{address.lstrip('/')}",
                                  java_class=PD_MISSING)
        if caller.depth >= MAX_DEPTH:
            raise ProcessingError(f"ProcessDirect calls nested deeper than {MAX_DEPTH} (a loop between flows?)")
        flow, sender = target
        child = Exchange(body=ex.body, headers=ex.headers.copy())
        outcome = self.execute(flow, sender.process, sender.start, child, sender=f"ProcessDirect:{address}",
                               correlation_id=caller.correlation_id, depth=caller.depth + 1)
        if outcome.error is not None:
            raise outcome.error
        if outcome.status == ESCALATED:
            raise ProcessingError(outcome.error_text or "the called flow ended ESCALATED")
        return outcome.exchange

    def _process_direct_consumer(self, address: str):
        with self._lock:
            for flow in self.flows.values():
                for sender in flow.senders:
                    if isinstance(sender, ProcessDirectSender) and sender.address == address:
                        return flow, sender
        return None

    def process_direct(self, address: str, body: bytes | str = b"", headers: Mapping[str, Any] | None = None) -> Outcome:
        """Call a ProcessDirect address from outside (tests, the contract runner)."""
        address = "/" + address.lstrip("/")
        target = self._process_direct_consumer(address)
        if target is None:
            raise KeyError(f"no deployed flow consumes ProcessDirect address {address}")
        flow, sender = target
        ex = Exchange(headers=Headers(headers or {}))
        ex.set_body(body)
        return self.execute(flow, sender.process, sender.start, ex, sender=f"ProcessDirect:{address}")

    # --- HTTP entry points ---------------------------------------------------------------------------
    def handle_http(self, method: str, path: str, headers: Mapping[str, str], body: bytes,
                    principal: Any) -> tuple[int, dict[str, str], bytes]:
        """Serve ``/http/<urlPath>`` (HTTPS senders) and ``/cxf/<address>`` (SOAP senders)."""
        parts = urlsplit(path)
        route, query = parts.path, parts.query
        request_headers = Headers(dict(headers))
        method = method.upper()
        try:
            if route == "/http" or route.startswith("/http/"):
                return self._https(method, route[len("/http"):] or "/", query, request_headers, body, principal)
            if route.startswith("/cxf/"):
                return self._soap(method, route[len("/cxf"):], query, request_headers, body, principal)
            raise SenderRejection(404, f"No endpoint is deployed for {route}")
        except SenderRejection as rejection:
            cxf = route.startswith("/cxf/")
            response_headers = {"Content-Type": "text/xml; charset=UTF-8" if cxf else "text/plain; charset=UTF-8",
                                **rejection.headers}
            payload = fault(rejection.message, "soap:Client") if cxf and rejection.status not in (401,) else \
                rejection.message.encode("utf-8")
            return rejection.status, response_headers, payload

    def _find_sender(self, cls, path: str):
        with self._lock:
            candidates = [(flow, s) for flow in self.flows.values() for s in flow.senders if isinstance(s, cls)]
        best = None
        for flow, sender in candidates:
            if cls is HttpsSender:
                sub = sender.matches(path)
                if sub is not None and (best is None or len(sender.path) > len(best[1].path)):
                    best = (flow, sender, sub)
            elif sender.path.rstrip("/") == path.rstrip("/"):
                best = (flow, sender, "")
        return best

    def _inbound(self, flow: DeployedFlow, method: str, path: str, sub: str, query: str,
                 headers: Headers, body: bytes) -> Exchange:
        allowed = [p for p in (flow.model.props.get("allowedHeaderList") or "").split("|") if p.strip()]
        ex = Exchange(body=body)
        for name, value in headers.items():
            lowered = name.lower()
            if lowered in HOP_BY_HOP or lowered.startswith(INTERNAL_PREFIXES):
                continue
            if lowered in ("content-type", "content-encoding") or any(
                    re.fullmatch(p.strip(), name, flags=re.IGNORECASE) for p in allowed):
                ex.headers[name] = value
        ex.headers["CamelHttpMethod"] = method
        ex.headers["CamelHttpUri"] = path
        ex.headers["CamelHttpUrl"] = path
        ex.headers["CamelHttpPath"] = sub
        if query:
            ex.headers["CamelHttpQuery"] = query
        ex.headers["CamelServletContextPath"] = path
        return ex

    def _https(self, method, path, query, headers, body, principal):
        found = self._find_sender(HttpsSender, path)
        if found is None:
            raise SenderRejection(404, f"No endpoint is deployed for /http{path}")
        flow, sender, sub = found
        sender.check_caller(principal)
        fetched = sender.check_csrf(method, headers, principal)
        if fetched is not None:
            return 200, fetched, b""
        sender.check_size(body)
        ex = self._inbound(flow, method, "/http" + path, sub, query, headers, body)
        outcome = self.execute(flow, sender.process, sender.start, ex, sender=f"HTTPS:{sender.path}")
        return self._http_reply(flow, outcome)

    def _http_reply(self, flow: DeployedFlow, outcome: Outcome) -> tuple[int, dict[str, str], bytes]:
        ex = outcome.exchange
        if outcome.status == FAILED:
            if flow.model.props.get("returnExceptionToSender", "false").lower() == "true":
                return 500, {"Content-Type": "text/plain; charset=UTF-8"}, (outcome.error_text or "").encode()
            text = (f"An internal server error occured: {outcome.error_text}.\n"
                    f"The MPL ID for the failed message is : {outcome.mpl_id}\n"
                    "For more details please check tail log.")
            return 500, {"Content-Type": "text/plain; charset=UTF-8"}, text.encode("utf-8")
        status = ex.headers.get("CamelHttpResponseCode")
        try:
            code = int(status) if status not in (None, "") else 200
        except (TypeError, ValueError):
            code = 200
        if outcome.status == ESCALATED and status in (None, ""):
            code = 500
        reply: dict[str, str] = {}
        for name, value in ex.headers.items():
            lowered = name.lower()
            if value is None or lowered.startswith(INTERNAL_PREFIXES) or lowered in HOP_BY_HOP:
                continue
            reply[name] = self.masker(str(value))
        return code, reply, ex.body

    def _soap(self, method, path, query, headers, body, principal):
        found = self._find_sender(SoapSender, path)
        if found is None:
            raise SenderRejection(404, f"No endpoint is deployed for /cxf{path}")
        flow, sender, _ = found
        sender.check_caller(principal)
        sender.check_size(body)
        if method != "POST":
            raise SenderRejection(405, f"method {method} is not allowed: SOAP endpoints take POST")
        try:
            payload, _fault = unwrap(body)
        except Exception as exc:  # noqa: BLE001 - any parse problem is the caller's error
            raise SenderRejection(400, f"the request is not a SOAP envelope: {exc}") from None
        ex = self._inbound(flow, method, "/cxf" + path, "", query, headers, payload)
        ex.headers["Content-Type"] = "text/xml"
        if headers.get("SOAPAction"):
            ex.headers["SOAPAction"] = headers.get("SOAPAction")
        outcome = self.execute(flow, sender.process, sender.start, ex, sender=f"SOAP:{path}")
        if outcome.status == FAILED:
            return 500, {"Content-Type": "text/xml; charset=UTF-8"}, fault(outcome.error_text or "")
        try:
            reply = wrap(outcome.exchange.body)
        except Exception:  # noqa: BLE001
            reply = wrap(b"")
        return 200, {"Content-Type": "text/xml; charset=UTF-8"}, reply

    # --- queues (for the API and tests) ------------------------------------------------------------
    def queues(self) -> dict[str, dict[str, int]]:
        """Per queue: messages ``queued`` (including those waiting for redelivery), ``inflight``, ``dead``."""
        return self.broker.queues()

    def consumers(self) -> dict[str, str]:
        """Queue name -> the deployed artifact whose JMS sender consumes it."""
        with self._lock:
            return {s.queue: f.artifact_id for f in self.flows.values() for s in f.senders
                    if isinstance(s, JmsSender)}

    def dead_letters(self, queue: str | None = None):
        return self.broker.messages(queue, "dead")

    def requeue_dead_letter(self, message_id: int) -> bool:
        """Move a dead letter back to its queue (retry count reset); False when there is none with that id."""
        return self.broker.requeue_dead(message_id)

    def queue_messages(self, queue: str):
        """Every message of a queue, oldest first (queued, in flight, dead)."""
        return self.broker.messages(queue)

    def waits_for_a_person(self, message: Any, consumers: Mapping[str, str] | None = None) -> bool:
        """A dead letter, or a message queued where nobody consumes it (a flow's dead-letter or
        parking queue): what a replay takes when no message is named."""
        consumers = self.consumers() if consumers is None else consumers
        return message.status == "dead" or (message.status == "queued" and message.queue not in consumers)

    def move_messages(self, queue: str, to: str | None = None, ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
        """Move messages of ``queue`` to ``to`` (the tenant's *Move* in its queue monitor); all or nothing.

        ``ids`` picks messages of that queue; without ids every message that waits for a person is
        taken: the dead letters, and when nobody consumes the queue (a dead-letter or parking queue
        of a flow) its queued messages too. Without ``to`` a dead letter goes back to its own
        queue and any other message to the queue its producer consumes (the flow that parked it).
        A moved message keeps body, headers and properties; its retry count starts again.
        Raises ``KeyError`` naming ids that are not (movable) messages of the queue and
        ``ValueError`` when a target cannot be told. Returns ``[{"id", "from", "to"}]``.
        """
        consumers = self.consumers()
        messages = {m.id: m for m in self.broker.messages(queue)}
        if ids is not None:
            wanted = [int(i) for i in ids]
            unknown = [i for i in wanted if i not in messages or messages[i].status == "inflight"]
            if unknown:
                raise KeyError(f"no message {', '.join(map(str, unknown))} waiting in queue {queue} "
                               f"(unknown, or being delivered right now)")
            chosen = [messages[i] for i in dict.fromkeys(wanted)]
        else:
            chosen = [m for m in messages.values() if self.waits_for_a_person(m, consumers)]
        if to is not None and not str(to).strip():
            raise ValueError("the target queue name is empty")
        plan: list[tuple[int, str]] = []
        for message in chosen:
            target = to
            if target is None and message.status == "dead":
                target = message.queue
            if target is None:
                own = sorted(q for q, consumer in consumers.items() if consumer == message.producer and message.producer)
                if len(own) != 1:
                    raise ValueError(
                        f"message {message.id} of queue {queue}: name the queue to move it to; its producer "
                        f"{message.producer or '(unknown)'} consumes " + (", ".join(own) if own else "no queue"))
                target = own[0]
            plan.append((message.id, target))
        moved = []
        for message_id, target in plan:
            if self.broker.move(message_id, target):
                moved.append({"id": message_id, "from": queue, "to": target})
        return moved

    def activity(self) -> dict[str, Any]:
        """What keeps the runtime busy: messages executing and messages its consumers still have to deliver.

        Queues nobody consumes never drain by themselves; they are listed under ``unconsumed`` and
        do not count as busy.
        """
        counts = self.broker.queues()
        consumed = self.consumers()
        with self._active_changed:
            active = self._active
        pending = {q: c for q, c in counts.items() if q in consumed and (c.get("queued", 0) or c.get("inflight", 0))}
        unconsumed = {q: c.get("queued", 0) for q, c in counts.items() if q not in consumed and c.get("queued", 0)}
        return {"idle": active == 0 and not pending, "executing": active, "pending": pending,
                "unconsumed": unconsumed}

    def wait_idle(self, timeout: float = 10.0) -> dict[str, Any]:
        """Block until nothing executes and every consumed queue is drained; return the final activity.

        Raises ``TimeoutError`` describing what is still busy.
        """
        deadline = time.monotonic() + timeout
        quiet_since: float | None = None
        while True:
            state = self.activity()
            now = time.monotonic()
            if state["idle"]:
                # a consumer may be between leasing and starting a message: idle twice in a row
                if quiet_since is not None and now - quiet_since >= 0.02:
                    return state
                quiet_since = quiet_since or now
            else:
                quiet_since = None
            if now >= deadline:
                raise TimeoutError(f"not idle after {timeout:g}s: {state['executing']} message(s) executing, "
                                   f"pending queues {state['pending']}")
            with self._active_changed:
                self._active_changed.wait(0.01)
