"""Flow steps: the nodes inside a process (``callActivity``, ``serviceTask``, events, gateways)."""

from __future__ import annotations

from typing import ClassVar

from generator.components.base import Component


class FlowStep(Component):
    """A step with an ``activityType`` (and maybe a ``subActivityType``)."""

    #: The BPMN element the step is written as.
    tag: ClassVar[str] = "callActivity"
    activity_type: ClassVar[str] = ""
    sub_activity_type: ClassVar[str | None] = None
    #: Diagram size (width, height).
    size: ClassVar[tuple[float, float]] = (100.0, 60.0)

    @classmethod
    def defaults(cls) -> dict[str, str]:
        values = super().defaults()
        if "activityType" in cls.keys:
            values["activityType"] = cls.activity_type
        if cls.sub_activity_type is not None:
            values["subActivityType"] = cls.sub_activity_type
        return values


class Event(Component):
    """Start and end events (32 x 32 in the diagram)."""

    tag: ClassVar[str] = "startEvent"
    activity_type: ClassVar[str] = ""
    #: ``message``, ``timer``, ``error``, ``escalation`` or None; where the definition holds the
    #: properties (timer, error, escalation), the event element itself has none.
    definition: ClassVar[str | None] = None
    props_on_definition: ClassVar[bool] = False
    size: ClassVar[tuple[float, float]] = (32.0, 32.0)

    @classmethod
    def defaults(cls) -> dict[str, str]:
        values = super().defaults()
        if "activityType" in cls.keys:
            values["activityType"] = cls.activity_type
        return values
