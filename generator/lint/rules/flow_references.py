"""Sequence flows, message flows, defaults, process calls and loops reference existing elements."""

from __future__ import annotations

from generator.lint.artifact import NS
from generator.lint.rules.base import Rule

NODE_TAGS = ("startEvent", "endEvent", "callActivity", "serviceTask", "exclusiveGateway",
             "parallelGateway", "intermediateCatchEvent", "intermediateThrowEvent", "subProcess")


class FlowsReferenceExistingElements(Rule):
    id = "flow-references"

    def check(self, view):
        rule = type(self)
        ids = view.ids
        for container in view.all("//bpmn2:process | //bpmn2:subProcess"):
            local = {c.get("id") for c in container if c.get("id")}
            flows = container.findall("bpmn2:sequenceFlow", NS)
            for flow in flows:
                for attr in ("sourceRef", "targetRef"):
                    ref = flow.get(attr)
                    if ref not in local:
                        yield view.finding(rule, f"{attr} {ref!r} is not an element of "
                                           f"{container.get('id')}", flow.get("id"))
            by_id = {f.get("id"): f for f in flows}
            for node in container:
                tag = node.tag.split("}")[-1]
                if tag not in NODE_TAGS or tag == "subProcess":
                    continue
                for direction, attr in (("incoming", "targetRef"), ("outgoing", "sourceRef")):
                    listed = {e.text for e in node.findall(f"bpmn2:{direction}", NS)}
                    actual = {i for i, f in by_id.items() if f.get(attr) == node.get("id")}
                    if listed != actual:
                        yield view.finding(rule, f"{direction} lists {sorted(listed)} but the "
                                           f"sequence flows are {sorted(actual)}", node.get("id"))
                default = node.get("default")
                if default and (default not in by_id or by_id[default].get("sourceRef") != node.get("id")):
                    yield view.finding(rule, f"default {default!r} is not an outgoing flow", node.get("id"))
        for flow in view.all("//bpmn2:messageFlow"):
            for attr in ("sourceRef", "targetRef"):
                if flow.get(attr) not in ids:
                    yield view.finding(rule, f"{attr} {flow.get(attr)!r} does not exist", flow.get("id"))
        processes = {p.get("id") for p in view.all("//bpmn2:process")}
        for participant in view.all("//bpmn2:participant[@processRef]"):
            if participant.get("processRef") not in processes:
                yield view.finding(rule, f"processRef {participant.get('processRef')!r} does not exist",
                                   participant.get("id"))
        for call in view.all("//bpmn2:callActivity"):
            props = view.props(call)
            if props.get("activityType") != "ProcessCallElement":
                continue
            if props.get("processId") not in processes:
                yield view.finding(rule, f"processId {props.get('processId')!r} is not a process",
                                   call.get("id"))
            loop = call.find("bpmn2:standardLoopCharacteristics", NS)
            if "loopId" in props and (loop is None or loop.get("id") != props["loopId"]):
                yield view.finding(rule, f"loopId {props['loopId']!r} does not match the loop element",
                                   call.get("id"))
