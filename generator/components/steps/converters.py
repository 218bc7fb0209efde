"""JSON to XML 1.1.2 and XML to JSON 1.0.8 converters."""

from __future__ import annotations

from generator.components.base import Field
from generator.components.steps.base import FlowStep


class JsonToXml(FlowStep):
    """Converts a JSON body to XML."""

    summary = "JSON to XML converter"
    cname = "JsonToXmlConverter"
    version = "1.1.2"
    activity_type = "JsonToXmlConverter"
    keys = ("additionalRootElementName", "jsonNamespaceMapping", "componentVersion",
            "activityType", "cmdVariantUri", "useNamespaces", "addXMLRootElement",
            "additionalRootElementNamespace", "jsonNamespaceSeparator")
    fields = (
        Field("addXMLRootElement", "add_root", "true", "boolean"),
        Field("additionalRootElementName", "root", "root"),
        Field("additionalRootElementNamespace", "root_namespace"),
        Field("useNamespaces", "use_namespaces", "false", "boolean"),
        Field("jsonNamespaceSeparator", "namespace_separator", ":"),
        Field("jsonNamespaceMapping", "namespace_mapping"),
    )


class XmlToJson(FlowStep):
    """Converts an XML body to JSON."""

    summary = "XML to JSON converter"
    cname = "XmlToJsonConverter"
    version = "1.0.8"
    activity_type = "XmlToJsonConverter"
    keys = ("xmlJsonUseStreaming", "xmlJsonSuppressRootElement", "xmlJsonPathTable",
            "jsonOutputEncoding", "jsonNamespaceMapping", "componentVersion",
            "xmlJsonConvertAllElements", "activityType", "cmdVariantUri", "useNamespaces",
            "jsonNamespaceSeparator")
    fields = (
        Field("xmlJsonUseStreaming", "streaming", "true", "boolean"),
        Field("xmlJsonSuppressRootElement", "suppress_root", "false", "boolean"),
        Field("xmlJsonConvertAllElements", "convert", "all", "choice", ("all", "specific")),
        Field("xmlJsonPathTable", "array_paths", doc="element paths always written as arrays"),
        Field("jsonOutputEncoding", "encoding", doc="empty = from the message"),
        Field("useNamespaces", "use_namespaces", "false", "boolean"),
        Field("jsonNamespaceSeparator", "namespace_separator", ":"),
        Field("jsonNamespaceMapping", "namespace_mapping"),
    )
