"""The SOAP side's records (messages received and sent) and the processing of inbound messages
against the shared S/4HANA system. No HTTP here.

``BDwReferenceRequest_In`` is asynchronous (one-way): S/4HANA accepts the message and processes it
afterwards, so business errors (a billing block, an already billed request) do not reach the
caller; they are kept with the message, as S/4HANA's message monitor would show them.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from lxml import etree

from harness.mocks.s4hana.behaviour.billing import BillingError, create_billing
from harness.mocks.s4hana.behaviour.common import BIL
from harness.mocks.s4hana.edm import format_timestamp
from harness.mocks.s4hana.engine import Engine
from harness.mocks.s4hana.exceptions import ODataError

if TYPE_CHECKING:
    from harness.mocks.s4hana.models import S4System


@dataclass
class InboundMessage:
    """A message S/4HANA received."""

    seq: int
    interface: str
    message_id: str
    received: str
    status: str = "processed"
    results: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    payload: str = ""


@dataclass
class OutboundMessage:
    """A message S/4HANA sent, with the receiver's answer."""

    seq: int
    interface: str
    message_id: str
    documents: list[str]
    change_type: str
    endpoint: str
    sent: str
    http_status: int | None = None
    response_body: str = ""
    error: str = ""
    payload: str = ""


class SoapLog:
    """Received and sent messages, in order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seq = itertools.count(1)
        self.inbound: list[InboundMessage] = []
        self.outbound: list[OutboundMessage] = []

    def next_seq(self) -> int:
        """A fresh sequence number."""
        return next(self._seq)

    def seen(self, interface: str, message_id: str) -> InboundMessage | None:
        """An earlier message with that ID (exactly-once processing)."""
        with self._lock:
            return next((m for m in self.inbound if m.interface == interface and m.message_id == message_id
                         and message_id), None)

    def add_inbound(self, message: InboundMessage) -> None:
        """Keep a received message."""
        with self._lock:
            self.inbound.append(message)

    def add_outbound(self, message: OutboundMessage) -> None:
        """Keep a sent message."""
        with self._lock:
            self.outbound.append(message)

    def clear(self) -> None:
        """Forget all messages."""
        with self._lock:
            self.inbound.clear()
            self.outbound.clear()

    def to_json(self) -> dict[str, Any]:
        """Both lists as JSON."""
        with self._lock:
            return {"inbound": [asdict(m) for m in self.inbound], "outbound": [asdict(m) for m in self.outbound]}


def _text(element: etree._Element, path: str) -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def process_bdw_reference(system: "S4System", payload: etree._Element, message: InboundMessage, user: str) -> None:
    """Bill every reference document of a ``BDwReferenceRequest`` (each in its own LUW)."""
    date_text = _text(payload, "ActionControl/BillingDocumentDate")
    billing_date = datetime.strptime(date_text, "%Y-%m-%d") if date_text else None
    posting_disabled = _text(payload, "ActionControl/AutomPostingToAcctgIsDisabled") in ("true", "1")
    engine = Engine(system, BIL, user)
    for reference in payload.findall("ReferenceDocument"):
        document = _text(reference, "ReferenceDocument")
        category = _text(reference, "ReferenceDocumentCategory") or None
        billing_type = _text(reference, "BillingDocumentType") or None
        try:
            with system.transaction():
                rows = create_billing(engine, document, category, billing_type, billing_date)
                if posting_disabled:
                    for row in rows:
                        row.update(AccountingTransferStatus="A", AccountingPostingStatus="A", AccountingDocument="")
        except (BillingError, ODataError) as exc:
            text = exc.message if isinstance(exc, ODataError) else str(exc)
            message.errors.append({"reference": document, "error": text})
            system.record("inbound_error", interface=message.interface, reference=document, error=text)
            continue
        message.results.append({"reference": document, "billing_documents": [r["BillingDocument"] for r in rows]})
    if message.errors:
        message.status = "error" if not message.results else "partially processed"


def now_text(system: "S4System") -> str:
    """The system time as written in the logs."""
    return format_timestamp(system.now())
