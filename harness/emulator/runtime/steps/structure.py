"""Events, the router and the containers: the engine gives them their meaning, the registry
lists the versions the interpreter knows (everything else fails the deploy)."""

from __future__ import annotations

from ..registry import STEPS
from .base import Step


class Structural(Step):
    """A node the engine handles itself (start/end events, gateways)."""

    def process(self, ex, ctx) -> None:
        return None


@STEPS.register("MessageStartEvent")
class MessageStartEvent(Structural):
    title = "Start (message)"
    min_version = max_version = "1.0"
    versionless = True


@STEPS.register("StartEvent")
class StartEvent(Structural):
    title = "Start (local process)"
    versionless = True


@STEPS.register("MessageEndEvent")
class MessageEndEvent(Structural):
    title = "End (message)"
    min_version = "1.0"
    max_version = "1.1"
    versionless = True


@STEPS.register("EndEvent")
class EndEvent(Structural):
    title = "End (local process)"
    versionless = True


@STEPS.register("ErrorStartEvent")
class ErrorStartEvent(Structural):
    title = "Error Start (exception subprocess)"
    versionless = True


@STEPS.register("ErrorEndEvent")
class ErrorEndEvent(Structural):
    title = "Error End: re-throws the exception"
    versionless = True


@STEPS.register("EscalationEndEvent")
class EscalationEndEvent(Structural):
    title = "Escalation End: ends with status ESCALATED"
    min_version = max_version = "1.0"
    versionless = True


@STEPS.register("TerminateEndEvent")
class TerminateEndEvent(Structural):
    title = "Terminate End: stops processing"
    versionless = True


@STEPS.register("intermediatetimer")
class TimerStartEvent(Structural):
    title = "Timer start"
    min_version = "1.0"
    max_version = "1.4"


@STEPS.register("ExclusiveGateway")
class Router(Structural):
    """Router: conditions are compiled on the routes (see :mod:`..routing`)."""

    title = "Router"
    min_version = max_version = "1.1"
    versionless = True


@STEPS.register("GatewayRoute")
class Route(Structural):
    title = "Route (router branch)"
    min_version = max_version = "1.0"


@STEPS.register("ErrorEventSubProcessTemplate")
class ExceptionSubprocess(Structural):
    title = "Exception Subprocess"
    min_version = "1.0"
    max_version = "1.1"


@STEPS.register("IntegrationProcess")
class IntegrationProcess(Structural):
    title = "Integration Process"
    min_version = "1.0"
    max_version = "1.2"


@STEPS.register("LocalIntegrationProcess")
class LocalIntegrationProcess(Structural):
    title = "Local Integration Process"
    min_version = "1.0"
    max_version = "1.1"


@STEPS.register("IFlowConfiguration")
class IFlowConfiguration(Structural):
    title = "Integration flow configuration"
    min_version = "1.0"
    max_version = "1.2"
    versionless = True
