"""SP-API state and behaviour, free of HTTP: FBA inventory, MCF orders, reports.

:class:`SpApiBackend` holds one seller's data (from ``config/seed/amazon.yaml``) and answers each
operation by name with ``(status, body)``; the parameters and body arrive already checked against
the mock's contract (``schemas/``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from harness.mocks.core.clock import Clock
from harness.mocks.spapi.exceptions import InvalidInput
from harness.mocks.spapi.inventory import Inventory
from harness.mocks.spapi.outbound import FulfillmentOrders
from harness.mocks.spapi.reports import Reports
from harness.mocks.spapi.seed import AmazonSeed, load_seed


@dataclass
class Call:
    """One checked request: parameters (with defaults), which ones the caller gave, and the body."""

    params: dict[str, Any]
    given: set[str] = field(default_factory=set)
    body: Any = None
    base_url: str = ""


Result = tuple[int, Any]


class SpApiBackend:
    """One seller's SP-API world."""

    def __init__(self, settings: dict[str, Any], clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self._handlers: dict[str, Callable[[Call], Result]] = {
            "getInventorySummaries": lambda c: (200, self.inventory.summaries(c.params)),
            "getFulfillmentPreview": lambda c: (200, self.orders.preview(c.body)),
            "listAllFulfillmentOrders": lambda c: (200, self.orders.list_orders(c.params)),
            "createFulfillmentOrder": self._create_order,
            "getFulfillmentOrder": lambda c: (200, self.orders.result(self.orders.get(c.params["sellerFulfillmentOrderId"]))),
            "updateFulfillmentOrder": self._update_order,
            "cancelFulfillmentOrder": self._cancel_order,
            "submitFulfillmentOrderStatusUpdate": self._status_update,
            "getPackageTrackingDetails": lambda c: (200, self.orders.tracking(c.params["packageNumber"])),
            "listReturnReasonCodes": lambda c: (200, self.orders.reason_codes(c.params)),
            "createFulfillmentReturn": lambda c: (200, self.orders.create_return(c.params["sellerFulfillmentOrderId"],
                                                                                 c.body["items"])),
            "getReports": lambda c: (200, self.reports.list_reports(c.params, c.given)),
            "createReport": lambda c: (202, self.reports.create(c.body)),
            "getReport": lambda c: (200, self.reports.get(c.params["reportId"])),
            "cancelReport": self._cancel_report,
            "getReportDocument": lambda c: (200, self.reports.document(
                c.params["reportDocumentId"], c.base_url, bool(c.params.get("enableContentEncodingUrlHeader")))),
        }
        self.reset()

    def reset(self) -> None:
        """Back to the seed."""
        self.seed: AmazonSeed = load_seed(self.settings)
        self.inventory = Inventory(self.seed, self.clock, int(self.settings.get("inventory_page_size", 50)))
        self.orders = FulfillmentOrders(self.seed, self.clock, self.inventory,
                                        int(self.settings.get("orders_page_size", 50)))
        self.reports = Reports(self.seed, self.clock, self.inventory, self.settings)

    def handles(self, operation: str) -> bool:
        """Whether the backend implements an operation."""
        return operation in self._handlers

    def call(self, operation: str, call: Call) -> Result:
        """Answer one operation."""
        return self._handlers[operation](call)

    def _create_order(self, call: Call) -> Result:
        self.orders.create(call.body)
        return 200, {}

    def _update_order(self, call: Call) -> Result:
        self.orders.update(call.params["sellerFulfillmentOrderId"], call.body)
        return 200, {}

    def _cancel_order(self, call: Call) -> Result:
        self.orders.cancel(call.params["sellerFulfillmentOrderId"])
        return 200, {}

    def _status_update(self, call: Call) -> Result:
        status = call.body.get("fulfillmentOrderStatus")
        if status is None:
            raise InvalidInput("Missing required field fulfillmentOrderStatus.")
        self.orders.advance(call.params["sellerFulfillmentOrderId"], status)
        return 200, {}

    def _cancel_report(self, call: Call) -> Result:
        self.reports.cancel(call.params["reportId"])
        return 200, None

    def state(self) -> dict[str, Any]:
        """Inventory, fulfillment orders and reports as JSON."""
        return {"seller_id": self.seed.seller_id, "inventory": self.inventory.state(),
                "fulfillment_orders": self.orders.state(), "reports": self.reports.state()}
