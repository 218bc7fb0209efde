"""SOAP faults as SAP's web-service runtime answers them (SOAP 1.1 or 1.2, matching the request)."""

from __future__ import annotations

from werkzeug.wrappers import Response

from harness.mocks.core.service import ServiceError
from harness.mocks.s4hana_soap.envelope import fault_envelope


class SoapFault(ServiceError):
    """A SOAP fault; ``client`` faults are the sender's fault (Client/Sender), others Server/Receiver."""

    status = 500

    def __init__(self, message: str, *, client: bool = True, status: int = 500, soap_version: str = "1.1") -> None:
        super().__init__(message, status)
        self.client = client
        self.soap_version = soap_version

    def response(self) -> Response:
        content_type = "application/soap+xml; charset=utf-8" if self.soap_version == "1.2" else "text/xml; charset=utf-8"
        return Response(fault_envelope(self.message, client=self.client, soap_version=self.soap_version),
                        status=self.status, content_type=content_type)


class LogonFailed(ServiceError):
    """401 with a Basic challenge (the SOAP runtime logs on like any ICF service)."""

    status = 401

    def __init__(self, realm: str, reason: str) -> None:
        super().__init__(reason, 401)
        self.realm = realm

    def response(self) -> Response:
        return Response(f"<html><body><h2>{self.message}</h2></body></html>", status=401,
                        headers={"WWW-Authenticate": f'Basic realm="{self.realm}"'}, content_type="text/html; charset=utf-8")
