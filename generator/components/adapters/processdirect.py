"""ProcessDirect sender 1.1.2 and receiver 1.1.1: in-tenant calls between iFlows by address."""

from __future__ import annotations

from generator.components.adapters.base import Adapter
from generator.components.base import Field

_KEYS = ("ComponentType", "Description", "address", "ComponentNS", "Vendor", "componentVersion",
         "Name", "TransportProtocolVersion", "ComponentSWCVName", "system", "TransportProtocol",
         "cmdVariantUri", "MessageProtocol", "MessageProtocolVersion", "ComponentSWCVId",
         "direction")


class ProcessDirectSender(Adapter):
    """Starts the flow when another iFlow calls the address."""

    summary = "ProcessDirect sender: started by another iFlow on the same tenant"
    spec_name = "processdirect"
    cname = "ProcessDirect"
    version = "1.1.2"
    component_type = "ProcessDirect"
    transport = "Not Applicable"
    message = "Not Applicable"
    direction = "Sender"
    protocol_version = "1.1.2"
    vendor = True
    ref_style = "adapter"
    default_name = "ProcessDirect"
    keys = _KEYS
    fields = (Field("address", "address", label="Address", ref="plain",
                    doc="the in-tenant address, e.g. /s4amz/fulfillment/create"),)

    @classmethod
    def finish(cls, values: dict[str, str]) -> None:
        cls.require(values, "address", "address")


class ProcessDirectReceiver(ProcessDirectSender):
    """Calls the iFlow listening on the address (Request-Reply, Send or an end event)."""

    summary = "ProcessDirect receiver: calls another iFlow on the same tenant"
    version = "1.1.1"
    direction = "Receiver"
    ref_style = None
