"""HTTPS sender (``sap:HTTPS``), newest export 1.5.2."""

from __future__ import annotations

from generator.components.adapters.base import Adapter
from generator.components.base import Field


class HttpsSender(Adapter):
    """An HTTPS endpoint on the tenant (``/http/<address>``), role-based by default."""

    summary = "HTTPS sender: the flow is called on /http/<address>"
    spec_name = "https"
    cname = "sap:HTTPS"
    version = "1.5.2"
    component_type = "HTTPS"
    transport = "HTTPS"
    message = "None"
    direction = "Sender"
    protocol_version = "1.5.2"
    ref_style = "short"
    default_name = "HTTPS"
    keys = ("ComponentType", "Description", "maximumBodySize", "ComponentNS", "componentVersion",
            "urlPath", "Name", "TransportProtocolVersion", "ComponentSWCVName", "system",
            "xsrfProtection", "TransportProtocol", "cmdVariantUri", "userRole", "senderAuthType",
            "MessageProtocol", "MessageProtocolVersion", "ComponentSWCVId", "direction",
            "clientCertificates")
    fields = (
        Field("urlPath", "address", ref="plain", doc="endpoint path, starting with /"),
        Field("maximumBodySize", "max_body_size", "40", "integer", ref="plain", doc="in MB"),
        Field("xsrfProtection", "csrf", "1", "flag", ref="plain", doc="require an X-CSRF-Token"),
        Field("userRole", "user_role", "ESBMessaging.send", ref="plain"),
        Field("senderAuthType", "auth", "RoleBased", "choice", ("RoleBased", "ClientCertificate"),
              ref="plain"),
    )
    fixed = {"clientCertificates": ""}

    @classmethod
    def finish(cls, values: dict[str, str]) -> None:
        cls.require(values, "urlPath", "address")
        path = values["urlPath"]
        if not path.startswith(("/", "{{")):
            from generator.components.base import OptionError
            raise OptionError("address", f"expected a path starting with '/', got {path!r}")
