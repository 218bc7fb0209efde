"""Dataclasses for one iFlow: collaboration, participants, processes, nodes and flows.

The model is already in the tenant's terms (ids, BPMN element names, ``ifl:property`` lists in
export order); building it from a spec is ``generator.model.assemble``'s job, writing it out is
``generator.render``'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

Properties = list[tuple[str, str]]


@dataclass
class EventDefinition:
    """``bpmn2:<kind>EventDefinition`` of an event; timer/error/escalation hold the properties."""

    kind: str  # message | timer | error | escalation
    id: str | None = None
    properties: Properties = field(default_factory=list)


@dataclass
class Loop:
    """``bpmn2:standardLoopCharacteristics`` of a Looping Process Call."""

    id: str
    maximum: int
    condition_id: str
    condition: str


@dataclass
class Node:
    """A flow node: event, step, gateway or exception subprocess."""

    id: str
    tag: str  # startEvent | endEvent | callActivity | serviceTask | exclusiveGateway | subProcess
    name: str
    properties: Properties = field(default_factory=list)
    size: tuple[float, float] = (100.0, 60.0)
    event: EventDefinition | None = None
    default_flow: str | None = None
    loop: Loop | None = None
    incoming: list[str] = field(default_factory=list)
    outgoing: list[str] = field(default_factory=list)
    #: The contents of an exception subprocess.
    nodes: list["Node"] = field(default_factory=list)
    flows: list["SequenceFlow"] = field(default_factory=list)

    def prop(self, key: str) -> str | None:
        """The value of one property, or None."""
        for k, v in self.properties:
            if k == key:
                return v
        return None


@dataclass
class SequenceFlow:
    """A ``bpmn2:sequenceFlow``; a router's routes carry properties and maybe a condition."""

    id: str
    source: str
    target: str
    name: str | None = None
    properties: Properties = field(default_factory=list)
    condition_id: str | None = None
    condition: str | None = None


@dataclass
class Process:
    """An integration process or a Local Integration Process."""

    id: str
    name: str
    properties: Properties
    local: bool
    nodes: list[Node] = field(default_factory=list)
    flows: list[SequenceFlow] = field(default_factory=list)


@dataclass
class Participant:
    """A pool: sender, receiver (``EndpointRecevier``, spelled as the tenant spells it) or process."""

    id: str
    name: str
    type: str  # EndpointSender | EndpointRecevier | IntegrationProcess
    process_ref: str | None = None


@dataclass
class MessageFlow:
    """An adapter channel between a participant and a node."""

    id: str
    name: str
    source: str
    target: str
    properties: Properties


@dataclass
class ParamReference:
    """A ``param_references`` entry: which adapter field a parameter fills."""

    category: str
    attribute_id: str
    label: str


@dataclass
class Parameter:
    """An externalized parameter (``{{Name}}``) with its value and definition."""

    name: str
    type: str = "string"  # string | integer | boolean | schedule
    value: str = ""
    description: str = ""
    combobox: bool | None = None
    references: list[ParamReference] = field(default_factory=list)
    used: bool = False


@dataclass
class IFlow:
    """One integration flow artifact."""

    id: str
    name: str
    description: str
    version: str
    file_name: str
    collaboration: Properties
    participants: list[Participant]
    message_flows: list[MessageFlow]
    processes: list[Process]
    parameters: dict[str, Parameter]
    #: Packaged resources: path under ``src/main/resources/`` -> source file.
    resources: dict[str, Path] = field(default_factory=dict)
    #: Script collections referenced by ``scriptBundleId`` (MANIFEST ``Require-Capability``).
    script_collections: list[str] = field(default_factory=list)
    singleton: bool = False
    modified_ms: int = 0
    spec_file: str = ""
