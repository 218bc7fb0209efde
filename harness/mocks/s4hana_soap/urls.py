"""Routes of the S/4HANA SOAP mock: SAP's SOAP runtime paths (``/sap/bc/srt/...``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.routing import Rule

if TYPE_CHECKING:
    from harness.mocks.s4hana_soap import S4HanaSoap


def routes(mock: "S4HanaSoap") -> list[Rule]:
    """``/sap/bc/srt/scs_ext/sap/<interface>`` (WSDL address) and the binding path SAP's
    accelerator uses (``/sap/bc/srt/xip/sap/<interface>/<client>/<service>/<binding>``)."""
    inbound = mock.responses.inbound
    return [
        Rule("/sap/bc/srt/<kind>/sap/<interface>", endpoint=inbound, methods=["GET", "POST"]),
        Rule("/sap/bc/srt/<kind>/sap/<interface>/<client>/<service>/<binding>", endpoint=inbound,
             methods=["GET", "POST"]),
    ]


def control_routes(mock: "S4HanaSoap") -> list[Rule]:
    """``/__mock__/replicate``, ``/__mock__/replication``, ``/__mock__/messages``."""
    responses = mock.responses
    return [
        Rule("/__mock__/replicate", endpoint=responses.replicate, methods=["POST"]),
        Rule("/__mock__/replication", endpoint=responses.replication_config, methods=["GET", "PUT"]),
        Rule("/__mock__/messages", endpoint=responses.messages, methods=["GET"]),
    ]
