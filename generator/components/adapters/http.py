"""HTTP receiver (``sap:HTTP``), newest export 1.17.0."""

from __future__ import annotations

from generator.components.adapters.base import Adapter
from generator.components.base import Field, OptionError

AUTH_METHODS = ("None", "Basic", "OAuth2 Client Credentials", "OAuth2 SAML Bearer Assertion",
                "Client Certificate", "Principal Propagation")
PROXY_TYPES = ("default", "sapcc", "none")
METHODS = ("POST", "GET", "PUT", "PATCH", "DELETE", "HEAD", "DYNAMIC")


class HttpReceiver(Adapter):
    """Calls an HTTP(S) endpoint (Buy with Prime GraphQL, SP-API, LWA ...)."""

    summary = "HTTP receiver: calls an HTTP endpoint"
    spec_name = "http"
    cname = "sap:HTTP"
    version = "1.17.0"
    component_type = "HTTP"
    transport = "HTTP"
    message = "None"
    direction = "Receiver"
    protocol_version = "1.17.0"
    default_name = "HTTP"
    keys = ("Description", "methodSourceExpression", "apiArtifactType", "providerAuth",
            "ComponentNS", "privateKeyAlias", "httpMethod", "allowedResponseHeaders", "Name",
            "internetProxyType", "TransportProtocolVersion", "ComponentSWCVName", "proxyPort",
            "streaming", "enableMPLAttachments", "httpAddressQuery", "httpRequestTimeout",
            "MessageProtocol", "ComponentSWCVId", "providerName", "allowedRequestHeaders",
            "direction", "ComponentType", "httpShouldSendBody", "throwExceptionOnFailure",
            "proxyType", "componentVersion", "retryIteration", "proxyHost", "providerUrl",
            "retryOnConnectionFailure", "system", "authenticationMethod", "locationID",
            "retryInterval", "TransportProtocol", "cmdVariantUri", "credentialName",
            "httpErrorResponseCodes", "MessageProtocolVersion", "httpAddressWithoutQuery",
            "providerRelativeUrl")
    fields = (
        Field("httpAddressWithoutQuery", "address", label="Address", ref="plain",
              doc="URL without query; use a parameter, not a literal host"),
        Field("httpAddressQuery", "query", label="Query", ref="plain"),
        Field("httpMethod", "method", "POST", "choice", METHODS, label="Method", ref="plain"),
        Field("methodSourceExpression", "method_expression", label="Source Expression"),
        Field("authenticationMethod", "auth", "None", "choice", AUTH_METHODS,
              label="Authentication", ref="auth"),
        Field("credentialName", "credential", label="Credential Name", ref="auth",
              doc="the alias of a deployed credential, never the secret"),
        Field("privateKeyAlias", "private_key", label="Private Key Alias", ref="auth"),
        Field("proxyType", "proxy", "default", "choice", PROXY_TYPES, label="Proxy Type",
              ref="plain"),
        Field("locationID", "location", label="Location ID", ref="plain"),
        Field("httpRequestTimeout", "timeout_ms", "60000", "integer", label="Timeout (in ms)",
              ref="plain"),
        Field("httpShouldSendBody", "send_body", "false", "boolean", label="Send Body",
              ref="plain"),
        Field("throwExceptionOnFailure", "throw_on_failure", "true", "boolean",
              label="Throw Exception On Failure", ref="plain"),
        Field("allowedRequestHeaders", "request_headers", label="Request Headers", ref="plain",
              doc="header names sent along, separated by |"),
        Field("allowedResponseHeaders", "response_headers", "*", label="Response Headers",
              ref="plain"),
        Field("enableMPLAttachments", "attach_errors", "true", "boolean",
              label="Attach Error Details on Failure", ref="plain"),
        Field("httpErrorResponseCodes", "error_codes", label="HTTP Error Response Codes",
              ref="plain", doc="codes retried, e.g. 429,500,502,503"),
        Field("retryOnConnectionFailure", "retry", "false", "boolean",
              label="Retry Failed Requests", ref="plain"),
        Field("retryIteration", "retry_iterations", "1", dropdown=True, label="Retry Iterations",
              ref="plain"),
        Field("retryInterval", "retry_interval_s", "5", dropdown=True,
              label="Retry Interval (in seconds)", ref="plain"),
        Field("streaming", "streaming", "false", "boolean", label="Streaming", ref="plain"),
    )
    fixed = {"apiArtifactType": "", "providerAuth": "", "internetProxyType": "", "proxyPort": "",
             "providerName": "", "proxyHost": "", "providerUrl": "", "providerRelativeUrl": ""}

    @classmethod
    def finish(cls, values: dict[str, str]) -> None:
        cls.require(values, "httpAddressWithoutQuery", "address")
        if values["httpMethod"] == "DYNAMIC" and not values["methodSourceExpression"]:
            raise OptionError("method_expression", "method DYNAMIC needs 'method_expression'")
        if values["authenticationMethod"] in ("Basic", "OAuth2 Client Credentials",
                                              "OAuth2 SAML Bearer Assertion"):
            cls.require(values, "credentialName", "credential")
        if values["authenticationMethod"] == "Client Certificate":
            cls.require(values, "privateKeyAlias", "private_key")
