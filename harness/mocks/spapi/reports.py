"""Reports 2021-06-30: requested reports, Amazon-generated settlement reports, and documents.

A requested report is ``IN_QUEUE``, then ``IN_PROGRESS``, then ``DONE`` with a document, as the
mock's clock passes ``queue_seconds`` and ``processing_seconds``; a type the mock has no data for
ends ``CANCELLED`` (SP-API's way of saying "no data", FACTS §9). Settlement reports cannot be
requested; they exist from the seed (or ``POST /__mock__/settlements``) and carry no marketplace,
so a ``marketplaceIds`` filter does not find them (SPD#778). Document URLs are presigned and
expire after five minutes.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable
from urllib.parse import urlencode

from harness.mocks.core.clock import Clock, iso
from harness.mocks.spapi.contract import parse_datetime
from harness.mocks.spapi.exceptions import InvalidInput, NotFound
from harness.mocks.spapi.inventory import Inventory
from harness.mocks.spapi.seed import AmazonSeed
from harness.mocks.spapi.settlement import SettlementError, render

SETTLEMENT_TYPES = ("GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2", "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE",
                    "GET_V2_SETTLEMENT_REPORT_DATA_XML")
RETENTION = 90 * 86400
URL_LIFETIME = 300
#: Columns of the FBA inventory report the mock can produce (column names inferred from public
#: samples, not from a model: Amazon publishes no schema for report contents).
INVENTORY_REPORT = "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA"
_INVENTORY_COLUMNS = ("sku", "fnsku", "asin", "product-name", "condition", "your-price", "afn-listing-exists",
                      "afn-warehouse-quantity", "afn-fulfillable-quantity", "afn-unsellable-quantity",
                      "afn-reserved-quantity", "afn-total-quantity", "afn-inbound-working-quantity",
                      "afn-inbound-shipped-quantity", "afn-inbound-receiving-quantity")


@dataclass
class Report:
    """A report and its processing timeline."""

    report_id: str
    report_type: str
    created: float
    marketplace_ids: list[str] | None
    data_start: float | None = None
    data_end: float | None = None
    options: dict[str, str] = field(default_factory=dict)
    ready_at: float | None = None  # None: processed on the normal timeline
    cancelled: bool = False
    fatal: bool = False
    document_id: str | None = None


@dataclass
class Document:
    """A stored report document."""

    document_id: str
    content: bytes
    compressed: bool


class Reports:
    """The seller's reports and documents."""

    def __init__(self, seed: AmazonSeed, clock: Clock, inventory: Inventory, settings: dict[str, Any]) -> None:
        self.seed = seed
        self.clock = clock
        self.inventory = inventory
        self.queue_seconds = float(settings.get("report_queue_seconds", 1))
        self.processing_seconds = float(settings.get("report_processing_seconds", 1))
        self.list_tokens: dict[str, tuple[tuple[Any, ...], int, int]] = {}
        self.reports: dict[str, Report] = {}
        self.documents: dict[str, Document] = {}
        self._url_key = secrets.token_bytes(16)
        self._generators: dict[str, Callable[[Report], bytes | None]] = {INVENTORY_REPORT: self._inventory_report}
        for spec in seed.settlements:
            self.add_settlement(spec)

    # --- settlement reports ---------------------------------------------------------------------
    def add_settlement(self, spec: dict[str, Any]) -> str:
        """Publish a settlement report (as Amazon does at the end of a period); return its report id."""
        try:
            settlement = render(spec, self.clock.now(), self.seed.currency, self.seed.marketplace_name)
        except SettlementError as exc:
            raise ValueError(str(exc)) from exc
        if any(r.report_type == SETTLEMENT_TYPES[0] and r.options.get("settlementId") == settlement.settlement_id
               for r in self.reports.values()):
            raise ValueError(f"settlement {settlement.settlement_id} already exists")
        document = self._store(settlement.text.encode("utf-8"), settlement.gzip)
        created = settlement.end + 3600
        report = Report(self._report_id(), SETTLEMENT_TYPES[0], created, None, settlement.start, settlement.end,
                        {"settlementId": settlement.settlement_id}, ready_at=created, document_id=document.document_id)
        self.reports[report.report_id] = report
        return report.report_id

    # --- operations ---------------------------------------------------------------------------------
    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        """``createReport`` -> 202 ``{"reportId"}``."""
        report_type = body["reportType"]
        if report_type in SETTLEMENT_TYPES:
            raise InvalidInput(f"Request for report type {report_type} is not allowed at this time.")
        if not report_type.replace("_", "").isalnum() or not report_type.isupper():
            raise InvalidInput(f"Invalid reportType {report_type!r}.")
        for marketplace in body["marketplaceIds"]:
            if marketplace not in self.seed.marketplaces:
                raise InvalidInput(f"Invalid marketplaceId {marketplace!r}.")
        start = parse_datetime(body["dataStartTime"]).timestamp() if body.get("dataStartTime") else None
        end = parse_datetime(body["dataEndTime"]).timestamp() if body.get("dataEndTime") else None
        if start is not None and end is not None and start > end:
            raise InvalidInput("dataStartTime must not be later than dataEndTime.")
        report = Report(self._report_id(), report_type, self.clock.now(), list(body["marketplaceIds"]),
                        start, end, dict(body.get("reportOptions") or {}))
        self.reports[report.report_id] = report
        return {"reportId": report.report_id}

    def get(self, report_id: str) -> dict[str, Any]:
        """``getReport``."""
        return self._json(self._report(report_id))

    def cancel(self, report_id: str) -> None:
        """``cancelReport``: only a report still ``IN_QUEUE`` can be cancelled."""
        report = self._report(report_id)
        status = self._status(report)
        if status != "IN_QUEUE":
            raise InvalidInput(f"Report {report_id} is {status}; only reports IN_QUEUE can be cancelled.")
        report.cancelled = True
        report.ready_at = self.clock.now()

    def list_reports(self, params: dict[str, Any], given: set[str]) -> dict[str, Any]:
        """``getReports``: newest first; ``nextToken`` must come alone."""
        now = self.clock.now()
        if "nextToken" in given:
            if given != {"nextToken"}:
                raise InvalidInput("nextToken must be the only parameter when it is used.")
            entry = self.list_tokens.get(params["nextToken"])
            if entry is None:
                raise InvalidInput("Invalid nextToken.")
            query, offset, size = entry
        else:
            if "reportTypes" not in given:
                raise InvalidInput("Either reportTypes or nextToken is required.")
            since = parse_datetime(params["createdSince"]).timestamp() if "createdSince" in given else now - RETENTION
            until = parse_datetime(params["createdUntil"]).timestamp() if "createdUntil" in given else now
            query = (tuple(params["reportTypes"]), tuple(params.get("processingStatuses") or ()),
                     tuple(params.get("marketplaceIds") or ()), since, until)
            offset, size = 0, int(params.get("pageSize", 10))
        types, statuses, marketplaces, since, until = query
        matching = [r for r in self.reports.values()
                    if r.report_type in types and since <= r.created <= until and now - r.created <= RETENTION
                    and (not statuses or self._status(r) in statuses)
                    and (not marketplaces or set(marketplaces) & set(r.marketplace_ids or ()))]
        matching.sort(key=lambda r: (r.created, r.report_id), reverse=True)
        body: dict[str, Any] = {"reports": [self._json(r) for r in matching[offset:offset + size]]}
        if offset + size < len(matching):
            token = secrets.token_urlsafe(18)
            self.list_tokens[token] = (query, offset + size, size)
            body["nextToken"] = token
        return body

    def document(self, document_id: str, base_url: str, content_encoding: bool) -> dict[str, Any]:
        """``getReportDocument``: a presigned download URL valid for five minutes."""
        document = self.documents.get(document_id)
        if document is None:
            raise NotFound(f"Report document {document_id} not found.")
        issued = self.clock.utcnow().strftime("%Y%m%dT%H%M%SZ")
        query = {"X-Amz-Date": issued, "X-Amz-Expires": str(URL_LIFETIME)}
        if content_encoding and document.compressed:
            query["response-content-encoding"] = "gzip"
        query["X-Amz-Signature"] = self._signature(document_id, query)
        body: dict[str, Any] = {"reportDocumentId": document_id,
                                "url": f"{base_url.rstrip('/')}/__documents__/{document_id}?{urlencode(query)}"}
        if document.compressed:
            body["compressionAlgorithm"] = "GZIP"
        return body

    def download(self, document_id: str, query: dict[str, str]) -> Document:
        """Check a presigned URL and return the document; ValueError/LookupError explain why not."""
        document = self.documents.get(document_id)
        if document is None:
            raise LookupError("The specified key does not exist.")
        signed = {k: v for k, v in query.items() if k != "X-Amz-Signature"}
        if not hmac.compare_digest(query.get("X-Amz-Signature", ""), self._signature(document_id, signed)):
            raise PermissionError("The request signature we calculated does not match the signature you provided.")
        issued = datetime.strptime(signed["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
        if self.clock.now() > issued.timestamp() + int(signed["X-Amz-Expires"]):
            raise PermissionError("Request has expired")
        return document

    def fail(self, report_id: str) -> dict[str, Any]:
        """Abort a report that has not finished with ``FATAL`` (control route)."""
        report = self._report(report_id)
        status = self._status(report)
        if status not in ("IN_QUEUE", "IN_PROGRESS"):
            raise ValueError(f"report {report_id} is {status}; only a report in IN_QUEUE or IN_PROGRESS can fail")
        report.fatal, report.ready_at = True, max(self.clock.now(), self._timeline(report)[0])
        return self._json(report)

    # --- internals ---------------------------------------------------------------------------------
    def _report(self, report_id: str) -> Report:
        report = self.reports.get(report_id)
        if report is None or self.clock.now() - report.created > RETENTION:
            raise NotFound(f"Report {report_id} not found.")
        return report

    def _timeline(self, report: Report) -> tuple[float, float]:
        start = report.created + self.queue_seconds
        return start, start + self.processing_seconds

    def _status(self, report: Report) -> str:
        now = self.clock.now()
        if report.fatal:
            return "FATAL"
        if report.cancelled:
            return "CANCELLED"
        if report.ready_at is not None and report.document_id:
            return "DONE"
        started, finished = self._timeline(report)
        if now < started:
            return "IN_QUEUE"
        if now < finished:
            return "IN_PROGRESS"
        if report.document_id is None and not report.cancelled:
            content = self._generators.get(report.report_type, lambda r: None)(report)
            if content is None:
                report.cancelled = True  # no data: SP-API reports CANCELLED
                report.ready_at = finished
                return "CANCELLED"
            report.document_id = self._store(content, False).document_id
            report.ready_at = finished
        return "DONE"

    def _json(self, report: Report) -> dict[str, Any]:
        status = self._status(report)
        data: dict[str, Any] = {"reportId": report.report_id, "reportType": report.report_type,
                                "createdTime": iso(report.created), "processingStatus": status}
        if report.marketplace_ids is not None:
            data["marketplaceIds"] = list(report.marketplace_ids)
        if report.data_start is not None:
            data["dataStartTime"] = iso(report.data_start)
        if report.data_end is not None:
            data["dataEndTime"] = iso(report.data_end)
        started, _ = self._timeline(report)
        if status == "IN_PROGRESS":
            data["processingStartTime"] = iso(started)
        elif report.ready_at is not None and (status in ("DONE", "FATAL") or report.ready_at >= started):
            # finished, or found no data after processing (a report cancelled while queued never started)
            data["processingStartTime"] = iso(min(started, report.ready_at))
            data["processingEndTime"] = iso(report.ready_at)
        if status == "DONE" and report.document_id:
            data["reportDocumentId"] = report.document_id
        return data

    def _store(self, content: bytes, compress: bool) -> Document:
        document_id = f"amzn1.spdoc.1.4.na.{uuid.uuid4()}"
        document = Document(document_id, gzip.compress(content, mtime=0) if compress else content, compress)
        self.documents[document_id] = document
        return document

    def _report_id(self) -> str:
        return str(50000000000 + len(self.reports) * 7919 + secrets.randbelow(7919))

    def _signature(self, document_id: str, query: dict[str, str]) -> str:
        message = document_id + "&" + "&".join(f"{k}={query[k]}" for k in sorted(query))
        return hmac.new(self._url_key, message.encode("utf-8"), hashlib.sha256).hexdigest()

    def _inventory_report(self, report: Report) -> bytes | None:
        rows = ["\t".join(_INVENTORY_COLUMNS)]
        for sku, record in sorted(self.inventory.records.items()):
            item = self.seed.catalog[sku]
            reserved = sum(record.reserved.values())
            unsellable = sum(record.unfulfillable.values())
            warehouse = record.fulfillable + reserved + unsellable + sum(record.researching.values())
            rows.append("\t".join(str(v) for v in (
                sku, record.fnsku, record.asin, record.title, "New", f"{item.price:.2f}", "Yes", warehouse,
                record.fulfillable, unsellable, reserved, record.total(), record.inbound_working,
                record.inbound_shipped, record.inbound_receiving)))
        return ("\n".join(rows) + "\n").encode("utf-8")

    def state(self) -> dict[str, Any]:
        """Reports with their current status."""
        return {report_id: self._json(r) for report_id, r in sorted(self.reports.items())}
