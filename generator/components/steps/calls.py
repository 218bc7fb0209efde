"""Request-Reply, Send, Process Call and Looping Process Call."""

from __future__ import annotations

from generator.components.base import Field
from generator.components.steps.base import FlowStep


class RequestReply(FlowStep):
    """Calls a receiver and continues with its response."""

    summary = "Request-Reply: synchronous call of a receiver"
    tag = "serviceTask"
    cname = "ExternalCall"
    version = "1.0.4"
    activity_type = "ExternalCall"
    keys = ("componentVersion", "activityType", "cmdVariantUri")


class Send(FlowStep):
    """Sends to a receiver without waiting for a response (JMS, ProcessDirect ...)."""

    summary = "Send: asynchronous call of a receiver"
    tag = "serviceTask"
    cname = "Send"
    version = "1.0.4"
    activity_type = "Send"
    keys = ("componentVersion", "activityType", "cmdVariantUri")


class ProcessCall(FlowStep):
    """Runs a Local Integration Process once."""

    summary = "Process Call: runs a local integration process"
    cname = "NonLoopingProcess"
    version = "1.0.4"
    activity_type = "ProcessCallElement"
    sub_activity_type = "NonLoopingProcess"
    keys = ("processId", "componentVersion", "activityType", "cmdVariantUri", "subActivityType")
    fixed = {"processId": ""}


class LoopingProcessCall(FlowStep):
    """Runs a Local Integration Process while a (non-XML) condition holds."""

    summary = "Looping Process Call: runs a local integration process while a condition holds"
    cname = "LoopingProcess"
    version = "1.3.0"
    activity_type = "ProcessCallElement"
    sub_activity_type = "LoopingProcess"
    keys = ("postProcessing", "loopId", "processId", "expressionType", "componentVersion",
            "activityType", "cmdVariantUri", "subActivityType")
    fields = (Field("postProcessing", "on_max", "throwException", "choice",
                    ("end", "throwException", "mark"),
                    doc="what happens when the maximum number of iterations is reached"),)
    fixed = {"loopId": "", "processId": "", "expressionType": "Non XML"}
