"""Routers: a default route, conditions on every other route, no mixed XML/non-XML conditions."""

from __future__ import annotations

from generator.lint.artifact import NS
from generator.lint.rules.base import Rule


class RouterRules(Rule):
    id = "router-rules"

    def check(self, view):
        rule = type(self)
        for gateway in view.all("//bpmn2:exclusiveGateway"):
            gid = gateway.get("id")
            container = gateway.getparent()
            routes = [f for f in container.findall("bpmn2:sequenceFlow", NS) if f.get("sourceRef") == gid]
            default = gateway.get("default")
            if not default:
                yield view.finding(rule, "the router has no default route", gid)
            kinds = set()
            for route in routes:
                condition = route.find("bpmn2:conditionExpression", NS)
                if route.get("id") == default:
                    if condition is not None:
                        yield view.finding(rule, "the default route has a condition", route.get("id"))
                    continue
                if condition is None or not (condition.text or "").strip():
                    yield view.finding(rule, "a non-default route has no condition", route.get("id"))
                    continue
                kinds.add(view.props(route).get("expressionType", ""))
            if len(kinds) > 1:
                yield view.finding(rule, "the router mixes XML and non-XML conditions, which is not "
                                   "allowed", gid)
