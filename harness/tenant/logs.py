"""Message processing logs: query by flow, status, time window and correlation id; error details."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from harness.tenant import odata
from harness.tenant.http import TenantSession

FINAL = frozenset({"COMPLETED", "FAILED", "ESCALATED", "CANCELLED"})
IGNORED = frozenset({"DISCARDED", "ABANDONED"})


@dataclass(frozen=True)
class MessageLog:
    """One message processing log entry."""

    guid: str
    artifact_id: str
    status: str
    correlation_id: str
    log_start: datetime | None
    log_end: datetime | None
    sender: str = ""
    receiver: str = ""
    custom_status: str = ""

    @classmethod
    def from_odata(cls, d: dict[str, Any]) -> "MessageLog":
        """Build from a ``d`` entity."""
        artifact = d.get("IntegrationArtifact") or {}
        artifact_id = artifact.get("Id") if isinstance(artifact, dict) else None
        return cls(guid=d["MessageGuid"], artifact_id=artifact_id or d.get("IntegrationFlowName") or "",
                   status=d.get("Status") or "", correlation_id=d.get("CorrelationId") or "",
                   log_start=odata.parse_date(d.get("LogStart")), log_end=odata.parse_date(d.get("LogEnd")),
                   sender=d.get("Sender") or "", receiver=d.get("Receiver") or "",
                   custom_status=d.get("CustomStatus") or "")


@dataclass(frozen=True)
class Attachment:
    """An MPL attachment's metadata."""

    id: str
    name: str
    content_type: str


def build_filter(flow: str | None = None, status: str | None = None, since: datetime | None = None,
                 until: datetime | None = None, correlation_id: str | None = None,
                 exclude_ignored: bool = True) -> str:
    """A ``$filter`` for the given criteria (times as UTC ``datetime'...'`` literals).

    SAP advises not to combine a correlation id with other filters, so it is used alone.
    """
    if correlation_id:
        return f"CorrelationId eq {odata.literal(correlation_id)}"
    terms = []
    if flow:
        terms.append(f"IntegrationArtifact/Id eq {odata.literal(flow)}")
    if status:
        terms.append(f"Status eq {odata.literal(status)}")
    elif exclude_ignored:
        terms.append("Status ne 'DISCARDED'")
    if since:
        terms.append(f"LogStart gt {odata.datetime_literal(since)}")
    if until:
        terms.append(f"LogEnd lt {odata.datetime_literal(until)}")
    return " and ".join(terms)


class LogsClient:
    """``/MessageProcessingLogs``."""

    def __init__(self, session: TenantSession, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.session = session
        self.clock = clock
        self.sleep = sleep

    def query(self, *, flow: str | None = None, status: str | None = None, since: datetime | None = None,
              until: datetime | None = None, correlation_id: str | None = None,
              top: int | None = None) -> list[MessageLog]:
        """Logs matching the criteria, newest first."""
        params: dict[str, Any] = {"$orderby": "LogEnd desc"}
        expression = build_filter(flow, status, since, until, correlation_id)
        if expression:
            params["$filter"] = expression
        if top:
            params["$top"] = top
            rows = self.session.get_json("MessageProcessingLogs", params)
        else:
            rows = self.session.get_collection("MessageProcessingLogs", params)
        logs = [MessageLog.from_odata(r) for r in rows]
        return [log for log in logs if log.status not in IGNORED or status]

    def get(self, guid: str) -> MessageLog | None:
        """One log, or None."""
        d = self.session.get_optional("MessageProcessingLogs" + odata.key(_=guid))
        return MessageLog.from_odata(d) if d else None

    def error_text(self, guid: str) -> str:
        """``ErrorInformation/$value`` (plain text); empty when the message has none."""
        response = self.session.request("GET", "MessageProcessingLogs" + odata.key(_=guid) + "/ErrorInformation/$value",
                                        headers={"Accept": "text/plain"}, ok=(200, 204, 404))
        return response.text.strip() if response.status_code == 200 else ""

    def attachments(self, guid: str) -> list[Attachment]:
        """Attachments written during processing."""
        rows = self.session.get_collection("MessageProcessingLogs" + odata.key(_=guid) + "/Attachments")
        return [Attachment(r["Id"], r.get("Name") or "", r.get("ContentType") or "") for r in rows]

    def attachment_content(self, attachment_id: str) -> bytes:
        """An attachment's content."""
        path = "MessageProcessingLogAttachments" + odata.key(_=attachment_id) + "/$value"
        return self.session.request("GET", path, headers={"Accept": "*/*"}, ok=(200,)).content

    def wait_final(self, correlation_id: str, timeout: float = 60.0, interval: float = 1.0) -> MessageLog | None:
        """Poll until the message with this correlation id reaches a final status (or None at timeout)."""
        give_up = self.clock() + timeout
        while True:
            logs = [log for log in self.query(correlation_id=correlation_id) if log.status in FINAL]
            if logs:
                return logs[0]
            if self.clock() >= give_up:
                return None
            self.sleep(interval)
