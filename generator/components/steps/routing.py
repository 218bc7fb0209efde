"""Router (exclusive gateway 1.1.2) and its routes (``GatewayRoute`` 1.0.0)."""

from __future__ import annotations

from generator.components.base import Component, Field
from generator.components.steps.base import FlowStep


class Router(FlowStep):
    """Sends the message down the first route whose condition holds, else the default route."""

    summary = "Router: XML (XPath) or non-XML (Camel Simple) conditions, one default route"
    tag = "exclusiveGateway"
    cname = "ExclusiveGateway"
    version = "1.1.2"
    activity_type = "ExclusiveGateway"
    keys = ("componentVersion", "activityType", "cmdVariantUri", "throwException")
    fields = (Field("throwException", "throw_on_default", "false", "boolean",
                    doc="raise an error when the default route is taken"),)
    size = (40.0, 40.0)


class Route(Component):
    """One route of a router; ``expressionType`` is ``XML`` or ``NonXML``."""

    cname = "GatewayRoute"
    version = "1.0.0"
    keys = ("expressionType", "componentVersion", "cmdVariantUri")
    fixed = {"expressionType": "XML"}
