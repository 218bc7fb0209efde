"""Multi-Channel Fulfillment orders (Fulfillment Outbound 2020-07-01): state and lifecycle.

Statuses follow FACTS §6.2: an accepted order is ``Received`` (or ``Unfulfillable`` when
``FillOrKill`` finds too little stock), then ``Planning``, ``Processing`` (shipments planned,
no longer cancellable), ``Complete`` (everything shipped; packages get tracking numbers) or
``CompletePartialled``. ``Hold`` orders wait until an update sends ``fulfillmentAction: Ship``.
The sandbox-only ``submitFulfillmentOrderStatusUpdate`` and the control route
``/__mock__/fulfillment-orders/<id>/advance`` drive the same transitions.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass, field
from typing import Any

from harness.mocks.core.clock import Clock, iso
from harness.mocks.spapi.exceptions import InvalidInput, NotFound
from harness.mocks.spapi.inventory import Inventory
from harness.mocks.spapi.seed import AmazonSeed

MAX_LINES = 100
MAX_UNITS = 250
_ITEM_ECHO = ("giftMessage", "displayableComment", "fulfillmentNetworkSku", "perUnitDeclaredValue",
              "perUnitPrice", "perUnitTax", "orderItemDisposition")
_ORDER_ECHO = ("deliveryWindow", "codSettings", "notificationEmails", "featureConstraints")
#: Which statuses a transition may start from.
_FROM = {
    "Planning": {"Received"},
    "Processing": {"Received", "Planning"},
    "Complete": {"Received", "Planning", "Processing"},
    "CompletePartialled": {"Received", "Planning", "Processing"},
    "Unfulfillable": {"New", "Received", "Planning"},
    "Invalid": {"New", "Received"},
    "Cancelled": {"New", "Received", "Planning"},
}
CANCELLABLE = {"New", "Received", "Planning"}
_TRACKING_EVENTS = {
    "shipped": ("EVENT_101", "Carrier notified to pick up package"),
    "picked_up": ("EVENT_102", "Shipment picked up from seller's facility"),
    "delivered": ("EVENT_301", "Delivered"),
}


@dataclass
class OrderItem:
    """A line of a fulfillment order."""

    sku: str
    item_id: str
    quantity: int
    reserved: int = 0
    cancelled: int = 0
    unfulfillable: int = 0
    shipped: int = 0
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass
class Package:
    """A shipped package with its tracking."""

    number: int
    carrier_code: str
    tracking_number: str
    ship_date: float
    estimated_arrival: float
    status: str = "IN_TRANSIT"
    events: list[tuple[float, str, str]] = field(default_factory=list)


@dataclass
class Shipment:
    """A planned or shipped shipment."""

    shipment_id: str
    status: str
    lines: list[dict[str, Any]]
    shipping_date: float | None = None
    estimated_arrival: float | None = None
    package: Package | None = None


@dataclass
class FulfillmentOrder:
    """An MCF order as Amazon keeps it."""

    fields: dict[str, Any]
    items: list[OrderItem]
    status: str
    received: float
    status_updated: float
    shipments: list[Shipment] = field(default_factory=list)
    return_items: list[dict[str, Any]] = field(default_factory=list)
    return_authorizations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def order_id(self) -> str:
        return str(self.fields["sellerFulfillmentOrderId"])

    def item(self, item_id: str) -> OrderItem | None:
        return next((i for i in self.items if i.item_id == item_id), None)


class FulfillmentOrders:
    """All fulfillment orders of the seller."""

    def __init__(self, seed: AmazonSeed, clock: Clock, inventory: Inventory, page_size: int = 50) -> None:
        self.seed = seed
        self.clock = clock
        self.inventory = inventory
        self.page_size = page_size
        self.orders: dict[str, FulfillmentOrder] = {}
        self.packages: dict[int, tuple[str, Shipment]] = {}
        self.list_tokens: dict[str, tuple[float | None, int]] = {}
        self._next_package = 100000001
        fc = seed.fulfillment_center
        self.fc_id = str(fc.get("id", "SEA8"))
        self.carrier = str(fc.get("carrier_code", "AMZN_US"))
        self.tracking_url = str(fc.get("tracking_url", "https://track.amazon.com/tracking/{tracking_number}"))

    # --- create / get / list --------------------------------------------------------------------
    def create(self, body: dict[str, Any]) -> None:
        """``createFulfillmentOrder`` for a schema-checked body."""
        order_id = body["sellerFulfillmentOrderId"]
        if order_id in self.orders:
            raise InvalidInput(f"A fulfillment order with sellerFulfillmentOrderId {order_id} already exists.")
        marketplace = body.get("marketplaceId", self.seed.marketplace_id)
        if marketplace not in self.seed.marketplaces:
            raise InvalidInput(f"Value {marketplace} for parameter marketplaceId is invalid.")
        self._check_address(body["destinationAddress"], "destinationAddress")
        items = self._check_items(body["items"])
        if body.get("shippingSpeedCategory") == "ScheduledDelivery":
            if body["destinationAddress"]["countryCode"] != "JP":
                raise InvalidInput("ShippingSpeedCategory ScheduledDelivery is only available in JP.")
            if body.get("fulfillmentAction", "Ship") != "Ship":
                raise InvalidInput("ScheduledDelivery orders must use fulfillmentAction Ship.")
        now = self.clock.now()
        fields = {k: v for k, v in body.items() if k != "items"}
        fields["marketplaceId"] = marketplace
        fields.setdefault("fulfillmentAction", "Ship")
        fields.setdefault("fulfillmentPolicy", "FillOrKill")
        order = FulfillmentOrder(fields, items, "Received", now, now)
        self._reserve(order)
        self.orders[order_id] = order

    def _check_address(self, address: dict[str, Any], where: str) -> None:
        country = address["countryCode"]
        if len(country) != 2 or not country.isalpha() or not country.isupper():
            raise InvalidInput(f"Value {country} for parameter {where}.countryCode is invalid: "
                               "expected an ISO 3166-1 alpha-2 code.")
        if country != "JP" and not address.get("city"):
            raise InvalidInput(f"Missing required field {where}.city (required everywhere except JP).")

    def _check_items(self, raw_items: list[dict[str, Any]]) -> list[OrderItem]:
        if not raw_items:
            raise InvalidInput("An order needs at least one item.")
        if len(raw_items) > MAX_LINES:
            raise InvalidInput(f"An order can have at most {MAX_LINES} items; got {len(raw_items)}.")
        units = sum(i["quantity"] for i in raw_items)
        if units > MAX_UNITS:
            raise InvalidInput(f"An order can have at most {MAX_UNITS} units; got {units}.")
        items: list[OrderItem] = []
        for raw in raw_items:
            item_id = raw["sellerFulfillmentOrderItemId"]
            if any(i.item_id == item_id for i in items):
                raise InvalidInput(f"Duplicate sellerFulfillmentOrderItemId {item_id} in the order.")
            if self.seed.item(raw["sellerSku"]) is None:
                raise InvalidInput(f"the SellerSKU for Item Id: {item_id} is invalid.")
            if raw["quantity"] < 1:
                raise InvalidInput(f"Value {raw['quantity']} for quantity of Item Id: {item_id} is invalid.")
            items.append(OrderItem(raw["sellerSku"], item_id, raw["quantity"],
                                   extras={k: raw[k] for k in _ITEM_ECHO if k in raw}))
        return items

    def _reserve(self, order: FulfillmentOrder) -> None:
        policy = order.fields["fulfillmentPolicy"]
        shortages = {i.item_id: i.quantity - self.inventory.records[i.sku].fulfillable for i in order.items}
        if policy == "FillOrKill" and any(short > 0 for short in shortages.values()):
            for item in order.items:
                item.unfulfillable = item.quantity
            order.status = "Unfulfillable"
            return
        for item in order.items:
            item.reserved = self.inventory.reserve(item.sku, item.quantity)
            missing = item.quantity - item.reserved
            if missing and policy == "FillAllAvailable":
                item.cancelled = missing
            elif missing:
                item.unfulfillable = missing

    def get(self, order_id: str) -> FulfillmentOrder:
        """The order or NotFound."""
        order = self.orders.get(order_id)
        if order is None:
            raise NotFound(f"Fulfillment order {order_id} not found.")
        return order

    def list_orders(self, params: dict[str, Any]) -> dict[str, Any]:
        """``listAllFulfillmentOrders``: orders updated at or after ``queryStartDate``, oldest first."""
        from harness.mocks.spapi.contract import parse_datetime

        if params.get("nextToken") is not None:
            if params["nextToken"] not in self.list_tokens:
                raise InvalidInput("Invalid nextToken.")
            start, offset = self.list_tokens[params["nextToken"]]
        else:
            start = parse_datetime(params["queryStartDate"]).timestamp() if params.get("queryStartDate") else None
            offset = 0
        orders = sorted((o for o in self.orders.values() if start is None or o.status_updated >= start),
                        key=lambda o: (o.status_updated, o.order_id))
        page = orders[offset:offset + self.page_size]
        payload: dict[str, Any] = {"fulfillmentOrders": [self.order_json(o) for o in page]}
        if offset + self.page_size < len(orders):
            token = secrets.token_urlsafe(18)
            self.list_tokens[token] = (start, offset + self.page_size)
            payload["nextToken"] = token
        return {"payload": payload}

    # --- update / cancel --------------------------------------------------------------------------
    def update(self, order_id: str, body: dict[str, Any]) -> None:
        """``updateFulfillmentOrder``: change (and usually release) an order on hold."""
        order = self.get(order_id)
        if order.fields.get("fulfillmentAction") != "Hold" or order.status not in CANCELLABLE:
            raise InvalidInput(f"Fulfillment order {order_id} cannot be updated: only orders on hold "
                               f"(fulfillmentAction Hold) in status Received or Planning can; it is "
                               f"{order.status} with fulfillmentAction {order.fields.get('fulfillmentAction')}.")
        if "marketplaceId" in body and body["marketplaceId"] != order.fields["marketplaceId"]:
            raise InvalidInput("marketplaceId cannot be changed.")
        if "destinationAddress" in body:
            self._check_address(body["destinationAddress"], "destinationAddress")
        for raw in body.get("items", []):
            item = order.item(raw["sellerFulfillmentOrderItemId"])
            if item is None:
                raise InvalidInput(f"Unknown sellerFulfillmentOrderItemId {raw['sellerFulfillmentOrderItemId']}.")
            if raw.get("sellerSku", item.sku) != item.sku:
                raise InvalidInput(f"sellerSku of Item Id: {item.item_id} cannot be changed.")
        for raw in body.get("items", []):
            item = order.item(raw["sellerFulfillmentOrderItemId"])
            assert item is not None
            self.inventory.release(item.sku, item.reserved)
            item.quantity = raw["quantity"]
            item.reserved = self.inventory.reserve(item.sku, item.quantity)
            item.unfulfillable = item.quantity - item.reserved
            item.extras.update({k: raw[k] for k in _ITEM_ECHO if k in raw})
        order.fields.update({k: v for k, v in body.items() if k != "items"})
        order.status_updated = self.clock.now()

    def cancel(self, order_id: str) -> None:
        """``cancelFulfillmentOrder``: only before picking starts (New, Received, Planning)."""
        order = self.get(order_id)
        if order.status == "Cancelled":
            return
        if order.status not in CANCELLABLE:
            raise InvalidInput(f"Fulfillment order {order_id} cannot be cancelled in status {order.status}.")
        self._close(order, "Cancelled", "CANCELLED_BY_SELLER")

    def _close(self, order: FulfillmentOrder, status: str, shipment_status: str) -> None:
        for item in order.items:
            open_units = item.quantity - item.shipped - item.cancelled - item.unfulfillable
            self.inventory.release(item.sku, item.reserved)
            item.reserved = 0
            if status == "Cancelled":
                item.cancelled += max(open_units, 0)
            else:
                item.unfulfillable += max(open_units, 0)
        for shipment in order.shipments:
            if shipment.status == "PENDING":
                shipment.status = shipment_status
        order.status = status
        order.status_updated = self.clock.now()

    # --- lifecycle ---------------------------------------------------------------------------------
    def advance(self, order_id: str, to: str, shipments: int = 1) -> FulfillmentOrder:
        """Move an order to status ``to`` as Amazon's network would (InvalidInput when it cannot)."""
        order = self.get(order_id)
        if to not in _FROM:
            raise InvalidInput(f"Cannot move a fulfillment order to {to}; expected one of {sorted(_FROM)}.")
        if to == order.status:
            return order
        if order.status not in _FROM[to]:
            raise InvalidInput(f"Fulfillment order {order_id} cannot move from {order.status} to {to}.")
        if to in ("Planning", "Processing", "Complete", "CompletePartialled") and order.fields.get("fulfillmentAction") == "Hold":
            raise InvalidInput(f"Fulfillment order {order_id} is on hold; release it with fulfillmentAction Ship first.")
        if to == "Cancelled":
            self.cancel(order_id)
        elif to in ("Unfulfillable", "Invalid"):
            self._close(order, to, "CANCELLED_BY_FULFILLER")
        elif to == "Planning":
            self._set(order, "Planning")
        elif to == "Processing":
            self._plan_shipments(order, shipments)
            self._set(order, "Processing")
        else:
            if not order.shipments:
                self._plan_shipments(order, shipments)
            self._ship(order)
            partial = any(i.unfulfillable or i.cancelled for i in order.items)
            if to == "Complete" and partial:
                to = "CompletePartialled"
            self._set(order, to)
        return order

    def _set(self, order: FulfillmentOrder, status: str) -> None:
        order.status = status
        order.status_updated = self.clock.now()

    def _plan_shipments(self, order: FulfillmentOrder, count: int) -> None:
        lines = [i for i in order.items if i.reserved > 0]
        if not lines:
            raise InvalidInput(f"Fulfillment order {order.order_id} has nothing fulfillable to ship.")
        count = max(1, min(count, len(lines)))
        order.shipments = []
        for index in range(count):
            group = lines[index::count]
            order.shipments.append(Shipment(
                shipment_id=_shipment_id(), status="PENDING",
                lines=[{"sellerSku": i.sku, "sellerFulfillmentOrderItemId": i.item_id, "quantity": i.reserved}
                       for i in group]))

    def _ship(self, order: FulfillmentOrder) -> None:
        now = self.clock.now()
        speed = self.seed.delivery_offers.get(order.fields["shippingSpeedCategory"], {"transit_days": [3, 5]})
        for shipment in order.shipments:
            if shipment.status != "PENDING":
                continue
            number = self._next_package
            self._next_package += 1
            arrival = now + speed["transit_days"][1] * 86400
            package = Package(number, self.carrier, "TBA" + "".join(secrets.choice(string.digits) for _ in range(12)),
                              now, arrival)
            package.events.append((now, *_TRACKING_EVENTS["shipped"]))
            shipment.status, shipment.shipping_date, shipment.estimated_arrival = "SHIPPED", now, arrival
            shipment.package = package
            self.packages[number] = (order.order_id, shipment)
            for line in shipment.lines:
                item = order.item(line["sellerFulfillmentOrderItemId"])
                assert item is not None
                self.inventory.ship(item.sku, line["quantity"])
                item.shipped += line["quantity"]
                item.reserved -= line["quantity"]

    def deliver(self, order_id: str, package_number: int | None = None) -> FulfillmentOrder:
        """Mark shipped packages (all, or one) delivered."""
        order = self.get(order_id)
        shipped = [s for s in order.shipments if s.package is not None and
                   (package_number is None or s.package.number == package_number)]
        if not shipped:
            raise InvalidInput(f"Fulfillment order {order_id} has no shipped package"
                               + (f" {package_number}" if package_number is not None else "") + ".")
        now = self.clock.now()
        for shipment in shipped:
            assert shipment.package is not None
            if shipment.package.status != "DELIVERED":
                shipment.package.status = "DELIVERED"
                shipment.package.events.append((now, *_TRACKING_EVENTS["delivered"]))
        return order

    # --- tracking and returns -----------------------------------------------------------------------
    def tracking(self, package_number: int) -> dict[str, Any]:
        """``getPackageTrackingDetails``."""
        if package_number not in self.packages:
            raise NotFound(f"Package {package_number} not found.")
        order_id, shipment = self.packages[package_number]
        order = self.orders[order_id]
        package = shipment.package
        assert package is not None
        address = order.fields["destinationAddress"]
        where = {"city": str(address.get("city", ""))[:150], "state": str(address.get("stateOrRegion", ""))[:150],
                 "country": str(address["countryCode"])[:6]}
        fc = {"city": "DuPont", "state": "WA", "country": "US"}
        details: dict[str, Any] = {
            "packageNumber": package.number,
            "trackingNumber": package.tracking_number,
            "customerTrackingLink": self.tracking_url.format(tracking_number=package.tracking_number),
            "carrierCode": package.carrier_code,
            "shipDate": iso(package.ship_date),
            "estimatedArrivalDate": iso(package.estimated_arrival),
            "shipToAddress": where,
            "currentStatus": package.status,
            "currentStatusDescription": "Delivered" if package.status == "DELIVERED" else "In transit",
            "trackingEvents": [{"eventDate": iso(at), "eventAddress": where if code == "EVENT_301" else fc,
                                "eventCode": code, "eventDescription": text}
                               for at, code, text in reversed(package.events)],
        }
        if package.status == "DELIVERED":
            details["signedForBy"] = str(address.get("name", ""))[:50]
        return {"payload": details}

    def create_return(self, order_id: str, items: list[dict[str, Any]]) -> dict[str, Any]:
        """``createFulfillmentReturn``: valid items become return items with an authorization."""
        order = self.get(order_id)
        codes = {c["code"] for c in self.seed.return_reason_codes}
        now = self.clock.now()
        valid: list[dict[str, Any]] = []
        invalid: list[dict[str, Any]] = []
        seen_ids = {r["sellerReturnItemId"] for r in order.return_items}
        authorization = order.return_authorizations[0] if order.return_authorizations else None
        for raw in items:
            reason = self._invalid_return_reason(order, raw, codes, seen_ids, valid)
            if reason:
                invalid.append({"sellerReturnItemId": raw["sellerReturnItemId"],
                                "sellerFulfillmentOrderItemId": raw["sellerFulfillmentOrderItemId"],
                                "invalidItemReason": {"invalidItemReasonCode": reason[0], "description": reason[1]}})
                continue
            if authorization is None:
                authorization = {
                    "returnAuthorizationId": "RA" + secrets.token_hex(5).upper(),
                    "fulfillmentCenterId": self.fc_id,
                    "returnToAddress": dict(self.seed.fulfillment_center.get("return_address") or {
                        "name": "Amazon Returns", "addressLine1": "1 Return Way", "city": "DuPont",
                        "postalCode": "98327", "countryCode": "US"}),
                    "amazonRmaId": "D" + "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(8)),
                    "rmaPageURL": "https://www.amazon.com/returns/label/" + secrets.token_hex(8),
                }
                order.return_authorizations.append(authorization)
            entry = {"sellerReturnItemId": raw["sellerReturnItemId"],
                     "sellerFulfillmentOrderItemId": raw["sellerFulfillmentOrderItemId"],
                     "amazonShipmentId": raw["amazonShipmentId"], "sellerReturnReasonCode": raw["returnReasonCode"],
                     "status": "New", "statusChangedDate": iso(now),
                     "returnAuthorizationId": authorization["returnAuthorizationId"], "fulfillmentCenterId": self.fc_id}
            if raw.get("returnComment"):
                entry["returnComment"] = raw["returnComment"]
            valid.append(entry)
            seen_ids.add(raw["sellerReturnItemId"])
        order.return_items.extend(valid)
        if valid:
            order.status_updated = now
        return {"payload": {"returnItems": valid, "invalidReturnItems": invalid,
                            "returnAuthorizations": list(order.return_authorizations) if valid else []}}

    def _invalid_return_reason(self, order: FulfillmentOrder, raw: dict[str, Any], codes: set[str],
                               seen_ids: set[str], pending: list[dict[str, Any]]) -> tuple[str, str] | None:
        if raw["sellerReturnItemId"] in seen_ids:
            return "DuplicateRequest", f"Return item {raw['sellerReturnItemId']} was already requested."
        item = order.item(raw["sellerFulfillmentOrderItemId"])
        shipment = next((s for s in order.shipments if s.shipment_id == raw["amazonShipmentId"]), None)
        if item is None or shipment is None or raw["returnReasonCode"] not in codes:
            return "InvalidValues", "Unknown item, shipment or return reason code."
        shipped = sum(line["quantity"] for line in shipment.lines
                      if line["sellerFulfillmentOrderItemId"] == item.item_id) if shipment.status == "SHIPPED" else 0
        if not shipped:
            return "NoCompletedShipItems", "The item has not shipped in that shipment."
        returned = sum(1 for r in order.return_items + pending
                       if r["sellerFulfillmentOrderItemId"] == item.item_id and r["amazonShipmentId"] == shipment.shipment_id)
        if returned >= shipped:
            return "NoReturnableQuantity", "Every shipped unit of the item is already being returned."
        return None

    def receive_returns(self, order_id: str, condition: str = "Sellable") -> FulfillmentOrder:
        """Returned units arrive at the fulfillment center and are graded (status Processed)."""
        allowed = ("Sellable", "Defective", "CustomerDamaged", "CarrierDamaged", "FulfillerDamaged")
        if condition not in allowed:
            raise InvalidInput(f"condition must be one of {', '.join(allowed)}; got {condition!r}.")
        order = self.get(order_id)
        pending = [r for r in order.return_items if r["status"] == "New"]
        if not pending:
            raise InvalidInput(f"Fulfillment order {order_id} has no open return items.")
        now = iso(self.clock.now())
        for entry in pending:
            item = order.item(entry["sellerFulfillmentOrderItemId"])
            assert item is not None
            entry.update(status="Processed", statusChangedDate=now, returnReceivedCondition=condition)
            self.inventory.receive_return(item.sku, 1, condition == "Sellable")
        order.status_updated = self.clock.now()
        return order

    def reason_codes(self, params: dict[str, Any]) -> dict[str, Any]:
        """``listReturnReasonCodes`` for a SKU of the catalog."""
        if self.seed.item(params["sellerSku"]) is None:
            raise InvalidInput(f"Value {params['sellerSku']} for parameter sellerSku is invalid.")
        if params.get("sellerFulfillmentOrderId") is not None:
            self.get(params["sellerFulfillmentOrderId"])
        return {"payload": {"reasonCodeDetails": [
            {"returnReasonCode": c["code"], "description": c.get("description", c["code"])}
            for c in self.seed.return_reason_codes]}}

    # --- preview ---------------------------------------------------------------------------------------
    def preview(self, body: dict[str, Any]) -> dict[str, Any]:
        """``getFulfillmentPreview``: can the items ship at each speed, and when would they arrive."""
        self._check_address(body["address"], "address")
        marketplace = body.get("marketplaceId", self.seed.marketplace_id)
        if marketplace not in self.seed.marketplaces:
            raise InvalidInput(f"Value {marketplace} for parameter marketplaceId is invalid.")
        for raw in body["items"]:
            if self.seed.item(raw["sellerSku"]) is None:
                raise InvalidInput(f"the SellerSKU for Item Id: {raw['sellerFulfillmentOrderItemId']} is invalid.")
        speeds = body.get("shippingSpeedCategories") or ["Standard", "Expedited", "Priority"]
        now = self.clock.now()
        previews = []
        for speed in dict.fromkeys(speeds):
            offer = self.seed.delivery_offers.get(speed)
            preview: dict[str, Any] = {"shippingSpeedCategory": speed, "isCODCapable": False, "marketplaceId": marketplace}
            if offer is None or (speed == "ScheduledDelivery" and body["address"]["countryCode"] != "JP"):
                preview.update(isFulfillable=False, orderUnfulfillableReasons=["ShippingSpeedNotAvailable"])
                previews.append(preview)
                continue
            shippable, unfulfillable = [], []
            weight = sum((self.seed.catalog[r["sellerSku"]].weight_kg * r["quantity"] for r in body["items"]))
            for raw in body["items"]:
                available = self.inventory.records[raw["sellerSku"]].fulfillable
                if raw["quantity"] <= available:
                    shippable.append({"sellerSku": raw["sellerSku"], "quantity": raw["quantity"],
                                      "sellerFulfillmentOrderItemId": raw["sellerFulfillmentOrderItemId"],
                                      "estimatedShippingWeight": {"unit": "KG", "value": str(self.seed.catalog[raw["sellerSku"]].weight_kg)},
                                      "shippingWeightCalculationMethod": "Package"})
                else:
                    unfulfillable.append({"sellerSku": raw["sellerSku"], "quantity": raw["quantity"],
                                          "sellerFulfillmentOrderItemId": raw["sellerFulfillmentOrderItemId"],
                                          "itemUnfulfillableReasons": ["InventoryUnavailable"]})
            ship_at = now + offer.get("ship_days", 1) * 86400
            preview.update(isFulfillable=not unfulfillable,
                           estimatedShippingWeight={"unit": "KG", "value": f"{weight:.3f}"},
                           fulfillmentPreviewShipments=[{
                               "earliestShipDate": iso(now), "latestShipDate": iso(ship_at),
                               "earliestArrivalDate": iso(ship_at + offer["transit_days"][0] * 86400),
                               "latestArrivalDate": iso(ship_at + offer["transit_days"][1] * 86400),
                               "fulfillmentPreviewItems": shippable}] if shippable else [],
                           unfulfillablePreviewItems=unfulfillable)
            if unfulfillable:
                preview["orderUnfulfillableReasons"] = ["InventoryUnavailable"]
            previews.append(preview)
        return {"payload": {"fulfillmentPreviews": previews}}

    # --- wire shapes ------------------------------------------------------------------------------------
    def order_json(self, order: FulfillmentOrder) -> dict[str, Any]:
        """A ``FulfillmentOrder``."""
        f = order.fields
        data = {"sellerFulfillmentOrderId": order.order_id, "marketplaceId": f["marketplaceId"],
                "displayableOrderId": f["displayableOrderId"], "displayableOrderDate": f["displayableOrderDate"],
                "displayableOrderComment": f["displayableOrderComment"],
                "shippingSpeedCategory": f["shippingSpeedCategory"], "destinationAddress": f["destinationAddress"],
                "fulfillmentAction": f["fulfillmentAction"], "fulfillmentPolicy": f["fulfillmentPolicy"],
                "receivedDate": iso(order.received), "fulfillmentOrderStatus": order.status,
                "statusUpdatedDate": iso(order.status_updated)}
        data.update({k: f[k] for k in _ORDER_ECHO if k in f})
        return data

    def result(self, order: FulfillmentOrder) -> dict[str, Any]:
        """The ``getFulfillmentOrder`` body."""
        speed = self.seed.delivery_offers.get(order.fields["shippingSpeedCategory"], {"ship_days": 1, "transit_days": [3, 5]})
        ship_at = order.received + speed.get("ship_days", 1) * 86400
        items = []
        for item in order.items:
            entry = {"sellerSku": item.sku, "sellerFulfillmentOrderItemId": item.item_id, "quantity": item.quantity,
                     "cancelledQuantity": item.cancelled, "unfulfillableQuantity": item.unfulfillable, **item.extras}
            if order.status not in ("Cancelled", "Unfulfillable", "Invalid"):
                entry["estimatedShipDate"] = iso(ship_at)
                entry["estimatedArrivalDate"] = iso(ship_at + speed["transit_days"][1] * 86400)
            items.append(entry)
        payload: dict[str, Any] = {"fulfillmentOrder": self.order_json(order), "fulfillmentOrderItems": items,
                                   "returnItems": list(order.return_items),
                                   "returnAuthorizations": list(order.return_authorizations)}
        if order.shipments:
            payload["fulfillmentShipments"] = [self._shipment_json(s) for s in order.shipments]
        if "paymentInformation" in order.fields:
            payload["paymentInformation"] = order.fields["paymentInformation"]
        return {"payload": payload}

    def _shipment_json(self, shipment: Shipment) -> dict[str, Any]:
        data: dict[str, Any] = {"amazonShipmentId": shipment.shipment_id, "fulfillmentCenterId": self.fc_id,
                                "fulfillmentShipmentStatus": shipment.status,
                                "fulfillmentShipmentItem": [dict(line, **({"packageNumber": shipment.package.number}
                                                                          if shipment.package else {}))
                                                            for line in shipment.lines]}
        if shipment.shipping_date is not None:
            data["shippingDate"] = iso(shipment.shipping_date)
        if shipment.estimated_arrival is not None:
            data["estimatedArrivalDate"] = iso(shipment.estimated_arrival)
        if shipment.package is not None:
            data["fulfillmentShipmentPackage"] = [{
                "packageNumber": shipment.package.number, "carrierCode": shipment.package.carrier_code,
                "trackingNumber": shipment.package.tracking_number,
                "estimatedArrivalDate": iso(shipment.package.estimated_arrival)}]
        return data

    def state(self) -> dict[str, Any]:
        """Orders by id with status, items and shipments (the wire shape)."""
        return {order_id: self.result(order)["payload"] for order_id, order in sorted(self.orders.items())}


def _shipment_id() -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(9))
