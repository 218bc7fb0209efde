"""ProcessDirect sender (1.0-1.1) and receiver (1.0-1.1): in-process calls between flows."""

from __future__ import annotations

from ..context import RunContext
from ..exchange import Exchange
from ..registry import ADAPTERS
from .base import ReceiverAdapter, SenderAdapter


def normalise(address: str) -> str:
    return "/" + address.strip().lstrip("/")


@ADAPTERS.register(("ProcessDirect", "Sender"))
class ProcessDirectSender(SenderAdapter):
    title = "ProcessDirect sender"
    kind = "processdirect"
    min_version = "1.0"
    max_version = "1.1"

    def compile(self) -> None:
        if not self.prop("address"):
            raise self.fail("address is empty")
        self.address = normalise(self.prop("address"))


@ADAPTERS.register(("ProcessDirect", "Receiver"))
class ProcessDirectReceiver(ReceiverAdapter):
    """Calls the flow consuming the address, synchronously; body and headers come back."""

    title = "ProcessDirect receiver"
    min_version = "1.0"
    max_version = "1.1"

    def compile(self) -> None:
        if not self.prop("address"):
            raise self.fail("address is empty")

    def request(self, ex: Exchange, ctx: RunContext) -> None:
        from .. import simple

        address = normalise(simple.interpolate(self.prop("address"), ex, ctx))
        reply = self.flow.runtime.call_process_direct(address, ex, ctx)
        ex.body = reply.body
        ex.headers = reply.headers.copy()
