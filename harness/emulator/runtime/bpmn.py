"""The ``.iflw`` read once into a graph: processes, flow nodes, sequence and message flows.

Every element's ``ifl:property`` map is kept as a dict (with ``{{parameters}}`` already resolved)
together with its cmdVariantUri split into ``cname`` and ``version``. Nothing here knows what a
step does; :mod:`.steps` and :mod:`.adapters` give the elements their meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from lxml import etree

from .errors import InvalidPackage, MissingParameter
from .package import PARAM_RE

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
IFL = "http:///com.sap.ifl.model/Ifl.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
_B = f"{{{BPMN}}}"

EVENT_DEFINITIONS = ("messageEventDefinition", "timerEventDefinition", "errorEventDefinition",
                     "escalationEventDefinition", "terminateEventDefinition")
FLOW_NODES = ("startEvent", "endEvent", "callActivity", "serviceTask", "exclusiveGateway",
              "parallelGateway", "inclusiveGateway", "intermediateCatchEvent",
              "intermediateThrowEvent", "task", "scriptTask", "userTask", "eventBasedGateway")


@dataclass(frozen=True)
class Variant:
    """A parsed cmdVariantUri: ``ctype::X/cname::Y/.../version::V``."""

    uri: str
    ctype: str = ""
    cname: str = ""
    version: str = ""
    vendor: str = ""
    tp: str = ""
    mp: str = ""
    direction: str = ""

    @classmethod
    def parse(cls, uri: str | None) -> "Variant":
        parts = {}
        for piece in (uri or "").split("/"):
            key, sep, value = piece.partition("::")
            if sep:
                parts[key] = value
        return cls(uri=uri or "", ctype=parts.get("ctype", ""), cname=parts.get("cname", ""),
                   version=parts.get("version", ""), vendor=parts.get("vendor", ""),
                   tp=parts.get("tp", ""), mp=parts.get("mp", ""),
                   direction=parts.get("direction", ""))


@dataclass
class SequenceFlow:
    id: str
    source: str
    target: str
    name: str = ""
    props: dict[str, str] = field(default_factory=dict)
    condition: str | None = None

    @property
    def variant(self) -> Variant:
        return Variant.parse(self.props.get("cmdVariantUri"))

    @property
    def expression_type(self) -> str:
        return self.props.get("expressionType", "XML")


@dataclass
class Loop:
    """``standardLoopCharacteristics`` of a Looping Process Call."""

    id: str
    condition: str
    maximum: int


@dataclass
class Node:
    """A flow node (event, step, gateway) or an exception subprocess."""

    id: str
    name: str
    tag: str
    props: dict[str, str]
    scope_id: str
    incoming: list[str] = field(default_factory=list)
    outgoing: list[str] = field(default_factory=list)
    event: str | None = None          # message, timer, error, escalation, terminate
    default_flow: str | None = None
    loop: Loop | None = None

    @property
    def variant(self) -> Variant:
        return Variant.parse(self.props.get("cmdVariantUri"))

    @property
    def label(self) -> str:
        return f"{self.name or self.tag} ({self.id})"


@dataclass
class Scope:
    """A process (main or local) or an exception subprocess: nodes and the flows between them."""

    id: str
    name: str
    kind: str                       # main, local, exception
    props: dict[str, str]
    nodes: dict[str, Node] = field(default_factory=dict)
    flows: dict[str, SequenceFlow] = field(default_factory=dict)
    subprocesses: list["Scope"] = field(default_factory=list)
    parent: str | None = None

    @property
    def variant(self) -> Variant:
        return Variant.parse(self.props.get("cmdVariantUri"))

    def start_events(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.tag == "startEvent"]

    def exception_subprocess(self) -> "Scope | None":
        return self.subprocesses[0] if self.subprocesses else None


@dataclass
class Participant:
    id: str
    name: str
    type: str
    process_ref: str | None
    props: dict[str, str]


@dataclass
class MessageFlow:
    """An adapter channel: sender (participant -> start event) or receiver (step -> participant)."""

    id: str
    name: str
    source: str
    target: str
    props: dict[str, str]

    @property
    def variant(self) -> Variant:
        return Variant.parse(self.props.get("cmdVariantUri"))

    @property
    def component_type(self) -> str:
        return self.props.get("ComponentType") or self.variant.cname.removeprefix("sap:")

    @property
    def direction(self) -> str:
        return self.props.get("direction") or self.variant.direction

    @property
    def label(self) -> str:
        return f"{self.component_type} {self.direction.lower()} channel {self.name or ''} ({self.id})"


@dataclass
class IFlowModel:
    """The whole ``.iflw``."""

    props: dict[str, str]
    participants: dict[str, Participant]
    message_flows: list[MessageFlow]
    processes: dict[str, Scope]
    scopes: dict[str, Scope]
    nodes: dict[str, Node]

    @property
    def variant(self) -> Variant:
        return Variant.parse(self.props.get("cmdVariantUri"))

    def main_processes(self) -> list[Scope]:
        return [p for p in self.processes.values() if p.kind == "main"]

    def sender_flows(self) -> list[MessageFlow]:
        return [m for m in self.message_flows if m.target in self.nodes and m.source in self.participants]

    def receiver_flow(self, node_id: str) -> MessageFlow | None:
        """The channel leaving a step or end event (Request-Reply, Send, message end)."""
        for m in self.message_flows:
            if m.source == node_id and m.target in self.participants:
                return m
        return None

    def namespaces(self) -> dict[str, str]:
        """The collaboration's ``namespaceMapping``: ``xmlns:p=uri;xmlns:q=uri``."""
        result = {}
        for decl in (self.props.get("namespaceMapping") or "").split(";"):
            decl = decl.strip()
            if not decl:
                continue
            key, _, uri = decl.partition("=")
            prefix = key.strip().removeprefix("xmlns:")
            if prefix and uri:
                result[prefix] = uri.strip()
        return result


class _Resolver:
    """Resolves ``{{Name}}`` in every value, collecting the names that have no value."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = values
        self.missing: list[str] = []

    def __call__(self, text: str | None) -> str:
        if not text:
            return text or ""

        def sub(match):
            name = match.group(1)
            if name in self.values:
                return self.values[name]
            self.missing.append(name)
            return match.group(0)

        return PARAM_RE.sub(sub, text)


def _props(el, resolve: _Resolver) -> dict[str, str]:
    ext = el.find(f"{_B}extensionElements")
    result: dict[str, str] = {}
    if ext is None:
        return result
    for prop in ext.findall(f"{{{IFL}}}property"):
        key = prop.findtext("key")
        if key is not None:
            result[key] = resolve(prop.findtext("value") or "")
    return result


def load_model(iflw: bytes, parameters: Mapping[str, str]) -> IFlowModel:
    """Parse an ``.iflw``; raise :class:`InvalidPackage` or :class:`MissingParameter`."""
    try:
        root = etree.fromstring(iflw, parser=etree.XMLParser(resolve_entities=False, no_network=True,
                                                             huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise InvalidPackage(f"the .iflw is not well-formed XML: {exc}") from exc
    if root.tag != f"{_B}definitions":
        raise InvalidPackage(f"the .iflw root is {root.tag}, expected bpmn2:definitions")
    resolve = _Resolver(parameters)
    collab = root.find(f"{_B}collaboration")
    props = _props(collab, resolve) if collab is not None else {}
    participants: dict[str, Participant] = {}
    flows: list[MessageFlow] = []
    if collab is not None:
        for el in collab.findall(f"{_B}participant"):
            pprops = _props(el, resolve)
            ptype = el.get(f"{{{IFL}}}type") or pprops.get("ifl:type", "")
            participants[el.get("id")] = Participant(el.get("id"), el.get("name", ""), ptype,
                                                     el.get("processRef"), pprops)
        for el in collab.findall(f"{_B}messageFlow"):
            flows.append(MessageFlow(el.get("id"), el.get("name", ""), el.get("sourceRef", ""),
                                     el.get("targetRef", ""), _props(el, resolve)))
    processes: dict[str, Scope] = {}
    scopes: dict[str, Scope] = {}
    nodes: dict[str, Node] = {}
    for el in root.findall(f"{_B}process"):
        pprops = _props(el, resolve)
        cname = Variant.parse(pprops.get("cmdVariantUri")).cname
        kind = "local" if (cname == "LocalIntegrationProcess" or pprops.get("processType") == "directCall") else "main"
        scope = _scope(el, kind, pprops, None, resolve, scopes, nodes)
        processes[scope.id] = scope
    if resolve.missing:
        raise MissingParameter(resolve.missing)
    return IFlowModel(props=props, participants=participants, message_flows=flows,
                      processes=processes, scopes=scopes, nodes=nodes)


def _scope(el, kind: str, props: dict[str, str], parent: str | None, resolve: _Resolver,
           scopes: dict[str, Scope], nodes: dict[str, Node]) -> Scope:
    scope = Scope(id=el.get("id"), name=el.get("name", ""), kind=kind, props=props, parent=parent)
    scopes[scope.id] = scope
    for child in el:
        if not isinstance(child.tag, str) or not child.tag.startswith(_B):
            continue
        local = child.tag[len(_B):]
        if local == "sequenceFlow":
            cond = child.find(f"{_B}conditionExpression")
            scope.flows[child.get("id")] = SequenceFlow(
                id=child.get("id"), source=child.get("sourceRef", ""), target=child.get("targetRef", ""),
                name=child.get("name", ""), props=_props(child, resolve),
                condition=resolve(cond.text or "") if cond is not None else None)
        elif local == "subProcess":
            sub = _scope(child, "exception", _props(child, resolve), scope.id, resolve, scopes, nodes)
            scope.subprocesses.append(sub)
            node = Node(id=sub.id, name=sub.name, tag="subProcess", props=sub.props, scope_id=scope.id)
            nodes[sub.id] = node
        elif local in FLOW_NODES:
            node = _node(child, local, scope.id, resolve)
            scope.nodes[node.id] = node
            nodes[node.id] = node
    return scope


def _node(el, tag: str, scope_id: str, resolve: _Resolver) -> Node:
    props = _props(el, resolve)
    event = None
    for name in EVENT_DEFINITIONS:
        definition = el.find(f"{_B}{name}")
        if definition is not None:
            event = name.removesuffix("EventDefinition")
            # timer, error and escalation events keep their properties on the definition
            for key, value in _props(definition, resolve).items():
                props.setdefault(key, value)
            break
    node = Node(id=el.get("id"), name=el.get("name", ""), tag=tag, props=props, scope_id=scope_id,
                incoming=[i.text.strip() for i in el.findall(f"{_B}incoming") if i.text],
                outgoing=[o.text.strip() for o in el.findall(f"{_B}outgoing") if o.text],
                event=event, default_flow=el.get("default"))
    loop = el.find(f"{_B}standardLoopCharacteristics")
    if loop is not None:
        cond = loop.find(f"{_B}loopCondition")
        maximum = loop.get("loopMaximum") or "9999"
        try:
            max_int = int(resolve(maximum))
        except ValueError:
            max_int = 9999
        node.loop = Loop(id=loop.get("id", ""), condition=resolve(cond.text if cond is not None else ""),
                         maximum=max_int)
    return node
