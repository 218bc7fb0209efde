"""HTTP in, SOAP out: the inbound services S/4HANA offers and the control route that makes it
send a sales order replication."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

import requests
from lxml import etree
from werkzeug.wrappers import Request, Response

from harness.mocks.core.service import json_response
from harness.mocks.s4hana.exceptions import LogonFailed as ODataLogonFailed
from harness.mocks.s4hana_soap import envelope
from harness.mocks.s4hana_soap.exceptions import LogonFailed, SoapFault
from harness.mocks.s4hana_soap.models import InboundMessage, OutboundMessage, now_text, process_bdw_reference
from harness.mocks.s4hana_soap.replication import (ReplicationError, build_customer_return_replication,
                                                  build_sales_order_replication)
from harness.mocks.s4hana_soap.schemas import BDW_REFERENCE_REQUEST, validation_error
from harness.mocks.s4hana_soap.sender import send

if TYPE_CHECKING:
    from harness.mocks.s4hana_soap import S4HanaSoap


@dataclass(frozen=True)
class InboundService:
    """An inbound interface: its payload root, the mock's schema and the processing."""

    interface: str
    root: str
    schema: str
    process: Callable[..., None]


INBOUND = {
    "bdwreferencerequest_in": InboundService("BDwReferenceRequest_In", "{http://sap.com/xi/SD-BIL}BDwReferenceRequest",
                                             BDW_REFERENCE_REQUEST, process_bdw_reference),
}


class SoapResponses:
    """Endpoints of the SOAP side of one mocked S/4HANA."""

    def __init__(self, mock: "S4HanaSoap") -> None:
        self.mock = mock

    def inbound(self, request: Request, kind: str, interface: str, client: str | None = None, **_: str) -> Response:
        """``POST /sap/bc/srt/<kind>/sap/<interface>[/<client>/<service>/<binding>]``."""
        security = self.mock.security
        try:
            if client is not None and client != security.client:
                raise ODataLogonFailed(security.realm, f"Logon failed: client {client} is not available")
            security.check_client(request)
            user, _ = security.authenticate(request)
        except ODataLogonFailed as exc:
            return LogonFailed(exc.realm, exc.message).response()
        service = INBOUND.get(interface.lower())
        if service is None:
            raise SoapFault(f"No inbound service '{interface}' is configured in this system "
                            f"(known: {', '.join(s.interface for s in INBOUND.values())})", status=404)
        if request.method != "POST":
            raise SoapFault(f"Service {service.interface} accepts SOAP messages by POST", status=405)
        try:
            version, payload = envelope.read(request.get_data())
        except envelope.EnvelopeError as exc:
            raise SoapFault(str(exc)) from exc
        if payload.tag != service.root:
            raise SoapFault(f"Service {service.interface} expects {service.root}, got {payload.tag}", soap_version=version)
        problem = validation_error(service.schema, payload)
        if problem:
            raise SoapFault(f"XML validation failed for {service.interface}: {problem}", soap_version=version)
        system = self.mock.system
        message_id = (payload.findtext("MessageHeader/ID") or "").strip()
        log = self.mock.log
        with system.lock:
            if log.seen(service.interface, message_id) is None:
                message = InboundMessage(log.next_seq(), service.interface, message_id, now_text(system),
                                         payload=etree.tostring(payload, encoding="unicode"))
                service.process(system, payload, message, user)
                log.add_inbound(message)
                system.record("inbound_message", interface=service.interface, message_id=message_id,
                              status=message.status)
        return Response(status=202)

    # --- control: outbound replication ------------------------------------------------------------
    def replicate(self, request: Request) -> Response:
        """``POST /__mock__/replicate``: send ``SalesOrderBulkReplication`` (``sales_order[s]``) or
        ``CustomerReturnBulkReplication`` (``customer_return[s]``) to the receiver."""
        payload = request.get_json(force=True, silent=True) or {}
        returns = payload.get("customer_returns") or ([payload["customer_return"]] if payload.get("customer_return") else [])
        orders = payload.get("sales_orders") or ([payload["sales_order"]] if payload.get("sales_order") else [])
        if orders and returns:
            return json_response({"error": "give sales orders or customer returns, not both"}, status=400)
        config = {**self.mock.replication, **{k: payload[k] for k in ("endpoint", "user", "password", "bearer",
                                                                        "soap_version") if k in payload}}
        endpoint = str(config.get("endpoint") or "")
        if not endpoint:
            return json_response({"error": "no replication endpoint: give 'endpoint' or configure it with "
                                  "PUT /__mock__/replication"}, status=400)
        change_type = str(payload.get("change_type") or "change")
        documents = [str(d) for d in (returns or orders)]
        interface = "CustomerReturnBulkReplication_Out" if returns else "SalesOrderBulkReplication_Out"
        build = build_customer_return_replication if returns else build_sales_order_replication
        system = self.mock.system
        try:
            with system.lock:
                message_id, element = build(system, documents, change_type)
        except ReplicationError as exc:
            return json_response({"error": str(exc)}, status=400)
        soap_version = str(config.get("soap_version") or "1.1")
        body = envelope.wrap(element, soap_version)
        record = OutboundMessage(self.mock.log.next_seq(), interface, message_id, documents, change_type, endpoint,
                                 now_text(system), payload=body.decode("utf-8"))
        try:
            record.http_status, record.response_body = send(endpoint, body, config, float(config.get("timeout", 30)),
                                                            soap_version)
        except requests.RequestException as exc:
            record.error = f"{type(exc).__name__}: {exc}"
        self.mock.log.add_outbound(record)
        result: dict[str, Any] = {k: v for k, v in record.__dict__.items() if k != "payload"}
        return json_response(result, status=502 if record.error else 200)

    def replication_config(self, request: Request) -> Response:
        """``GET|PUT /__mock__/replication``: the receiver of outbound messages (no secrets shown)."""
        if request.method == "PUT":
            payload = request.get_json(force=True, silent=True)
            if not isinstance(payload, dict) or not payload.get("endpoint"):
                return json_response({"error": "PUT a JSON object with 'endpoint' (and 'user'/'password' or 'bearer')"},
                                     status=400)
            unknown = set(payload) - {"endpoint", "user", "password", "bearer", "soap_version", "timeout"}
            if unknown:
                return json_response({"error": f"unknown field(s) {sorted(unknown)}"}, status=400)
            self.mock.replication = dict(payload)
        return json_response(self.mock.replication_view())

    def messages(self, request: Request) -> Response:
        """``GET /__mock__/messages``: received and sent messages."""
        return json_response(self.mock.log.to_json())
