"""Every participant and flow node has a diagram shape, every flow an edge."""

from __future__ import annotations

from generator.lint.rules.base import Rule

SHAPED = ("//bpmn2:participant", "//bpmn2:process//bpmn2:startEvent", "//bpmn2:process//bpmn2:endEvent",
          "//bpmn2:process//bpmn2:callActivity", "//bpmn2:process//bpmn2:serviceTask",
          "//bpmn2:process//bpmn2:exclusiveGateway", "//bpmn2:process//bpmn2:parallelGateway",
          "//bpmn2:process//bpmn2:subProcess", "//bpmn2:process//bpmn2:intermediateCatchEvent",
          "//bpmn2:process//bpmn2:intermediateThrowEvent")


class DiagramComplete(Rule):
    id = "diagram-complete"

    def check(self, view):
        rule = type(self)
        shapes = {s.get("bpmnElement") for s in view.all("//bpmndi:BPMNShape")}
        edges = {e.get("bpmnElement") for e in view.all("//bpmndi:BPMNEdge")}
        if not view.all("//bpmndi:BPMNDiagram"):
            yield view.finding(rule, "the iFlow has no bpmndi:BPMNDiagram")
            return
        for element in view.all(" | ".join(SHAPED)):
            if element.get("id") not in shapes:
                yield view.finding(rule, "no diagram shape (the designer cannot show it)", element.get("id"))
        for flow in view.all("//bpmn2:sequenceFlow | //bpmn2:messageFlow"):
            if flow.get("id") not in edges:
                yield view.finding(rule, "no diagram edge", flow.get("id"))
        for ref in sorted((shapes | edges) - set(view.ids)):
            yield view.finding(rule, "the diagram refers to an element that does not exist", ref)
