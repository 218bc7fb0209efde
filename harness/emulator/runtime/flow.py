"""A deployed flow: the model plus every element compiled to its processor or endpoint.

Compilation checks every element against the registries: anything the interpreter does not run
fails the deploy with :class:`UnsupportedComponent` naming the component, its version and the
element id (all of them, not only the first). Configuration errors of supported components fail
it with :class:`DeployError` naming the element.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .adapters.base import ReceiverAdapter, SenderAdapter
from .bpmn import IFlowModel, Node, Scope
from .errors import DeployError, UnsupportedComponent
from .package import Package
from .registry import ADAPTERS, STEPS
from .schedule import Schedule, parse_schedule
from .steps.base import Step
from . import simple
from . import xpath as xp

if TYPE_CHECKING:  # pragma: no cover
    from .engine import Engine
    from .runtime import Runtime

_TAG_NAMES = {"startEvent": "StartEvent", "endEvent": "EndEvent"}
_EVENT_NAMES = {"message": ("MessageStartEvent", "MessageEndEvent"), "error": ("ErrorStartEvent", "ErrorEndEvent"),
                "escalation": (None, "EscalationEndEvent"), "terminate": (None, "TerminateEndEvent"),
                "timer": ("intermediatetimer", None)}


def component_name(node: Node) -> str:
    """The registry name of a node: its cname, or one derived from its tag and event."""
    cname = node.variant.cname
    if cname:
        return cname
    if node.event in _EVENT_NAMES:
        start, end = _EVENT_NAMES[node.event]
        name = start if node.tag == "startEvent" else end
        if name:
            return name
    return _TAG_NAMES.get(node.tag, node.tag)


class DeployedFlow:
    """One started integration flow."""

    def __init__(self, runtime: "Runtime", artifact_id: str, version: str, package: Package,
                 model: IFlowModel, configuration: dict[str, str], value_mappings: list[Any]) -> None:
        self.runtime = runtime
        self.artifact_id = artifact_id
        self.version = version
        self.package = package
        self.model = model
        self.configuration = configuration
        self.value_mappings = value_mappings
        self.namespaces = model.namespaces()
        self.steps: dict[str, Step] = {}
        self.receivers: dict[str, ReceiverAdapter] = {}
        self.senders: list[SenderAdapter] = []
        self.timers: list[tuple[Scope, Node, Schedule]] = []
        self.route_xpaths: dict[str, Any] = {}
        self.outgoing: dict[str, list] = {}
        self._check_components()
        self._compile()
        from .engine import Engine
        self.engine: "Engine" = Engine(self)

    # --- support check ---------------------------------------------------------------------
    def _check_components(self) -> None:
        unsupported: list[tuple[str, str, str]] = []
        model = self.model

        def check(name: str, version: str, element_id: str) -> None:
            if STEPS.find(name, version) is None:
                unsupported.append((name, version, element_id))

        variant = model.variant
        if variant.cname:
            check(variant.cname, variant.version, "Collaboration_1")
        for scope in model.scopes.values():
            v = scope.variant
            if scope.kind == "exception":
                check(v.cname or "ErrorEventSubProcessTemplate", v.version, scope.id)
            else:
                check(v.cname or ("LocalIntegrationProcess" if scope.kind == "local" else "IntegrationProcess"),
                      v.version, scope.id)
            for node in scope.nodes.values():
                check(component_name(node), node.variant.version, node.id)
            for flow in scope.flows.values():
                if flow.props.get("cmdVariantUri"):
                    check(flow.variant.cname, flow.variant.version, flow.id)
        for channel in model.message_flows:
            key = (channel.component_type, channel.direction)
            if ADAPTERS.find(key, channel.variant.version) is None:
                name = f"{channel.component_type} {channel.direction.lower()} adapter"
                unsupported.append((name, channel.variant.version, channel.id))
        if unsupported:
            first = unsupported[0]
            raise UnsupportedComponent(first[0], first[1], first[2], components=unsupported)

    # --- compilation -------------------------------------------------------------------------
    def _compile(self) -> None:
        model = self.model
        if not model.main_processes():
            raise DeployError("the .iflw has no integration process (main process) to run")
        for scope in model.scopes.values():
            for flow in scope.flows.values():
                self.outgoing.setdefault(flow.source, []).append(flow)
        for channel in model.message_flows:
            cls = ADAPTERS.find((channel.component_type, channel.direction), channel.variant.version)
            if channel.source in model.nodes and channel.target in model.participants:
                self.receivers[channel.id] = cls(channel, self)
        for scope in model.scopes.values():
            for node in scope.nodes.values():
                cls = STEPS.find(component_name(node), node.variant.version)
                self.steps[node.id] = cls(node, self)
                if node.tag == "exclusiveGateway":
                    self._compile_router(node)
        for process in model.main_processes():
            for start in process.start_events():
                channels = [m for m in model.message_flows if m.target == start.id and m.source in model.participants]
                if start.event == "timer":
                    try:
                        schedule = parse_schedule(start.props.get("scheduleKey", ""))
                    except (ValueError, KeyError) as exc:
                        raise DeployError(f"{start.label}: invalid timer schedule: {exc}") from exc
                    self.timers.append((process, start, schedule))
                for channel in channels:
                    cls = ADAPTERS.find((channel.component_type, channel.direction), channel.variant.version)
                    self.senders.append(cls(channel, self, start, process))
                if not channels and start.event != "timer":
                    raise DeployError(f"{start.label}: the start event of process {process.name or process.id} "
                                      "has neither a sender channel nor a timer")
        for scope in model.scopes.values():
            starts = [n for n in scope.nodes.values() if n.tag == "startEvent"]
            if scope.kind in ("local", "exception") and len(starts) != 1:
                raise DeployError(f"process {scope.name or scope.id} ({scope.id}) needs exactly one start event, "
                                  f"has {len(starts)}")

    def _compile_router(self, node: Node) -> None:
        flows = self.outgoing.get(node.id, [])
        if not flows:
            raise DeployError(f"{node.label}: the router has no routes")
        kinds = set()
        for flow in flows:
            if flow.id == node.default_flow:
                continue
            condition = (flow.condition or "").strip()
            if not condition:
                raise DeployError(f"{node.label}: route {flow.name or flow.id} has no condition and is not the default")
            if flow.expression_type == "XML":
                try:
                    self.route_xpaths[flow.id] = xp.compile_xpath(condition, self.namespaces)
                except ValueError as exc:
                    raise DeployError(f"{node.label}: route {flow.name or flow.id}: {exc}") from exc
            kinds.add(flow.expression_type)
        if len(kinds) > 1:
            raise DeployError(f"{node.label}: the router mixes XML and non-XML conditions")

    # --- lookups -------------------------------------------------------------------------------
    def start_event(self, scope: Scope) -> Node:
        return next(n for n in scope.nodes.values() if n.tag == "startEvent")

    def timer(self) -> tuple[Scope, Node, Schedule] | None:
        return self.timers[0] if self.timers else None

    def condition(self, flow, ex, ctx) -> bool:
        if flow.expression_type == "XML":
            expression = flow.condition.strip()
            result = xp.evaluate(self.route_xpaths[flow.id], expression, xp.parse_body(ex, "Router"), ex)
            return xp.as_boolean(result)
        return simple.predicate(flow.condition, ex, ctx)
