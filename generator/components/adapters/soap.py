"""SOAP sender (SOAP 1.x, 1.9.2) and SOAP receiver (Plain SOAP, 1.10.3); adapter bundle 1.12.3."""

from __future__ import annotations

from generator.components.adapters.base import Adapter
from generator.components.adapters.http import PROXY_TYPES
from generator.components.base import Field, OptionError


class SoapSender(Adapter):
    """A SOAP endpoint on the tenant (``/cxf/<address>``) described by a WSDL in the package."""

    summary = "SOAP sender: S/4HANA calls the flow on /cxf/<address>"
    spec_name = "soap"
    cname = "sap:SOAP"
    version = "1.9.2"
    component_type = "SOAP"
    transport = "HTTP"
    message = "SOAP 1.x"
    direction = "Sender"
    protocol_version = "1.12.3"
    default_name = "SOAP"
    keys = ("Description", "WSSecurityType", "PublicKeyAliasResponseEncryption", "ComponentNS",
            "maximumAttachmentSize", "Name", "TransportProtocolVersion", "ComponentSWCVName",
            "useWSAddressing", "soapWsdlURL", "soapOptions", "CheckTimeStamp", "soapServiceName",
            "WSSecurity_SignatureAlgorithm_Inbound", "SigningOrder", "MessageProtocol",
            "ComponentSWCVId", "direction", "clientCertificates", "X509TokenAssertion",
            "ComponentType", "address", "maximumBodySize", "soapWsdlPortName", "componentVersion",
            "messageExchangePattern", "WSSecurity", "PrivateKeyAliasResponseSigning", "system",
            "SaveIncomingSignedMessage", "SenderBasicSecurityProfileCompliant",
            "RecipientTokenIncludeStrategy", "AlgorithmSuiteAssertion", "serviceDefinition",
            "TransportProtocol", "cmdVariantUri", "userRole", "InitiatorTokenIncludeStrategy",
            "senderAuthType", "MessageProtocolVersion")
    fields = (
        Field("address", "address", label="Address", ref="plain", doc="endpoint path, /..."),
        Field("soapWsdlURL", "wsdl", label="URL to WSDL", ref="plain", resource="wsdl",
              doc="a WSDL file in mappings/resources/wsdl/"),
        Field("serviceDefinition", "service_definition", "WSDL", "choice", ("WSDL",),
              ref="plain"),
        Field("soapServiceName", "service", label="Service", ref="plain",
              doc="prefix:ServiceName (prefix declared in the module's namespaces)"),
        Field("soapWsdlPortName", "endpoint", label="Endpoint", ref="plain",
              doc="prefix:PortName"),
        Field("soapOptions", "processing", "cxfRobust", dropdown=True, ref="plain",
              doc="SOAP processing settings (cxfRobust = robust one-way)"),
        Field("messageExchangePattern", "exchange_pattern", "RequestReply", "choice",
              ("RequestReply",)),
        Field("senderAuthType", "auth", "RoleBased", "choice", ("RoleBased", "ClientCertificate"),
              ref="plain"),
        Field("userRole", "user_role", "ESBMessaging.send", ref="plain"),
        Field("maximumBodySize", "max_body_size", "40", "integer", ref="plain", doc="in MB"),
        Field("maximumAttachmentSize", "max_attachment_size", "100", "integer", ref="plain",
              doc="in MB"),
        Field("useWSAddressing", "ws_addressing", "0", "flag", ref="plain"),
        Field("WSSecurity", "ws_security", "None", dropdown=True, ref="plain"),
    )
    fixed = {"WSSecurityType": "VerifyMessage", "PublicKeyAliasResponseEncryption": "",
             "CheckTimeStamp": "0", "WSSecurity_SignatureAlgorithm_Inbound": "SHA1",
             "SigningOrder": "SignBeforeEncryption", "clientCertificates": "",
             "X509TokenAssertion": "WssX509V3Token10", "PrivateKeyAliasResponseSigning": "",
             "SaveIncomingSignedMessage": "0", "SenderBasicSecurityProfileCompliant": "1",
             "RecipientTokenIncludeStrategy": "Never", "AlgorithmSuiteAssertion": "Basic128Rsa15",
             "InitiatorTokenIncludeStrategy": "AlwaysToRecipient"}

    @classmethod
    def finish(cls, values: dict[str, str]) -> None:
        cls.require(values, "address", "address")
        cls.require(values, "soapWsdlURL", "wsdl")
        wsdl = values["soapWsdlURL"]
        if "{{" not in wsdl and not wsdl.startswith("/wsdl/"):
            values["soapWsdlURL"] = "/wsdl/" + wsdl.lstrip("/")
        for key, option in (("soapServiceName", "service"), ("soapWsdlPortName", "endpoint")):
            cls.require(values, key, option)


class SoapReceiver(Adapter):
    """Calls a SOAP service with a plain SOAP envelope."""

    summary = "SOAP receiver (Plain SOAP): calls a SOAP web service"
    spec_name = "soap"
    cname = "sap:SOAP"
    version = "1.10.3"
    component_type = "SOAP"
    transport = "HTTP"
    message = "Plain SOAP"
    direction = "Receiver"
    protocol_version = "1.12.3"
    default_name = "SOAP"
    keys = ("cleanupHeaders", "Description", "ComponentNS", "privateKeyAlias", "location_id",
            "Name", "TransportProtocolVersion", "ComponentSWCVName", "proxyPort", "soapWsdlURL",
            "CompressMessage", "sendHttpResponseCode", "soapServiceName", "MessageProtocol",
            "ComponentSWCVId", "requestTimeout", "direction", "authentication", "ComponentType",
            "address", "allowChunking", "SapRmMessageIdDetermination", "proxyType",
            "soapWsdlPortName", "operationName", "componentVersion", "proxyHost", "system",
            "TransportProtocol", "cmdVariantUri", "credentialName", "MessageProtocolVersion",
            "SourceForSapRmMessageId", "KeepConnectionAlive")
    fields = (
        Field("address", "address", label="Address", ref="system"),
        Field("authentication", "auth", "None", "choice", ("None", "Basic", "ClientCertificate"),
              label="Authentication", ref="plain"),
        Field("credentialName", "credential", label="Credential Name", ref="auth"),
        Field("privateKeyAlias", "private_key", label="Private Key Alias", ref="auth"),
        Field("proxyType", "proxy", "default", "choice", PROXY_TYPES, label="Proxy Type",
              ref="plain"),
        Field("location_id", "location", label="Location ID", ref="plain"),
        Field("requestTimeout", "timeout_ms", "60000", "integer", label="Timeout (in ms)",
              ref="plain"),
        Field("allowChunking", "chunking", "1", "flag", label="Allow Chunking", ref="plain"),
        Field("cleanupHeaders", "cleanup_headers", "1", "flag", label="Clean-up Request Headers",
              ref="plain"),
        Field("CompressMessage", "compress", "0", "flag", label="Compress Message", ref="plain"),
        Field("KeepConnectionAlive", "keep_alive", "1", "flag", label="Keep-Alive", ref="plain"),
        Field("sendHttpResponseCode", "return_http_code", "0", "flag",
              label="Return HTTP Response Code as Header", ref="plain"),
        Field("SapRmMessageIdDetermination", "rm_message_id", "Reuse", dropdown=True,
              label="SAP RM Message ID Determination", ref="plain"),
        Field("soapWsdlURL", "wsdl", resource="wsdl"),
        Field("soapServiceName", "service"),
        Field("soapWsdlPortName", "endpoint"),
        Field("operationName", "operation"),
    )
    fixed = {"proxyPort": "", "proxyHost": "", "SourceForSapRmMessageId": ""}

    @classmethod
    def finish(cls, values: dict[str, str]) -> None:
        cls.require(values, "address", "address")
        if values["authentication"] == "Basic":
            cls.require(values, "credentialName", "credential")
        wsdl = values["soapWsdlURL"]
        if wsdl and "{{" not in wsdl and not wsdl.startswith("/wsdl/"):
            values["soapWsdlURL"] = "/wsdl/" + wsdl.lstrip("/")
        if values["authentication"] == "ClientCertificate" and not values["privateKeyAlias"]:
            raise OptionError("private_key", "ClientCertificate needs 'private_key'")
