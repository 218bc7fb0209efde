"""Write an ``IFlow`` model as the ``.iflw`` BPMN2 document, serialized like a tenant export.

Serialization facts (FORMAT.md §5.1): the XML declaration and the root on one line, 4-space
indentation, LF, no trailing newline, attributes in alphabetical order, ``<value/>`` for empty
values, XML-holding values as escaped text.
"""

from __future__ import annotations

from lxml import etree

from generator.model.iflow import IFlow, Node, Process, SequenceFlow
from generator.render.layout import Diagram, layout

NS = {
    "bpmn2": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "ifl": "http:///com.sap.ifl.model/Ifl.xsd",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'


def _q(name: str) -> str:
    prefix, local = name.split(":") if ":" in name else ("", name)
    return f"{{{NS[prefix]}}}{local}" if prefix else local


def _el(parent: etree._Element | None, name: str, attrs: dict[str, str | None] | None = None,
        text: str | None = None) -> etree._Element:
    """An element with its attributes set in alphabetical order of their written names."""
    element = etree.Element(_q(name), nsmap=NS) if parent is None else etree.SubElement(parent, _q(name))
    for key in sorted(k for k, v in (attrs or {}).items() if v is not None):
        element.set(_q(key), str(attrs[key]))
    if text:
        element.text = text
    return element


def _properties(parent: etree._Element, properties: list[tuple[str, str]]) -> None:
    ext = _el(parent, "bpmn2:extensionElements")
    for key, value in properties:
        prop = _el(ext, "ifl:property")
        _el(prop, "key", text=key)
        _el(prop, "value", text=value or None)


def render_iflw(iflow: IFlow, diagram: Diagram | None = None) -> bytes:
    """The ``.iflw`` file content."""
    diagram = diagram or layout(iflow)
    root = _el(None, "bpmn2:definitions", {"id": "Definitions_1"})
    collaboration = _el(root, "bpmn2:collaboration", {"id": "Collaboration_1", "name": "Default Collaboration"})
    _properties(collaboration, iflow.collaboration)
    for participant in iflow.participants:
        element = _el(collaboration, "bpmn2:participant",
                      {"id": participant.id, "ifl:type": participant.type, "name": participant.name,
                       "processRef": participant.process_ref})
        if participant.type == "IntegrationProcess":
            _el(element, "bpmn2:extensionElements")
        elif participant.type == "EndpointSender":
            _properties(element, [("enableBasicAuthentication", "false"), ("ifl:type", participant.type)])
        else:
            _properties(element, [("ifl:type", participant.type)])
    for flow in iflow.message_flows:
        element = _el(collaboration, "bpmn2:messageFlow",
                      {"id": flow.id, "name": flow.name, "sourceRef": flow.source, "targetRef": flow.target})
        _properties(element, flow.properties)
    for process in iflow.processes:
        _process(root, process)
    _diagram(root, iflow, diagram)
    etree.indent(root, space="    ")
    return (DECLARATION + etree.tostring(root, encoding="unicode")).encode("utf-8")


def _process(root: etree._Element, process: Process) -> None:
    element = _el(root, "bpmn2:process", {"id": process.id, "name": process.name})
    _properties(element, process.properties)
    _nodes(element, process.nodes, process.flows)


def _nodes(parent: etree._Element, nodes: list[Node], flows: list[SequenceFlow]) -> None:
    for node in sorted(nodes, key=lambda n: n.tag != "subProcess"):
        _node(parent, node)
    for flow in flows:
        element = _el(parent, "bpmn2:sequenceFlow", {"id": flow.id, "name": flow.name,
                                                     "sourceRef": flow.source, "targetRef": flow.target})
        if flow.properties:
            _properties(element, flow.properties)
        if flow.condition is not None:
            _el(element, "bpmn2:conditionExpression",
                {"id": flow.condition_id, "xsi:type": "bpmn2:tFormalExpression"}, flow.condition)


def _node(parent: etree._Element, node: Node) -> None:
    element = _el(parent, f"bpmn2:{node.tag}", {"default": node.default_flow, "id": node.id, "name": node.name})
    if node.properties:
        _properties(element, node.properties)
    if node.tag == "subProcess":
        _nodes(element, node.nodes, node.flows)
        return
    for flow_id in node.incoming:
        _el(element, "bpmn2:incoming", text=flow_id)
    for flow_id in node.outgoing:
        _el(element, "bpmn2:outgoing", text=flow_id)
    if node.event is not None:
        definition = _el(element, f"bpmn2:{node.event.kind}EventDefinition", {"id": node.event.id})
        if node.event.properties:
            _properties(definition, node.event.properties)
    if node.loop is not None:
        loop = _el(element, "bpmn2:standardLoopCharacteristics",
                   {"id": node.loop.id, "loopMaximum": str(node.loop.maximum)})
        _el(loop, "bpmn2:loopCondition", {"id": node.loop.condition_id,
                                          "xsi:type": "bpmn2:tFormalExpression"}, node.loop.condition)


def _num(value: float) -> str:
    return str(float(round(value, 1)))


def _diagram(root: etree._Element, iflow: IFlow, diagram: Diagram) -> None:
    bpmn_diagram = _el(root, "bpmndi:BPMNDiagram", {"id": "BPMNDiagram_1", "name": "Default Collaboration Diagram"})
    plane = _el(bpmn_diagram, "bpmndi:BPMNPlane", {"bpmnElement": "Collaboration_1", "id": "BPMNPlane_1"})
    for element_id, box in diagram.shapes.items():
        shape = _el(plane, "bpmndi:BPMNShape", {"bpmnElement": element_id, "id": f"BPMNShape_{element_id}"})
        _el(shape, "dc:Bounds", {"height": _num(box.h), "width": _num(box.w), "x": _num(box.x), "y": _num(box.y)})
    for flow_id, points in diagram.edges.items():
        source, target = diagram.edge_ends[flow_id]
        edge = _el(plane, "bpmndi:BPMNEdge", {"bpmnElement": flow_id, "id": f"BPMNEdge_{flow_id}",
                                              "sourceElement": f"BPMNShape_{source}",
                                              "targetElement": f"BPMNShape_{target}"})
        for x, y in points:
            _el(edge, "di:waypoint", {"x": _num(x), "xsi:type": "dc:Point", "y": _num(y)})
