"""FBA Inventory: stock per seller SKU in Amazon's network and ``getInventorySummaries``.

Quantities move with Multi-Channel Fulfillment orders: creating an order reserves fulfillable
units (``pendingCustomerOrderQuantity``), shipping removes them, cancelling releases them.
Pagination tokens expire 30 seconds after they are issued (FACTS §5).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from harness.mocks.core.clock import Clock, iso
from harness.mocks.spapi.contract import parse_datetime
from harness.mocks.spapi.exceptions import InvalidInput
from harness.mocks.spapi.seed import AmazonSeed

NEXT_TOKEN_LIFETIME = 30.0
LOOKBACK = timedelta(days=548)  # "no earlier than 18 months prior"

#: Settable quantity fields (control route and seed) -> where they live.
QUANTITIES = {
    "fulfillable": ("fulfillable",), "inbound_working": ("inbound_working",),
    "inbound_shipped": ("inbound_shipped",), "inbound_receiving": ("inbound_receiving",),
    "pending_customer_order": ("reserved", "pending_customer_order"),
    "pending_transshipment": ("reserved", "pending_transshipment"),
    "fc_processing": ("reserved", "fc_processing"),
}
_RESEARCHING = {"short_term": "researchingQuantityInShortTerm", "mid_term": "researchingQuantityInMidTerm",
                "long_term": "researchingQuantityInLongTerm"}
_UNFULFILLABLE = {"customer_damaged": "customerDamagedQuantity", "warehouse_damaged": "warehouseDamagedQuantity",
                  "distributor_damaged": "distributorDamagedQuantity", "carrier_damaged": "carrierDamagedQuantity",
                  "defective": "defectiveQuantity", "expired": "expiredQuantity"}


@dataclass
class StockRecord:
    """One SKU's quantities in the fulfillment network."""

    sku: str
    asin: str
    fnsku: str
    title: str
    updated: float
    fulfillable: int = 0
    inbound_working: int = 0
    inbound_shipped: int = 0
    inbound_receiving: int = 0
    reserved: dict[str, int] = field(default_factory=dict)
    researching: dict[str, int] = field(default_factory=dict)
    unfulfillable: dict[str, int] = field(default_factory=dict)

    def total(self) -> int:
        """Units in inbound shipments or in the fulfillment centers."""
        return (self.fulfillable + self.inbound_working + self.inbound_shipped + self.inbound_receiving
                + sum(self.reserved.values()) + sum(self.researching.values()) + sum(self.unfulfillable.values()))

    def summary(self, marketplace_id: str, details: bool) -> dict[str, Any]:
        """An ``InventorySummary``."""
        summary: dict[str, Any] = {
            "asin": self.asin, "fnSku": self.fnsku, "sellerSku": self.sku, "condition": "NewItem",
            "lastUpdatedTime": iso(self.updated), "productName": self.title, "totalQuantity": self.total(),
            "stores": [],
        }
        if details:
            reserved = {"pendingCustomerOrderQuantity": self.reserved.get("pending_customer_order", 0),
                        "pendingTransshipmentQuantity": self.reserved.get("pending_transshipment", 0),
                        "fcProcessingQuantity": self.reserved.get("fc_processing", 0)}
            summary["inventoryDetails"] = {
                "fulfillableQuantity": self.fulfillable,
                "inboundWorkingQuantity": self.inbound_working,
                "inboundShippedQuantity": self.inbound_shipped,
                "inboundReceivingQuantity": self.inbound_receiving,
                "reservedQuantity": {"totalReservedQuantity": sum(reserved.values()), **reserved},
                "researchingQuantity": {
                    "totalResearchingQuantity": sum(self.researching.values()),
                    "researchingQuantityBreakdown": [
                        {"name": name, "quantity": self.researching.get(key, 0)} for key, name in _RESEARCHING.items()],
                },
                "unfulfillableQuantity": {
                    "totalUnfulfillableQuantity": sum(self.unfulfillable.values()),
                    **{name: self.unfulfillable.get(key, 0) for key, name in _UNFULFILLABLE.items()},
                },
            }
        return summary


@dataclass
class PageToken:
    """A ``nextToken`` and the query it continues."""

    offset: int
    query: tuple[Any, ...]
    created: float


class Inventory:
    """All SKUs' stock and the pagination tokens handed out."""

    def __init__(self, seed: AmazonSeed, clock: Clock, page_size: int = 50) -> None:
        self.seed = seed
        self.clock = clock
        self.page_size = page_size
        self.records: dict[str, StockRecord] = {}
        self.tokens: dict[str, PageToken] = {}
        now = clock.now()
        for item in seed.catalog.values():
            inv = item.inventory
            self.records[item.sku] = StockRecord(
                sku=item.sku, asin=item.asin, fnsku=item.fnsku, title=item.title,
                updated=now - item.updated_days_ago * 86400,
                fulfillable=inv.get("fulfillable", 0), inbound_working=inv.get("inbound_working", 0),
                inbound_shipped=inv.get("inbound_shipped", 0), inbound_receiving=inv.get("inbound_receiving", 0),
                reserved=dict(inv.get("reserved") or {}), researching=dict(inv.get("researching") or {}),
                unfulfillable=dict(inv.get("unfulfillable") or {}))

    # --- movements (used by fulfillment orders) ---------------------------------------------------
    def reserve(self, sku: str, quantity: int) -> int:
        """Reserve up to ``quantity`` fulfillable units for a customer order; return how many."""
        record = self.records[sku]
        taken = min(quantity, record.fulfillable)
        if taken:
            record.fulfillable -= taken
            record.reserved["pending_customer_order"] = record.reserved.get("pending_customer_order", 0) + taken
            record.updated = self.clock.now()
        return taken

    def release(self, sku: str, quantity: int) -> None:
        """Give reserved units back (a cancelled order)."""
        record = self.records[sku]
        quantity = min(quantity, record.reserved.get("pending_customer_order", 0))
        if quantity:
            record.reserved["pending_customer_order"] -= quantity
            record.fulfillable += quantity
            record.updated = self.clock.now()

    def ship(self, sku: str, quantity: int) -> None:
        """Reserved units leave the fulfillment center."""
        record = self.records[sku]
        quantity = min(quantity, record.reserved.get("pending_customer_order", 0))
        if quantity:
            record.reserved["pending_customer_order"] -= quantity
            record.updated = self.clock.now()

    def receive_return(self, sku: str, quantity: int, sellable: bool) -> None:
        """Returned units arrive: sellable ones become fulfillable, others customer-damaged."""
        record = self.records[sku]
        if sellable:
            record.fulfillable += quantity
        else:
            record.unfulfillable["customer_damaged"] = record.unfulfillable.get("customer_damaged", 0) + quantity
        record.updated = self.clock.now()

    def set_quantities(self, sku: str, changes: dict[str, Any]) -> StockRecord:
        """Set quantities from a control request (``fulfillable``, ``inbound_shipped``, ...)."""
        record = self.records.get(sku)
        if record is None:
            raise ValueError(f"unknown seller SKU {sku!r}; known: {', '.join(sorted(self.records))}")
        unknown = set(changes) - set(QUANTITIES)
        if unknown:
            raise ValueError(f"unknown quantity field(s) {sorted(unknown)}; expected some of {sorted(QUANTITIES)}")
        for key, value in changes.items():
            if not isinstance(value, int) or value < 0:
                raise ValueError(f"{key}: expected a whole number >= 0, got {value!r}")
            path = QUANTITIES[key]
            if len(path) == 1:
                setattr(record, path[0], value)
            else:
                getattr(record, path[0])[path[1]] = value
        record.updated = self.clock.now()
        return record

    # --- getInventorySummaries --------------------------------------------------------------------
    def summaries(self, params: dict[str, Any]) -> dict[str, Any]:
        """The ``getInventorySummaries`` body for already checked parameters."""
        marketplace = params["marketplaceIds"][0] if params["marketplaceIds"] else ""
        if marketplace not in self.seed.marketplaces:
            raise InvalidInput(f"Invalid marketplaceIds: {marketplace!r} is not a marketplace of this seller.")
        if params["granularityId"] != marketplace:
            raise InvalidInput(f"Invalid granularityId: {params['granularityId']!r} must equal the marketplace id "
                               f"when granularityType is Marketplace.")
        now = self.clock.now()
        start = params.get("startDateTime")
        start_at: float | None = None
        if start is not None:
            start_dt = parse_datetime(start)
            if start_dt < self.clock.utcnow() - LOOKBACK:
                raise InvalidInput("Query startDateTime cannot be earlier than 18 months before now.")
            start_at = start_dt.timestamp()
        if start_at is not None:
            skus: tuple[str, ...] | None = None  # sellerSkus / sellerSku are ignored with startDateTime
        elif params.get("sellerSkus"):
            skus = tuple(params["sellerSkus"])
        elif params.get("sellerSku"):
            skus = (params["sellerSku"],)
        else:
            skus = None
        query = (marketplace, start, skus)
        offset = 0
        token = params.get("nextToken")
        if token is not None:
            page = self.tokens.get(token)
            if page is None or now - page.created > NEXT_TOKEN_LIFETIME or page.query != query:
                raise InvalidInput("Next token is invalid or expired")
            offset = page.offset
        records = sorted((r for r in self.records.values()
                          if (skus is None or r.sku in skus) and (start_at is None or r.updated >= start_at)),
                         key=lambda r: r.sku)
        page_records = records[offset:offset + self.page_size]
        body: dict[str, Any] = {
            "payload": {
                "granularity": {"granularityType": params["granularityType"], "granularityId": params["granularityId"]},
                "inventorySummaries": [r.summary(marketplace, bool(params.get("details"))) for r in page_records],
            },
        }
        if offset + self.page_size < len(records):
            self._expire_tokens(now)
            next_token = secrets.token_urlsafe(24)
            self.tokens[next_token] = PageToken(offset + self.page_size, query, now)
            body["pagination"] = {"nextToken": next_token}
        return body

    def _expire_tokens(self, now: float) -> None:
        for value in [t for t, page in self.tokens.items() if now - page.created > NEXT_TOKEN_LIFETIME]:
            del self.tokens[value]

    def state(self) -> dict[str, Any]:
        """Quantities per SKU."""
        return {sku: {"fulfillable": r.fulfillable, "inbound_working": r.inbound_working,
                      "inbound_shipped": r.inbound_shipped, "inbound_receiving": r.inbound_receiving,
                      "reserved": dict(r.reserved), "researching": dict(r.researching),
                      "unfulfillable": dict(r.unfulfillable), "total": r.total(), "updated": iso(r.updated)}
                for sku, r in sorted(self.records.items())}
