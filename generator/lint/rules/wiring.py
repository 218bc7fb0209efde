"""Adapters are wired as a tenant wires them; every process has its participant."""

from __future__ import annotations

from generator.lint.artifact import NS
from generator.lint.rules.base import Rule


class MessageFlowWiring(Rule):
    id = "message-flow-wiring"

    def check(self, view):
        rule = type(self)
        participants = {p.get("id"): p for p in view.all("//bpmn2:participant")}
        type_attr = f"{{{NS['ifl']}}}type"
        for flow in view.all("//bpmn2:messageFlow"):
            props = view.props(flow)
            fid = flow.get("id")
            for key in ("ComponentType", "direction", "cmdVariantUri"):
                if key not in props:
                    yield view.finding(rule, f"the channel has no {key}", fid)
            source, target = view.ids.get(flow.get("sourceRef")), view.ids.get(flow.get("targetRef"))
            if source is None or target is None:
                continue
            if props.get("direction") == "Sender":
                ok = (participants.get(source.get("id")) is not None
                      and source.get(type_attr) == "EndpointSender"
                      and target.tag == f"{{{NS['bpmn2']}}}startEvent")
                if not ok:
                    yield view.finding(rule, "a sender channel must go from an EndpointSender to a "
                                       "start event", fid)
                if target.tag.endswith("startEvent") and target.find("bpmn2:messageEventDefinition", NS) is None:
                    yield view.finding(rule, "a sender channel must end at a message start event", fid)
            elif props.get("direction") == "Receiver":
                if target.get(type_attr) != "EndpointRecevier":
                    yield view.finding(rule, "a receiver channel must end at an EndpointRecevier "
                                       "participant", fid)
            participant = source if source.get("id") in participants else target
            if props.get("system") and props["system"] != participant.get("name"):
                yield view.finding(rule, f"system {props['system']!r} differs from the participant "
                                   f"name {participant.get('name')!r}", fid, severity="warning")


class ProcessParticipants(Rule):
    id = "process-participants"

    def check(self, view):
        rule = type(self)
        refs = {p.get("processRef") for p in view.all("//bpmn2:participant[@processRef]")}
        called = {view.props(c).get("processId") for c in view.all("//bpmn2:callActivity")}
        for process in view.all("//bpmn2:process"):
            pid = process.get("id")
            props = view.props(process)
            if pid not in refs:
                yield view.finding(rule, "the process has no IntegrationProcess participant", pid)
            if "LocalIntegrationProcess" in props.get("cmdVariantUri", ""):
                if props.get("processType") != "directCall":
                    yield view.finding(rule, "a local integration process needs processType=directCall", pid)
                if pid not in called:
                    yield view.finding(rule, "the local integration process is never called", pid,
                                       severity="warning")
