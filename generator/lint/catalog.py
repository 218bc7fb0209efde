"""The newest version of each component seen in real 2025/2026 exports (FORMAT.md §5.8, §5.9).

A version newer than these is unsupported: a tenant on the release these exports came from does
not know it. Older versions are fine (tenants keep running them).
"""

from __future__ import annotations

import re

NEWEST = {
    "IFlowConfiguration": "1.2.4", "IntegrationProcess": "1.2.1", "LocalIntegrationProcess": "1.1.3",
    "Enricher": "1.6.1", "GroovyScript": "1.1.2", "JavaScript": "1.1.1",
    "ExclusiveGateway": "1.1.2", "GatewayRoute": "1.0.0", "ExternalCall": "1.0.4", "Send": "1.0.4",
    "NonLoopingProcess": "1.0.4", "LoopingProcess": "1.3.0", "IdempotentProcessCall": "1.1.2",
    "ErrorEventSubProcessTemplate": "1.1.0", "GeneralSplitter": "1.6.0", "Camel": "1.6.0",
    "Gather": "1.2.0", "JsonToXmlConverter": "1.1.2", "XmlToJsonConverter": "1.0.8",
    "XmlToCsvConverter": "1.2.0", "CsvToXmlConverter": "1.3.1", "MessageMapping": "1.3.1",
    "XSLTMapping": "1.2.0", "Filter": "1.1.0", "XmlValidator": "2.2.3", "XmlModifier": "1.1.0",
    "Base64 Encode": "1.0.1", "Base64 Decode": "1.0.1", "ZIP Compress": "1.0.1",
    "ZIP Decompress": "1.0.2", "MIME Multipart Message Encode": "1.2.0", "put": "1.7.1",
    "get": "1.7.1", "select": "1.7.1", "delete": "1.7.1", "Variables": "1.2.0",
    "intermediatetimer": "1.4.0", "MessageStartEvent": "1.0", "MessageEndEvent": "1.1.0",
    "EscalationEndEvent": "1.0.0",
    # adapters: cname|message protocol|direction
    "sap:HTTPS|None|Sender": "1.5.2", "sap:SOAP|SOAP 1.x|Sender": "1.9.2",
    "sap:SOAP|Plain SOAP|Receiver": "1.10.3", "sap:SOAP|SOAP 1.x|Receiver": "1.12.2",
    "sap:JMS|Not Applicable|Sender": "1.4.3", "sap:JMS|Not Applicable|Receiver": "1.6.3",
    "ProcessDirect|Not Applicable|Sender": "1.1.2", "ProcessDirect|Not Applicable|Receiver": "1.1.1",
    "sap:HTTP|None|Receiver": "1.17.0", "sap:HCIOData|OData V2|Receiver": "1.26.0",
    "sap:Mail|None|Receiver": "1.11.0",
}

#: Components that are written without a version.
VERSIONLESS = {"StartEvent", "EndEvent", "ErrorStartEvent", "ErrorEndEvent", "TerminateEndEvent",
               "MessageStartEvent", "ExternalCall"}

_URI = re.compile(r"cname::(?P<cname>[^/]+)(?:/vendor::[^/]+)?(?:/tp::[^/]*/mp::(?P<mp>[^/]*)"
                  r"/direction::(?P<dir>[^/]+))?(?:/version::(?P<version>[^/]+))?$")


def parse(uri: str) -> tuple[str, str] | None:
    """``(catalog key, version)`` of a cmdVariantUri, or None when it is not one."""
    match = _URI.search(uri)
    if not match:
        return None
    key = match["cname"] if not match["dir"] else f"{match['cname']}|{match['mp']}|{match['dir']}"
    return key, match["version"] or ""


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())
