"""General and Iterating Splitter 1.6.0, Gather 1.2.0."""

from __future__ import annotations

from generator.components.base import Field
from generator.components.steps.base import FlowStep

_SPLIT_FIELDS = (
    Field("exprType", "expression_type", "XPath", "choice", ("XPath", "Line Break", "Token")),
    Field("splitExprValue", "expression", doc="XPath of the elements to split at"),
    Field("grouping", "grouping", doc="number of items per split message"),
    Field("Streaming", "streaming", "true", "boolean"),
    Field("StopOnExecution", "stop_on_error", "true", "boolean"),
    Field("ParallelProcessing", "parallel", "false", "boolean"),
    Field("SplitterThreads", "threads", "10", "integer"),
    Field("timeOut", "timeout_s", "300", "integer"),
)


class GeneralSplitter(FlowStep):
    """Splits a message, keeping the enveloping elements in each part."""

    summary = "General Splitter"
    cname = "GeneralSplitter"
    version = "1.6.0"
    activity_type = "Splitter"
    keys = ("exprType", "Streaming", "StopOnExecution", "SplitterThreads", "splitExprValue",
            "ParallelProcessing", "componentVersion", "activityType", "cmdVariantUri", "grouping",
            "splitType", "timeOut")
    fields = _SPLIT_FIELDS
    fixed = {"splitType": "GeneralSplitter"}


class IteratingSplitter(FlowStep):
    """Splits a message into its repeating elements only."""

    summary = "Iterating Splitter"
    cname = "Camel"
    version = "1.6.0"
    activity_type = "Splitter"
    keys = ("exprType", "Streaming", "StopOnExecution", "splitExprValue", "ParallelProcessing",
            "componentVersion", "grouping", "splitType", "timeOut", "SplitterThreads",
            "activityType", "cmdVariantUri", "tokenValue")
    fields = _SPLIT_FIELDS
    fixed = {"splitType": "IteratingSplitter", "tokenValue": ""}

    @classmethod
    def fill(cls, options):
        values = super().fill(options)
        values["tokenValue"] = values["splitExprValue"]
        return values


class Gather(FlowStep):
    """Merges the messages of a split back into one."""

    summary = "Gather"
    cname = "Gather"
    version = "1.2.0"
    activity_type = "Gather"
    keys = ("targetXPath", "sourceXPath", "messageType", "aggregationAlgorithm",
            "componentVersion", "activityType", "cmdVariantUri", "gatherFileNames")
    fields = (
        Field("messageType", "message_type", "SameXMLFormat", "choice",
              ("SameXMLFormat", "PlainText", "DiffXMLFormat")),
        Field("aggregationAlgorithm", "strategy", "sap-identical-multi-mapping", "choice",
              ("concatenate-strategy", "sap-identical-multi-mapping", "xpath-merge-strategy",
               "sap-pi-multi-mapping")),
        Field("sourceXPath", "source_xpath"),
        Field("targetXPath", "target_xpath"),
        Field("gatherFileNames", "file_names"),
    )
