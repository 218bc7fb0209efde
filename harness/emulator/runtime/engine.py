"""The engine: walks a process from its start event, step by step, as Camel runs the route.

* A step runs its processor; its timing and outcome go to the MPL.
* A router takes the first route whose condition holds (document order), else its default route;
  with ``throwException`` the default route raises instead.
* A splitter runs the path after it once per part, up to the next Gather (or an end event); the
  Gather's result continues.
* A failure in a process (main or local) runs that process's exception subprocess with
  ``CamelExceptionCaught`` set; ending it in a message end or end event handles the error, an
  error end re-throws it to the caller (the calling process, or the sender), an escalation end
  ends the message with status ESCALATED.
* End events: a message end with a receiver channel calls it (ProcessDirect, JMS ...); a
  terminate end stops the whole message at once.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from .bpmn import Node, Scope
from .context import RunContext
from .errors import EscalationSignal, ProcessingError, TerminateSignal
from .exchange import Exchange
from .steps.splitting import Gather, Splitter

if TYPE_CHECKING:  # pragma: no cover
    from .flow import DeployedFlow

MAX_STEPS = 100_000


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Engine:
    def __init__(self, flow: "DeployedFlow") -> None:
        self.flow = flow

    # --- processes -------------------------------------------------------------------------
    def run_scope(self, scope: Scope, ex: Exchange, ctx: RunContext, start: Node | None = None) -> None:
        """Run a main or local process, with its exception subprocess around it."""
        start = start or self.flow.start_event(scope)
        try:
            self.walk(scope, start, ex, ctx)
        except ProcessingError as error:
            handler = scope.exception_subprocess()
            if handler is None:
                raise
            self.handle(handler, error, ex, ctx)

    def handle(self, handler: Scope, error: ProcessingError, ex: Exchange, ctx: RunContext) -> None:
        """Run an exception subprocess for ``error``."""
        ex.exception = error
        ex.properties["CamelExceptionCaught"] = str(error)
        start = self.flow.start_event(handler)
        stamp = _now()
        ctx.log_step(handler.id, handler.name, "ErrorEventSubProcessTemplate", stamp, stamp, "PROCESSING",
                     f"handling {error}")
        self.walk(handler, start, ex, ctx)
        ex.exception = None

    # --- the walk ----------------------------------------------------------------------------
    def next_node(self, scope: Scope, node: Node) -> Node:
        flows = self.flow.outgoing.get(node.id, [])
        if len(flows) != 1:
            raise ProcessingError(f"{node.label} has {len(flows)} outgoing sequence flows; expected one",
                                  step_id=node.id)
        return scope.nodes[flows[0].target]

    def walk(self, scope: Scope, node: Node, ex: Exchange, ctx: RunContext,
             in_split: bool = False) -> Node:
        """Run from ``node`` until an end event (or, inside a split, a Gather); return that node."""
        for _ in range(MAX_STEPS):
            if node.tag == "endEvent":
                self.end(node, ex, ctx)
                return node
            if node.tag == "exclusiveGateway":
                node = self.route(scope, node, ex, ctx)
                continue
            if node.tag == "startEvent":
                node = self.next_node(scope, node)
                continue
            step = self.flow.steps[node.id]
            if isinstance(step, Gather):
                if in_split:
                    return node
                node = self.next_node(scope, node)      # a Gather outside a split passes through
                continue
            if isinstance(step, Splitter):
                after = self.split(scope, node, step, ex, ctx)
                if after is None:
                    return node
                node = after
                continue
            self.run_step(node, step, ex, ctx)
            node = self.next_node(scope, node)
        raise ProcessingError(f"more than {MAX_STEPS} steps: the process does not end", step_id=node.id)

    def run_step(self, node: Node, step, ex: Exchange, ctx: RunContext) -> None:
        started = _now()
        try:
            step.process(ex, ctx)
        except ProcessingError as error:
            error.step_id = error.step_id or node.id
            ctx.log_step(node.id, node.name, step.component, started, _now(), "FAILED", str(error))
            raise
        except (EscalationSignal, TerminateSignal):
            raise
        except Exception as error:  # a bug or an unexpected library error: fail the message, say so
            wrapped = ProcessingError(f"{type(error).__name__}: {error}",
                                      java_class="com.sap.it.rt.emulator.InternalError", step_id=node.id)
            ctx.log_step(node.id, node.name, step.component, started, _now(), "FAILED", str(wrapped))
            raise wrapped from error
        ctx.log_step(node.id, node.name, step.component, started, _now(), "COMPLETED", "")

    def route(self, scope: Scope, node: Node, ex: Exchange, ctx: RunContext) -> Node:
        started = _now()
        chosen = None
        for flow in self.flow.outgoing.get(node.id, []):
            if flow.id == node.default_flow:
                continue
            if self.flow.condition(flow, ex, ctx):
                chosen = flow
                break
        if chosen is None:
            if node.props.get("throwException", "false").lower() == "true":
                error = ProcessingError(f"No route of router {node.name or node.id} matched and the default "
                                        "route is configured to raise an exception",
                                        java_class="com.sap.it.rt.camel.router.NoRouteMatchedException",
                                        step_id=node.id)
                ctx.log_step(node.id, node.name, "ExclusiveGateway", started, _now(), "FAILED", str(error))
                raise error
            chosen = next((f for f in self.flow.outgoing.get(node.id, []) if f.id == node.default_flow), None)
            if chosen is None:
                raise ProcessingError(f"router {node.label}: no condition matched and there is no default route",
                                      step_id=node.id)
        ctx.log_step(node.id, node.name, "ExclusiveGateway", started, _now(), "COMPLETED",
                     f"route {chosen.name or chosen.id}")
        return scope.nodes[chosen.target]

    def split(self, scope: Scope, node: Node, step: Splitter, ex: Exchange, ctx: RunContext) -> Node | None:
        """Run the parts; return the node after the Gather, or None when the parts ended the message."""
        started = _now()
        parts = step.split(ex, ctx)
        ctx.log_step(node.id, node.name, step.component, started, _now(), "COMPLETED", f"{len(parts)} part(s)")
        first = self.next_node(scope, node)
        finished: list[Exchange] = []
        gather_node: Node | None = None
        first_error: ProcessingError | None = None
        for part in parts:
            try:
                end = self.walk(scope, first, part, ctx, in_split=True)
            except ProcessingError as error:
                if step.stop_on_error:
                    raise
                first_error = first_error or error
                continue
            finished.append(part)
            if end.tag != "endEvent":
                gather_node = end
        if first_error is not None:
            raise first_error
        if gather_node is None:
            if parts:
                ex.body = parts[-1].body
            return None
        gather: Gather = self.flow.steps[gather_node.id]  # type: ignore[assignment]
        started = _now()
        combined = gather.combine(finished, ex, ctx)
        ex.body, ex.headers, ex.properties = combined.body, combined.headers, combined.properties
        ctx.log_step(gather_node.id, gather_node.name, gather.component, started, _now(), "COMPLETED",
                     f"{len(finished)} part(s) gathered")
        return self.next_node(scope, gather_node)

    def end(self, node: Node, ex: Exchange, ctx: RunContext) -> None:
        stamp = _now()
        if node.event == "error":
            ctx.log_step(node.id, node.name, "ErrorEndEvent", stamp, stamp, "FAILED", "error end")
            if ex.exception is not None:
                raise ex.exception
            raise ProcessingError(f"the message reached the error end event {node.name or node.id}",
                                  step_id=node.id)
        if node.event == "escalation":
            code = node.props.get("ErrorCode", "")
            ctx.log_step(node.id, node.name, "EscalationEndEvent", stamp, stamp, "ESCALATED", code)
            raise EscalationSignal(code, node.id)
        if node.event == "terminate":
            ctx.log_step(node.id, node.name, "TerminateEndEvent", stamp, stamp, "COMPLETED", "terminate")
            raise TerminateSignal()
        channel = self.flow.model.receiver_flow(node.id)
        if channel is not None:
            adapter = self.flow.receivers[channel.id]
            try:
                adapter.request(ex, ctx)
            except ProcessingError as error:
                error.step_id = error.step_id or node.id
                ctx.log_step(node.id, node.name, channel.component_type, stamp, _now(), "FAILED", str(error))
                raise
            ctx.log_step(node.id, node.name, channel.component_type, stamp, _now(), "COMPLETED",
                         f"sent to {channel.name or channel.id}")
