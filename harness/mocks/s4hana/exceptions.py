"""S/4HANA's OData errors, with the body SAP Gateway writes (JSON or XML).

Body (MS-ODATA 2.2.8.1 with SAP's ``innererror``)::

    {"error": {"code": "V1/302", "message": {"lang": "en", "value": "..."},
               "innererror": {"application": {"component_id": ..., "service_namespace": "/SAP/",
                                              "service_id": ..., "service_version": ...},
                              "transactionid": ..., "timestamp": ...,
                              "Error_Resolution": {...}, "errordetails": [...]}}}

The codes of framework errors (``/IWBEP/CM_MGW_RT/...``) are the mock's choice, modelled on the
codes seen in public Gateway traffic; clients must not depend on them (see docs/mocks-s4hana.md).
Application errors carry SAP message classes (``V1/...`` sales, ``VL/...`` shipping, ``M7/...``
inventory), chosen to match the situation.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from lxml import etree
from werkzeug.wrappers import Response

from harness.mocks.core.service import ServiceError

if TYPE_CHECKING:
    from harness.mocks.s4hana.descriptions import Service

M_NS = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"


class ODataError(ServiceError):
    """An OData error answered in S/4HANA's format."""

    status = 400
    code = "/IWBEP/CM_MGW_RT/021"

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None,
                 target: str = "", details: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message, status)
        if code is not None:
            self.code = code
        self.target = target
        self.details = details
        self.headers = dict(headers or {})

    def payload(self, service: "Service | None" = None) -> dict[str, Any]:
        """The JSON error object."""
        now = datetime.now(timezone.utc)
        details = self.details if self.details is not None else [{
            "code": self.code, "message": self.message, "propertyref": self.target,
            "severity": "error", "target": self.target, "transition": False}]
        return {"error": {
            "code": self.code,
            "message": {"lang": "en", "value": self.message},
            "innererror": {
                "application": {
                    "component_id": service.component if service else "",
                    "service_namespace": "/SAP/",
                    "service_id": service.name if service else "",
                    "service_version": service.service_version if service else "",
                },
                "transactionid": uuid.uuid4().hex.upper(),
                "timestamp": now.strftime("%Y%m%d%H%M%S.") + f"{now.microsecond:06d}0",
                "Error_Resolution": {
                    "SAP_Transaction": "For backend administrators: use ADT feed reader \"SAP Gateway Error Log\" "
                                       "or run transaction /IWFND/ERROR_LOG on SAP Gateway hub system",
                    "SAP_Note": "See SAP Note 1797736 for error analysis (https://service.sap.com/sap/support/notes/1797736)",
                },
                "errordetails": details,
            },
        }}

    def render(self, fmt: str = "json", service: "Service | None" = None) -> Response:
        """The wire response in JSON or XML."""
        data = self.payload(service)
        headers = dict(self.headers)
        if fmt == "json":
            return Response(json.dumps(data, ensure_ascii=False), status=self.status, headers=headers,
                            content_type="application/json; charset=utf-8")
        return Response(error_xml(data), status=self.status, headers=headers,
                        content_type="application/xml; charset=utf-8")

    def response(self) -> Response:
        return self.render("json")


def error_xml(data: dict[str, Any]) -> bytes:
    """The XML form of an error payload (``<error xmlns=".../metadata">``)."""
    error = data["error"]
    root = etree.Element(f"{{{M_NS}}}error", nsmap={None: M_NS})
    etree.SubElement(root, f"{{{M_NS}}}code").text = error["code"]
    message = etree.SubElement(root, f"{{{M_NS}}}message")
    message.set("{http://www.w3.org/XML/1998/namespace}lang", error["message"]["lang"])
    message.text = error["message"]["value"]
    _xml_value(root, "innererror", error["innererror"])
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _xml_value(parent: etree._Element, name: str, value: Any) -> None:
    element = etree.SubElement(parent, f"{{{M_NS}}}{name}")
    if isinstance(value, dict):
        for key, item in value.items():
            _xml_value(element, key, item)
    elif isinstance(value, list):
        for item in value:
            _xml_value(element, name[:-1] if name.endswith("s") else name, item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = str(value)


class InvalidRequest(ODataError):
    """Malformed URI, query option or key predicate (400)."""

    status = 400
    code = "/IWBEP/CM_MGW_RT/021"


class InvalidPayload(ODataError):
    """Request body with an unknown property, a wrong type or a value outside its facets (400)."""

    status = 400
    code = "/IWBEP/CM_MGW_RT/004"


class ResourceNotFound(ODataError):
    """Unknown entity set, navigation property or key (404)."""

    status = 404
    code = "/IWBEP/CM_MGW_RT/020"


class MethodNotImplemented(ODataError):
    """An operation the service does not offer, e.g. creating in a read-only entity set (501)."""

    status = 501
    code = "/IWBEP/CM_MGW_RT/050"


class MethodNotAllowed(ODataError):
    """An HTTP method the resource does not accept (405)."""

    status = 405
    code = "/IWFND/CM_MGW/005"


class PreconditionRequired(ODataError):
    """A change without ``If-Match`` on an entity with an ETag (428)."""

    status = 428
    code = "/IWBEP/CM_MGW_RT/191"


class PreconditionFailed(ODataError):
    """A change whose ``If-Match`` is not the entity's current ETag (412)."""

    status = 412
    code = "/IWBEP/CM_MGW_RT/190"


class BusinessError(ODataError):
    """A rule of the application rejected the request (400, SAP message class code)."""

    status = 400

    def __init__(self, code: str, message: str, *, target: str = "", status: int = 400) -> None:
        super().__init__(message, status=status, code=code, target=target)


class UnsupportedMediaType(ODataError):
    """A body in a format the service does not read (415)."""

    status = 415
    code = "/IWFND/CM_MGW/004"


class CsrfTokenInvalid(ServiceError):
    """403 with ``x-csrf-token: Required`` and a plain-text body, as SAP Gateway answers."""

    status = 403

    def __init__(self) -> None:
        super().__init__("CSRF token validation failed", 403)

    def response(self) -> Response:
        return Response(self.message, status=403, headers={"x-csrf-token": "Required"},
                        content_type="text/plain; charset=utf-8")


class LogonFailed(ServiceError):
    """401 with a Basic challenge and SAP's HTML logon error page."""

    status = 401

    def __init__(self, realm: str, reason: str = "Logon failed") -> None:
        super().__init__(reason, 401)
        self.realm = realm

    def response(self) -> Response:
        body = (f"<html><head><title>Logon Error Message</title></head><body>"
                f"<h2>{self.message}</h2></body></html>")
        return Response(body, status=401, headers={"WWW-Authenticate": f'Basic realm="{self.realm}"'},
                        content_type="text/html; charset=utf-8")
