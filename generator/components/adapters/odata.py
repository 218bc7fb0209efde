"""OData V2 receiver (``sap:HCIOData``), newest export 1.26.0.

Its key set is the same for every operation in the 1.26.0 exports (Query, Read, Create and Patch
were checked); what varies with the operation is which options make sense, and ``check`` enforces
that.
"""

from __future__ import annotations

from generator.components.adapters.base import Adapter
from generator.components.adapters.http import PROXY_TYPES
from generator.components.base import Field, OptionError

OPERATIONS = ("Query(GET)", "Read(GET)", "Create(POST)", "Patch(PATCH)", "FunctionImport")
READS = ("Query(GET)", "Read(GET)")
#: Operations whose Query Options field is used: $select/$expand/$filter of reads, and the parameters
#: of a function import (``DeliveryDocument='${property.delivery}'``, as SAP's delivery flows set them).
QUERIED = READS + ("FunctionImport",)
WRITES = ("Create(POST)", "Patch(PATCH)")


class ODataReceiver(Adapter):
    """Calls an OData V2 service (S/4HANA APIs)."""

    summary = "OData V2 receiver: calls an S/4HANA OData V2 service"
    spec_name = "odata"
    cname = "sap:HCIOData"
    version = "1.26.0"
    component_type = "HCIOData"
    transport = "HTTP"
    message = "OData V2"
    direction = "Receiver"
    protocol_version = "1.26.0"
    default_name = "OData"
    keys = ("Description", "pagination", "odataCertAuthPrivateKeyAlias", "apiArtifactType",
            "providerAuth", "ComponentNS", "resourcePath", "customQueryOptions",
            "metadataAllowedURIParams", "Name", "internetProxyType", "TransportProtocolVersion",
            "ComponentSWCVName", "proxyPort", "enableMPLAttachments", "receiveTimeOut", "alias",
            "contentType", "MessageProtocol", "ComponentSWCVId", "providerName", "direction",
            "scc_location_id", "metadataAllowedHeaders", "ComponentType", "address",
            "queryOptions", "proxyType", "isCSRFEnabled", "componentVersion", "proxyHost",
            "edmxFilePath", "enableTLSSessionReuse", "providerUrl", "odatapagesize", "system",
            "authenticationMethod", "whitelistResponseHeaders", "enableBatchProcessing",
            "TransportProtocol", "cmdVariantUri", "fields", "characterEncoding",
            "whitelistRequestHeaders", "operation", "MessageProtocolVersion", "providerRelativeUrl")
    fields = (
        Field("address", "address", label="Address", ref="system",
              doc="service root, e.g. {{S4HANA Host}}/sap/opu/odata/sap/API_SALES_ORDER_SRV"),
        Field("resourcePath", "resource", label="Resource Path",
              doc="entity set or entity, e.g. A_SalesOrder('${property.salesOrder}')"),
        Field("operation", "operation", "Query(GET)", "choice", OPERATIONS, label="Operation"),
        Field("queryOptions", "query", label="Query Options", ref="plain",
              doc="$select/$expand/$filter (GET operations), or a function import's parameters"),
        Field("customQueryOptions", "custom_query", label="Custom Query Options", ref="plain",
              doc="e.g. sap-client=100"),
        Field("fields", "fields", label="Fields", doc="comma-separated fields (Create, Patch)"),
        Field("edmxFilePath", "edmx", label="EDMX", resource="edmx",
              doc="optional service metadata file in mappings/resources/edmx/"),
        Field("authenticationMethod", "auth", "None", "choice",
              ("None", "Basic", "OAuth2 Client Credentials", "Client Certificate",
               "Principal Propagation"), label="Authentication", ref="auth"),
        Field("alias", "credential", label="Credential Name", ref="auth",
              doc="the alias of a deployed credential, never the secret"),
        Field("odataCertAuthPrivateKeyAlias", "private_key", label="Private Key Alias",
              ref="auth"),
        Field("proxyType", "proxy", "default", "choice", PROXY_TYPES, label="Proxy Type",
              ref="plain"),
        Field("scc_location_id", "location", label="Location ID", ref="plain"),
        Field("isCSRFEnabled", "csrf", "true", "boolean", label="CSRF Protected", ref="plain"),
        Field("enableBatchProcessing", "batch", "0", "flag", label="Enable Batch Processing",
              ref="plain"),
        Field("contentType", "content_type", "application/atom+xml", "choice",
              ("application/atom+xml", "application/json"), label="Content Type", ref="plain"),
        Field("characterEncoding", "encoding", "none", "choice", ("none", "UTF-8"),
              label="Content Type Encoding", ref="plain"),
        Field("odatapagesize", "page_size", "", "integer", label="Page Size", ref="plain"),
        Field("receiveTimeOut", "timeout_min", "1", "integer", label="Timeout (in min)",
              ref="plain"),
        Field("enableTLSSessionReuse", "reuse_connection", "true", "boolean",
              label="Reuse Connection", ref="plain"),
        Field("enableMPLAttachments", "attach_errors", "true", "boolean",
              label="Attach Error Details on Failure", ref="plain"),
        Field("whitelistRequestHeaders", "request_headers", label="Request Headers", ref="plain"),
        Field("whitelistResponseHeaders", "response_headers", label="Response Headers",
              ref="plain"),
        Field("metadataAllowedHeaders", "metadata_headers", label="Request Headers", ref="plain"),
        Field("metadataAllowedURIParams", "metadata_query", label="Custom Query Parameters",
              ref="plain"),
    )
    fixed = {"pagination": "0", "apiArtifactType": "", "providerAuth": "", "internetProxyType": "",
             "proxyPort": "", "providerName": "", "proxyHost": "", "providerUrl": "",
             "providerRelativeUrl": ""}

    @classmethod
    def finish(cls, values: dict[str, str]) -> None:
        cls.require(values, "address", "address")
        cls.require(values, "resourcePath", "resource")
        operation = values["operation"]
        if "{{" in operation:
            return
        query, fields = values["queryOptions"], values["fields"]
        if query and "{{" not in query and operation not in QUERIED:
            raise OptionError("query", f"query options apply to {', '.join(QUERIED)}, "
                                       f"not {operation}")
        if fields and "{{" not in fields and operation not in WRITES:
            raise OptionError("fields", f"fields apply to {' and '.join(WRITES)}, not {operation}")
        if values["authenticationMethod"] in ("Basic", "OAuth2 Client Credentials"):
            cls.require(values, "alias", "credential")
        if values["edmxFilePath"] and "{{" not in values["edmxFilePath"]:
            values["edmxFilePath"] = "edmx/" + values["edmxFilePath"].removeprefix("edmx/")
