"""Buy with Prime state and behaviour, free of HTTP and GraphQL: catalog, buyable stock, orders.

An order (``322-XXXX-XXXXXX``) has line items, aliases unique per store, an execution state
(``NOT_STARTED`` until the merchant starts it, then ``STARTED``) and, for Amazon-fulfilled
lines, packages that move ``PENDING -> IN_TRANSIT -> DELIVERED`` or end ``CANCELLED`` (reasons
``CUSTOMER_REQUESTED``, ``UNFULFILLABLE``, ``UNDELIVERABLE``). A cancellation request starts
``PENDING`` and is decided ``cancellation_delay`` seconds later on the mock's clock: ``REJECTED``
once any package has shipped, else ``SUCCESS`` (packages cancelled, refund requested). Returns
run ``RETURN_STARTED`` to ``RETURN_COMPLETED``. Every move publishes its event through the
:class:`~harness.mocks.bwp.events.EventBus`.
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from harness.mocks.bwp.events import EventBus
from harness.mocks.bwp.exceptions import ConflictError, ResourceNotFoundError, ValidationError
from harness.mocks.core.clock import Clock, iso
from harness.mocks.spapi.seed import AmazonSeed, CatalogItem

MAX_ALIASES = 5
MAX_LINES = 40
MILESTONE_CODES = ("PENDING", "INFO_RECEIVED", "IN_TRANSIT", "DELAYED", "OUT_FOR_DELIVERY", "AVAILABLE_FOR_PICKUP",
                   "DELIVERY_ATTEMPTED", "DELIVERED", "EXCEPTION", "LOST", "UNDELIVERABLE", "RETURN_TO_SENDER",
                   "CUSTOMER_ACTION")
CONDITIONS = ("SELLABLE", "DEFECTIVE", "DAMAGED", "FULFILLMENT_EXPIRED")


class StepRejected(Exception):
    """A control step that does not fit the order's current state."""


def _code(length: int) -> str:
    return "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(length))


@dataclass
class LineItem:
    id: str
    sku: str | None
    product_id: str | None
    title: str | None
    price: dict[str, Any] | None
    quantity: int
    provider: str
    offer: dict[str, Any]
    created: float
    aliases: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Package:
    id: str
    lines: dict[str, int]  # line item id -> units
    state: str = "PENDING"
    reason: str | None = None
    tracking_number: str | None = None
    carrier_code: str | None = None
    milestones: list[dict[str, Any]] = field(default_factory=list)
    estimate: tuple[float, float] | None = None
    aliases: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Cancellation:
    id: str
    reason: str | None
    comments: str | None
    aliases: list[dict[str, str]]
    created: float
    due: float
    state: str = "PENDING"
    updated: float = 0.0


@dataclass
class Refund:
    id: str
    lines: dict[str, int]
    total: Decimal
    currency: str
    reason: str | None
    created: float
    state: str = "PENDING"
    status_reason: str | None = None
    updated: float = 0.0
    aliases: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Return:
    id: str
    lines: dict[str, int]
    created: float
    state: str = "CREATED"
    package_id: str = ""
    package_state: str = "CREATED"
    package_reason: str | None = None
    graded: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    updated: float = 0.0


@dataclass
class Order:
    id: str
    aliases: list[dict[str, str]]
    customer: dict[str, Any] | None
    recipient: dict[str, Any] | None
    line_items: list[LineItem]
    execution_state: str
    created: float
    updated: float
    order_links: list[dict[str, Any]]
    total_price: dict[str, Any] | None
    packages: list[Package] = field(default_factory=list)
    cancellations: list[Cancellation] = field(default_factory=list)
    refunds: list[Refund] = field(default_factory=list)
    returns: list[Return] = field(default_factory=list)

    def line(self, line_id: str) -> LineItem | None:
        return next((line for line in self.line_items if line.id == line_id), None)

    def package(self, package_id: str) -> Package | None:
        return next((p for p in self.packages if p.id == package_id), None)


@dataclass
class Product:
    """A catalog product (from the seed's ``bwp`` entries)."""

    id: str
    item: CatalogItem
    offer_prime: bool
    buyable: int
    inventory_item_id: str


class BwpBackend:
    """One business product's Buy with Prime world."""

    def __init__(self, seed: AmazonSeed, clock: Clock, events: EventBus, cancellation_delay: float = 2.0) -> None:
        self.seed = seed
        self.clock = clock
        self.events = events
        self.cancellation_delay = cancellation_delay
        self.reset()

    def reset(self) -> None:
        """Back to the seeded catalog with no orders."""
        self.orders: dict[str, Order] = {}
        self.aliases: dict[tuple[str, str], str] = {}
        self.products: dict[str, Product] = {}
        for item in self.seed.catalog.values():
            bwp = item.bwp
            if not bwp:
                continue
            product = Product(str(bwp.get("product_id", item.sku)), item, bool(bwp.get("offer_prime", True)),
                              int(bwp.get("buyable", 0)), str(bwp.get("inventory_item_id", item.fnsku)))
            self.products[product.id] = product

    # --- lookups ----------------------------------------------------------------------------------
    def find_product(self, identifier: dict[str, Any]) -> Product | None:
        given = {k: v for k, v in identifier.items() if v is not None}
        if len(given) != 1:
            raise ValidationError("A product identifier needs exactly one of productId, sku or externalId.",
                                  "InvalidProductIdentifier")
        (kind, value), = given.items()
        for product in self.products.values():
            if (kind == "productId" and product.id == value) or (kind == "sku" and product.item.sku == value) \
                    or (kind == "externalId" and product.item.material == value):
                return product
        return None

    def find_order(self, identifier: dict[str, Any]) -> Order:
        """The order named by ``{orderId}`` or ``{alias: {aliasType, aliasId}}``."""
        order_id, alias = identifier.get("orderId"), identifier.get("alias")
        if (order_id is None) == (alias is None):
            raise ValidationError("orderIdentifier needs exactly one of orderId or alias.", "InvalidOrderIdentifier")
        if alias is not None:
            order_id = self.aliases.get((alias["aliasType"], alias["aliasId"]))
        order = self.orders.get(order_id or "")
        if order is None:
            raise ResourceNotFoundError("The order could not be found.", "OrderNotFound")
        return order

    def find_for_control(self, reference: str) -> Order:
        """An order by id, or by an alias id unique across alias types (control routes)."""
        if reference in self.orders:
            return self.orders[reference]
        hits = {oid for (atype, aid), oid in self.aliases.items() if aid == reference}
        if len(hits) != 1:
            raise LookupError(f"no order {reference!r} (by id or alias id)")
        return self.orders[hits.pop()]

    # --- createOrder ---------------------------------------------------------------------------------
    def create_order(self, data: dict[str, Any]) -> Order:
        lines_in = data.get("lineItems") or []
        if not lines_in or any(line is None for line in lines_in):
            raise ValidationError("lineItems must hold at least one line item.", "InvalidLineItems")
        if len(lines_in) > MAX_LINES:
            raise ValidationError(f"An order can have at most {MAX_LINES} line items.", "LineItemLimitExceeded")
        aliases = self._aliases(data.get("aliases"), "aliases")
        self._check_new_aliases(aliases)
        now = self.clock.now()
        lines: list[LineItem] = []
        demand: dict[str, int] = {}
        for index, raw in enumerate(lines_in):
            line = self._line(raw, index, now)
            lines.append(line)
            if line.provider == "AMAZON" and line.product_id:
                demand[line.product_id] = demand.get(line.product_id, 0) + line.quantity
        if any(line.provider == "AMAZON" for line in lines):
            address = (data.get("recipient") or {}).get("deliveryAddress")
            if not address:
                raise ValidationError("recipient.deliveryAddress is required for Amazon-fulfilled line items.",
                                      "InvalidAddress")
            if not re.fullmatch(r"[A-Z]{2}", address.get("countryCode", "")):
                raise ValidationError("recipient.deliveryAddress.countryCode must be an ISO 3166-1 alpha-2 code.",
                                      "InvalidAddress")
        for product_id, units in demand.items():
            product = self.products[product_id]
            if units > product.buyable:
                raise ValidationError(f"Only {product.buyable} units of {product.item.sku} can be bought; "
                                      f"{units} were ordered.", "ItemAmountUnavailable")
        links = [dict(link) for link in data.get("orderLinks") or [] if link]
        if len(links) > MAX_ALIASES:
            raise ValidationError("An order can have at most 5 orderLinks.", "OrderLinkLimitExceeded")
        order = Order(id=f"322-{_code(4)}-{_code(6)}", aliases=aliases, customer=data.get("customer"),
                      recipient=data.get("recipient"), line_items=lines,
                      execution_state=data.get("desiredExecutionState") or "NOT_STARTED", created=now, updated=now,
                      order_links=links, total_price=data.get("totalPrice"))
        amazon = {line.id: line.quantity for line in lines if line.provider == "AMAZON"}
        if amazon:
            order.packages.append(Package(f"PKG-{_code(10)}", amazon))
        self.orders[order.id] = order
        for alias in aliases:
            self.aliases[(alias["aliasType"], alias["aliasId"])] = order.id
        for product_id, units in demand.items():
            self._change_buyable(self.products[product_id], -units)
        return order

    def _line(self, raw: dict[str, Any], index: int, now: float) -> LineItem:
        where = f"lineItems[{index}]"
        quantity = raw["amount"]["value"]
        if quantity < 1:
            raise ValidationError(f"{where}.amount.value must be at least 1.", "InvalidAmount")
        offer = raw["selectedDeliveryOffer"]
        if (offer.get("details") is None) == (offer.get("summary") is None):
            raise ValidationError(f"{where}.selectedDeliveryOffer needs exactly one of details or summary.",
                                  "InvalidDeliveryOffer")
        details = offer.get("details") or {}
        provider = details.get("deliveryProvider", "AMAZON")
        terms = details.get("deliveryTerms") or {}
        product_in = raw.get("product")
        product = self.find_product(product_in["identifier"]) if product_in else None
        if provider == "AMAZON":
            if product_in is None:
                raise ValidationError(f"{where}.product is required for Amazon-fulfilled line items.",
                                      "InvalidLineItems")
            if product is None:
                raise ValidationError(f"{where}.product does not exist in the catalog.", "ItemDoesNotExist")
            if terms.get("isPrimeEligible"):
                if not product.offer_prime:
                    raise ValidationError(f"{where}: {product.item.sku} has no Prime offer.", "InvalidDeliveryOffer")
                if not details.get("id") or not details.get("deliveryPreviewId"):
                    raise ValidationError(f"{where}.selectedDeliveryOffer.details needs id and deliveryPreviewId "
                                          "for a Prime offer delivered by AMAZON.", "InvalidDeliveryOffer")
        price = (product_in or {}).get("price")
        sku = product.item.sku if product else ((product_in or {}).get("identifier") or {}).get("sku")
        return LineItem(id=f"LI-{_code(12)}", sku=sku, product_id=product.id if product else None,
                        title=(product_in or {}).get("title") or (product.item.title if product else None),
                        price=price, quantity=quantity, provider=provider, offer=details or dict(offer["summary"]),
                        created=now, aliases=self._aliases(raw.get("aliases"), f"{where}.aliases"))

    def _aliases(self, raw: list[dict[str, str]] | None, where: str) -> list[dict[str, str]]:
        aliases = [{"aliasType": a["aliasType"], "aliasId": a["aliasId"]} for a in raw or [] if a]
        if len(aliases) > MAX_ALIASES:
            raise ValidationError(f"{where}: at most {MAX_ALIASES} aliases are allowed.", "AliasLimitExceeded")
        return aliases

    def _check_new_aliases(self, aliases: list[dict[str, str]]) -> None:
        seen: set[tuple[str, str]] = set()
        for alias in aliases:
            key = (alias["aliasType"], alias["aliasId"])
            if key in self.aliases or key in seen:
                raise ConflictError(f"An order with alias {key[0]}={key[1]} already exists.", "AliasValueAlreadyExists")
            seen.add(key)

    # --- updateOrder --------------------------------------------------------------------------------
    def update_order(self, identifier: dict[str, Any], data: dict[str, Any]) -> Order:
        order = self.find_order(identifier)
        new_aliases = self._aliases(data.get("aliases"), "aliases")
        if len(order.aliases) + len(new_aliases) > MAX_ALIASES:
            raise ValidationError(f"An order can have at most {MAX_ALIASES} aliases.", "AliasLimitExceeded")
        self._check_new_aliases(new_aliases)
        desired = data.get("desiredExecutionState")
        if desired == "NOT_STARTED" and order.execution_state == "STARTED":
            raise ValidationError("A started order cannot go back to NOT_STARTED.", "InvalidExecutionState")
        refunds = (data.get("refunds") or {}).get("details") or []
        for raw in refunds:
            if raw and raw.get("id") and not any(r.id == raw["id"] for r in order.refunds):
                raise ResourceNotFoundError(f"Refund {raw['id']} does not exist on this order.", "RefundNotFound")
        for raw in data.get("lineItems") or []:
            if raw and order.line(raw["id"]) is None:
                raise ResourceNotFoundError(f"Line item {raw['id']} does not exist on this order.", "LineItemNotFound")
        now = self.clock.now()
        order.aliases.extend(new_aliases)
        for alias in new_aliases:
            self.aliases[(alias["aliasType"], alias["aliasId"])] = order.id
        if desired == "STARTED":
            order.execution_state = "STARTED"
        for raw in data.get("lineItems") or []:
            if raw:
                line = order.line(raw["id"])
                assert line is not None
                line.aliases.extend(self._aliases(raw.get("aliases"), "lineItems.aliases"))
        for raw in data.get("orderLinks") or []:
            if raw and len(order.order_links) < MAX_ALIASES:
                order.order_links.append(dict(raw))
        for raw in refunds:
            if raw:
                self._sync_refund(order, raw, now)
        if data.get("totalPrice"):
            order.total_price = data["totalPrice"]
        order.updated = now
        return order

    def _sync_refund(self, order: Order, raw: dict[str, Any], now: float) -> None:
        refund = next((r for r in order.refunds if r.id == raw.get("id")), None)
        if refund is None:
            total = (raw.get("refundTotal") or {}).get("totalAmount") or {}
            lines = {item["lineItemId"]: (item.get("amount") or {}).get("value", 1)
                     for item in ((raw.get("refundFor") or {}).get("orderLineItems") or []) if item}
            refund = Refund(f"RF-{_code(10)}", lines, Decimal(str(total.get("amount", 0))),
                            total.get("currencyCode", self.seed.currency), raw.get("refundRequestReason"), now)
            order.refunds.append(refund)
        refund.state = raw["state"]
        refund.status_reason = raw.get("refundStatusReason") or refund.status_reason
        refund.aliases.extend(self._aliases(raw.get("aliases"), "refunds.aliases"))
        refund.updated = now

    # --- cancelOrder ----------------------------------------------------------------------------------
    def cancel_order(self, identifier: dict[str, Any], data: dict[str, Any] | None) -> Cancellation:
        order = self.find_order(identifier)
        data = data or {}
        if any(c.state == "PENDING" for c in order.cancellations):
            raise ConflictError("A cancellation of this order is already pending.", "CancellationAlreadyRequested")
        if any(c.state == "SUCCESS" for c in order.cancellations):
            raise ConflictError("The order is already cancelled.", "OrderAlreadyCancelled")
        now = self.clock.now()
        cancellation = Cancellation(f"CN-{_code(10)}", data.get("reason"), data.get("additionalComments"),
                                    self._aliases(data.get("aliases"), "aliases"), now,
                                    now + self.cancellation_delay, updated=now)
        order.cancellations.append(cancellation)
        order.updated = now
        return cancellation

    def process_due(self) -> int:
        """Decide every pending cancellation whose time has come; return how many."""
        now = self.clock.now()
        decided = 0
        for order in list(self.orders.values()):
            for cancellation in order.cancellations:
                if cancellation.state == "PENDING" and cancellation.due <= now:
                    self._decide(order, cancellation)
                    decided += 1
        return decided

    def _decide(self, order: Order, cancellation: Cancellation) -> None:
        now = self.clock.now()
        cancellation.updated = now
        order.updated = now
        if any(p.state in ("IN_TRANSIT", "DELIVERED") for p in order.packages):
            cancellation.state = "REJECTED"
            return
        cancellation.state = "SUCCESS"
        for package in order.packages:
            if package.state == "PENDING":
                self._cancel_package(order, package, "CUSTOMER_REQUESTED", refund=False)
        self._request_refund(order, {line.id: line.quantity for line in order.line_items}, "CANCELLED_ORDER")

    # --- catalog and inventory --------------------------------------------------------------------------
    def list_products(self, first: int | None, after: str | None, rsql: str | None) -> dict[str, Any]:
        first = 20 if first is None else first
        if not 1 <= first <= 20:
            raise ValidationError("first must be between 1 and 20.", "InvalidPageSize")
        products = sorted(self.products.values(), key=lambda p: p.id)
        products = [p for p in products if self._matches(p, rsql)]
        start = 0
        if after:
            ids = [f"catalogid#{p.id}" for p in products]
            if after not in ids:
                raise ValidationError("after is not a cursor of this listing.", "InvalidCursor")
            start = ids.index(after) + 1
        page = products[start:start + first]
        edges = [{"cursor": f"catalogid#{p.id}", "node": self.product_view(p)} for p in page]
        return {"pageInfo": {"hasNextPage": start + first < len(products), "hasPreviousPage": start > 0,
                             "startCursor": edges[0]["cursor"] if edges else None,
                             "endCursor": edges[-1]["cursor"] if edges else None},
                "edges": edges}

    def _matches(self, product: Product, rsql: str | None) -> bool:
        if not rsql:
            return True
        for clause in rsql.split(";"):
            match = re.fullmatch(r"\s*([\w.]+)\s*==\s*\"?([^\"]*)\"?\s*", clause)
            if not match:
                raise ValidationError(f"Unsupported filter clause {clause!r}; use field==value joined by ';'.",
                                      "InvalidFilter")
            name, value = match.groups()
            actual = {"id": product.id, "sku.value": product.item.sku, "externalId.value": product.item.material,
                      "offerPrime": str(product.offer_prime).lower(), "amazonSku.value": product.item.asin}.get(name)
            if actual is None:
                raise ValidationError(f"Cannot filter on {name!r}.", "InvalidFilter")
            if actual != value:
                return False
        return True

    def product_view(self, product: Product) -> dict[str, Any]:
        return {"__typename": "Product", "id": product.id, "externalId": {"value": product.item.material},
                "sku": {"value": product.item.sku},
                "amazonSku": {"marketplaceId": self.seed.marketplace_id, "value": product.item.asin},
                "offerPrime": product.offer_prime,
                "productDetailPageUrl": f"https://www.amazon.com/dp/{product.item.asin}",
                "image": {"displayReadyUrl": f"https://images.example.com/{product.item.asin}.jpg",
                          "sourceUrl": f"https://images.example.com/src/{product.item.asin}.jpg"},
                "title": product.item.title}

    def inventory_item(self, inventory_item_id: str) -> dict[str, Any]:
        if not 1 <= len(inventory_item_id) <= 14:
            raise ValidationError("inventoryItemId must be 1 to 14 characters long.", "InvalidInventoryItemId")
        product = next((p for p in self.products.values() if p.inventory_item_id == inventory_item_id), None)
        if product is None:
            raise ResourceNotFoundError(f"Inventory item {inventory_item_id} does not exist.", "InventoryItemNotFound")
        return {"inventoryItemId": inventory_item_id, "buyableQuantity": {"unit": "UNIT", "amount": product.buyable}}

    def set_buyable(self, reference: str, amount: int) -> Product:
        """Set a product's buyable units (by SKU, product id or inventory item id)."""
        product = next((p for p in self.products.values()
                        if reference in (p.id, p.item.sku, p.inventory_item_id)), None)
        if product is None:
            raise LookupError(f"no product {reference!r} (SKU, product id or inventory item id)")
        if not isinstance(amount, int) or amount < 0:
            raise ValueError(f"'buyable' must be a whole number >= 0, got {amount!r}")
        self._change_buyable(product, amount - product.buyable)
        return product

    def _change_buyable(self, product: Product, delta: int) -> None:
        if delta == 0:
            return
        product.buyable = max(0, product.buyable + delta)
        self.events.publish("INVENTORY_CHANGED", self.events.resource("item-quantities", product.inventory_item_id))

    def package_tracker(self, tracking_number: str, carrier_code: str) -> dict[str, Any]:
        for order in self.orders.values():
            for package in order.packages:
                if package.tracking_number == tracking_number and package.carrier_code == carrier_code:
                    return self.tracker_view(package)
        raise ResourceNotFoundError("No package with that tracking number and carrier.", "PackageTrackerNotFound")

    # --- the order's life (control steps) ---------------------------------------------------------------
    def advance(self, order: Order, step: str, args: dict[str, Any]) -> None:
        """Apply one control step; raise StepRejected when the order's state does not allow it."""
        handlers = {
            "start": self._step_start, "split": self._step_split, "in_transit": self._step_in_transit,
            "milestone": self._step_milestone, "delivered": self._step_delivered,
            "cancel_package": self._step_cancel_package, "return_started": self._step_return_started,
            "return_in_transit": self._step_return_in_transit, "return_delivered": self._step_return_delivered,
            "return_failed": self._step_return_failed, "return_graded": self._step_return_graded,
            "return_completed": self._step_return_completed, "refund_requested": self._step_refund_requested,
            "resolve_cancellation": self._step_resolve_cancellation,
        }
        if step not in handlers:
            raise ValueError(f"unknown step {step!r}; expected one of {sorted(handlers)}")
        handlers[step](order, args)
        order.updated = self.clock.now()

    def _package(self, order: Order, args: dict[str, Any], states: tuple[str, ...]) -> Package:
        wanted = args.get("package")
        if isinstance(wanted, int):
            if not 0 <= wanted < len(order.packages):
                raise StepRejected(f"package index {wanted} out of range (0..{len(order.packages) - 1})")
            package = order.packages[wanted]
        elif wanted is not None:
            found = order.package(str(wanted))
            if found is None:
                raise StepRejected(f"order {order.id} has no package {wanted!r}")
            package = found
        else:
            candidates = [p for p in order.packages if p.state in states]
            if not candidates:
                raise StepRejected(f"order {order.id} has no package in state {'/'.join(states)}")
            package = candidates[0]
        if package.state not in states:
            raise StepRejected(f"package {package.id} is {package.state}; this step needs {'/'.join(states)}")
        return package

    def _delivery_resource(self, order: Order, package: Package) -> str:
        return self.events.resource("order", order.id, "delivery", package.id)

    def _step_start(self, order: Order, args: dict[str, Any]) -> None:
        order.execution_state = "STARTED"

    def _step_split(self, order: Order, args: dict[str, Any]) -> None:
        if any(p.state != "PENDING" for p in order.packages) or not order.packages:
            raise StepRejected("only an order whose packages are all PENDING can be split")
        total: dict[str, int] = {}
        for package in order.packages:
            for line_id, units in package.lines.items():
                total[line_id] = total.get(line_id, 0) + units
        groups = args.get("packages")
        if groups is None:
            count = int(args.get("into", 2))
            ids = list(total)
            if not 2 <= count <= len(ids):
                raise StepRejected(f"'into' must be between 2 and the number of Amazon lines ({len(ids)})")
            groups = [ids[i::count] for i in range(count)]
        new: list[dict[str, int]] = []
        for group in groups:
            lines: dict[str, int] = {}
            for entry in group:
                line_id, units = (entry, total.get(entry, 0)) if isinstance(entry, str) else \
                    (entry.get("line_item"), entry.get("quantity"))
                if line_id not in total or not isinstance(units, int) or units < 1:
                    raise StepRejected(f"bad package entry {entry!r}: expected an Amazon line item id or "
                                       "{\"line_item\": id, \"quantity\": n}")
                lines[line_id] = lines.get(line_id, 0) + units
            new.append(lines)
        summed: dict[str, int] = {}
        for lines in new:
            for line_id, units in lines.items():
                summed[line_id] = summed.get(line_id, 0) + units
        if summed != total:
            raise StepRejected(f"the packages must hold exactly the order's units {total}, got {summed}")
        order.packages = [Package(f"PKG-{_code(10)}", lines) for lines in new]

    def _step_in_transit(self, order: Order, args: dict[str, Any]) -> None:
        if order.execution_state != "STARTED":
            raise StepRejected(f"order {order.id} is NOT_STARTED: updateOrder(desiredExecutionState: STARTED) first")
        package = self._package(order, args, ("PENDING",))
        now = self.clock.now()
        offer = self._transit(order, package)
        package.state = "IN_TRANSIT"
        package.carrier_code = str(self.seed.fulfillment_center.get("carrier_code", "AMZN_US"))
        package.tracking_number = "TBA" + "".join(secrets.choice(string.digits) for _ in range(12))
        package.estimate = (now + offer["transit_days"][0] * 86400, now + offer["transit_days"][1] * 86400)
        package.milestones += [self._milestone("INFO_RECEIVED", now), self._milestone("IN_TRANSIT", now)]
        self.events.publish("PACKAGE_DELIVERY_IN_TRANSIT", self._delivery_resource(order, package))

    def _transit(self, order: Order, package: Package) -> dict[str, Any]:
        """The seed's delivery offer matching the package's delivery speed (Standard otherwise)."""
        speeds = {str(o.get("bwp_speed", name)).upper(): o for name, o in self.seed.delivery_offers.items()}
        for line_id in package.lines:
            line = order.line(line_id)
            speed = str(((line.offer.get("deliveryTerms") or {}) if line else {}).get("deliverySpeed", "")).upper()
            if speed in speeds:
                return speeds[speed]
        return self.seed.delivery_offers.get("Standard", {"transit_days": [3, 5]})

    def _milestone(self, code: str, at: float) -> dict[str, Any]:
        if code not in MILESTONE_CODES:
            raise StepRejected(f"unknown milestone code {code!r}; expected one of {list(MILESTONE_CODES)}")
        address = (self.seed.fulfillment_center.get("return_address") or {})
        return {"status": {"code": code, "message": {"locale": "en-US", "value": code.replace("_", " ").capitalize()}},
                "address": {"locality": address.get("city"), "region": address.get("stateOrRegion"),
                            "country": address.get("countryCode")},
                "occurredAt": iso(at)}

    def _step_milestone(self, order: Order, args: dict[str, Any]) -> None:
        package = self._package(order, args, ("IN_TRANSIT",))
        package.milestones.append(self._milestone(str(args.get("code", "OUT_FOR_DELIVERY")), self.clock.now()))
        self.events.publish("PACKAGE_TRACKER_MILESTONE_CHANGED",
                            self.events.resource("carrier", str(package.carrier_code), "tracker", str(package.tracking_number)))

    def _step_delivered(self, order: Order, args: dict[str, Any]) -> None:
        package = self._package(order, args, ("IN_TRANSIT",))
        package.state = "DELIVERED"
        package.milestones.append(self._milestone("DELIVERED", self.clock.now()))
        self.events.publish("PACKAGE_DELIVERED", self._delivery_resource(order, package),
                            {"order": {"id": order.id, "aliases": list(order.aliases),
                                       "packageInformation": {"details": [self.package_view(p) for p in order.packages]}}})

    def _step_cancel_package(self, order: Order, args: dict[str, Any]) -> None:
        reason = str(args.get("reason", "UNFULFILLABLE"))
        allowed = {"UNFULFILLABLE": ("PENDING",), "CUSTOMER_REQUESTED": ("PENDING",), "UNDELIVERABLE": ("IN_TRANSIT",)}
        if reason not in allowed:
            raise StepRejected(f"reason must be one of {sorted(allowed)}, got {reason!r}")
        package = self._package(order, args, allowed[reason])
        self._cancel_package(order, package, reason, refund=True)

    def _cancel_package(self, order: Order, package: Package, reason: str, refund: bool) -> None:
        was_pending = package.state == "PENDING"
        package.state, package.reason = "CANCELLED", reason
        self.events.publish("PACKAGE_DELIVERY_CANCELLED", self._delivery_resource(order, package))
        if was_pending:  # the units never left: they are buyable again
            for line_id, units in package.lines.items():
                line = order.line(line_id)
                if line and line.product_id in self.products:
                    self._change_buyable(self.products[line.product_id], units)
        if refund:
            self._request_refund(order, dict(package.lines),
                                 "NOT_DELIVERED" if reason == "UNDELIVERABLE" else "CANCELLED_ORDER")

    def _request_refund(self, order: Order, lines: dict[str, int], reason: str) -> Refund:
        total = Decimal("0")
        currency = self.seed.currency
        for line_id, units in lines.items():
            line = order.line(line_id)
            if line and line.price:
                total += Decimal(str(line.price.get("amount", 0))) * units
                currency = line.price.get("currencyCode", currency)
        now = self.clock.now()
        refund = Refund(f"RF-{_code(10)}", lines, total, currency, reason, now, updated=now)
        order.refunds.append(refund)
        self.events.publish("REFUND_REQUESTED", self.events.resource("order", order.id, "refund", refund.id),
                            {"order": {"id": order.id, "aliases": list(order.aliases),
                                       "refunds": {"details": [self.refund_view(order, refund)]}}})
        return refund

    def _delivered_units(self, order: Order) -> dict[str, int]:
        units: dict[str, int] = {}
        for package in order.packages:
            if package.state == "DELIVERED":
                for line_id, count in package.lines.items():
                    units[line_id] = units.get(line_id, 0) + count
        for ret in order.returns:
            for line_id, count in ret.lines.items():
                units[line_id] = units.get(line_id, 0) - count
        return {k: v for k, v in units.items() if v > 0}

    def _return(self, order: Order, args: dict[str, Any], states: tuple[str, ...]) -> Return:
        wanted = args.get("return")
        candidates = [r for r in order.returns if (wanted is None or r.id == wanted)]
        if not candidates:
            raise StepRejected(f"order {order.id} has no return" + (f" {wanted!r}" if wanted else "") +
                               ": start one with the return_started step")
        ret = candidates[-1]
        if f"{ret.state}/{ret.package_state}" not in states:
            raise StepRejected(f"return {ret.id} is {ret.state} with its package {ret.package_state}; "
                               f"this step needs {' or '.join(states)}")
        return ret

    def _return_resource(self, order: Order, ret: Return) -> str:
        return self.events.resource("order", order.id, "return", ret.id)

    def _step_return_started(self, order: Order, args: dict[str, Any]) -> None:
        returnable = self._delivered_units(order)
        if not returnable:
            raise StepRejected(f"order {order.id} has no delivered units left to return")
        wanted = args.get("line_items")
        lines: dict[str, int] = {}
        for entry in wanted if wanted is not None else list(returnable):
            line_id, units = (entry, returnable.get(entry, 0)) if isinstance(entry, str) else \
                (entry.get("line_item"), entry.get("quantity"))
            if line_id not in returnable or not isinstance(units, int) or not 1 <= units <= returnable[line_id]:
                raise StepRejected(f"cannot return {entry!r}; returnable units: {returnable}")
            lines[line_id] = units
        now = self.clock.now()
        ret = Return(f"RT-{_code(10)}", lines, now, package_id=f"RP-{_code(8)}", updated=now)
        order.returns.append(ret)
        self.events.publish("RETURN_STARTED", self._return_resource(order, ret))

    def _step_return_in_transit(self, order: Order, args: dict[str, Any]) -> None:
        ret = self._return(order, args, ("CREATED/CREATED", "CREATED/DROPPED_OFF"))
        ret.package_state, ret.updated = "IN_TRANSIT", self.clock.now()
        self.events.publish("RETURN_PACKAGE_IN_TRANSIT", self._return_resource(order, ret))
        self._request_refund(order, dict(ret.lines), "RETURN_DROPPED_OFF_PICKED_UP")

    def _step_return_delivered(self, order: Order, args: dict[str, Any]) -> None:
        ret = self._return(order, args, ("CREATED/IN_TRANSIT",))
        ret.package_state, ret.updated = "DELIVERED", self.clock.now()
        self.events.publish("RETURN_PACKAGE_DELIVERED", self._return_resource(order, ret))

    def _step_return_failed(self, order: Order, args: dict[str, Any]) -> None:
        reason = str(args.get("reason", "SHIPMENT_LOST"))
        if reason not in ("CARRIER_REJECTED", "SHIPMENT_LOST", "PICKUP_MISSED", "UNDELIVERABLE", "OTHERS"):
            raise StepRejected(f"unknown return failure reason {reason!r}")
        ret = self._return(order, args, ("CREATED/CREATED", "CREATED/DROPPED_OFF", "CREATED/IN_TRANSIT"))
        ret.package_state, ret.package_reason, ret.updated = "FAILED", reason, self.clock.now()
        self.events.publish("RETURN_PACKAGE_DELIVERY_FAILED", self._return_resource(order, ret))

    def _step_return_graded(self, order: Order, args: dict[str, Any]) -> None:
        condition = str(args.get("condition", "SELLABLE"))
        if condition not in CONDITIONS:
            raise StepRejected(f"condition must be one of {list(CONDITIONS)}, got {condition!r}")
        ret = self._return(order, args, ("CREATED/DELIVERED",))
        for line_id, units in ret.lines.items():
            ret.graded[line_id] = [(condition, units)]
        ret.updated = self.clock.now()
        self.events.publish("RETURN_ITEM_GRADED", self._return_resource(order, ret))
        if condition == "SELLABLE":
            for line_id, units in ret.lines.items():
                line = order.line(line_id)
                if line and line.product_id in self.products:
                    self._change_buyable(self.products[line.product_id], units)

    def _step_return_completed(self, order: Order, args: dict[str, Any]) -> None:
        ret = self._return(order, args, ("CREATED/DELIVERED",))
        if not ret.graded:
            raise StepRejected(f"return {ret.id} has not been graded yet (return_graded first)")
        ret.state, ret.updated = "COMPLETED", self.clock.now()
        self.events.publish("RETURN_COMPLETED", self._return_resource(order, ret),
                            {"order": {"id": order.id, "aliases": list(order.aliases),
                                       "returns": {"details": [self.return_view(order, ret)]}}})

    def _step_refund_requested(self, order: Order, args: dict[str, Any]) -> None:
        lines = args.get("line_items") or [line.id for line in order.line_items]
        quantities = {}
        for line_id in lines:
            line = order.line(line_id)
            if line is None:
                raise StepRejected(f"order {order.id} has no line item {line_id!r}")
            quantities[line_id] = line.quantity
        self._request_refund(order, quantities, str(args.get("reason", "CUSTOMER_NOT_SATISFIED_WITH_SERVICE")))

    def _step_resolve_cancellation(self, order: Order, args: dict[str, Any]) -> None:
        pending = [c for c in order.cancellations if c.state == "PENDING"]
        if not pending:
            raise StepRejected(f"order {order.id} has no pending cancellation")
        for cancellation in pending:
            self._decide(order, cancellation)

    # --- views (the GraphQL object shapes) ----------------------------------------------------------------
    def order_view(self, order: Order) -> dict[str, Any]:
        packages = [self.package_view(p) for p in order.packages]
        return {
            "id": order.id, "aliases": list(order.aliases), "customer": order.customer, "recipient": order.recipient,
            "lineItems": [self.line_view(line) for line in order.line_items],
            "metadata": {"createdAt": iso(order.created), "updatedAt": iso(order.updated),
                         "executionState": order.execution_state},
            "orderLinks": list(order.order_links),
            "packageInformation": {"summary": {"state": _summary_state(order.packages)}, "details": packages}
            if order.packages else None,
            "returns": {"details": [self.return_view(order, r) for r in order.returns]},
            "refunds": {"details": [self.refund_view(order, r) for r in order.refunds]},
            "cancellations": {"details": [self.cancellation_view(order, c) for c in order.cancellations]},
            "totalPrice": order.total_price,
        }

    def line_view(self, line: LineItem) -> dict[str, Any]:
        return {"id": line.id, "aliases": list(line.aliases), "amount": {"unit": "ONE", "value": line.quantity},
                "createdAt": iso(line.created), "deliveryOffer": dict(line.offer),
                "product": {"id": line.product_id, "sku": line.sku, "title": line.title, "price": line.price}}

    def package_view(self, package: Package) -> dict[str, Any]:
        address = self.seed.fulfillment_center.get("return_address") or {}
        return {"id": package.id, "state": package.state, "reason": package.reason, "aliases": list(package.aliases),
                "deliverFromAddress": {"name": address.get("name"), "streetAddress": address.get("addressLine1"),
                                       "locality": address.get("city"), "region": address.get("stateOrRegion"),
                                       "countryCode": address.get("countryCode"), "postalCode": address.get("postalCode")},
                "packageInformationDetailsFor": {"orderLineItems": [
                    {"lineItem": {"id": line_id}, "amount": {"unit": "ONE", "value": units}}
                    for line_id, units in package.lines.items()]},
                "packageTracker": self.tracker_view(package) if package.tracking_number else None}

    def tracker_view(self, package: Package) -> dict[str, Any]:
        return {"packageTrackerIdentifier": {"trackingNumber": package.tracking_number,
                                             "carrierCode": package.carrier_code},
                "estimatedDeliveryDate": {"earliest": iso(package.estimate[0]), "latest": iso(package.estimate[1])}
                if package.estimate else None,
                "latestMilestone": package.milestones[-1] if package.milestones else None,
                "milestones": list(package.milestones),
                "trackingUrl": f"https://track.amazon.com/tracking/{package.tracking_number}"}

    def refund_view(self, order: Order, refund: Refund) -> dict[str, Any]:
        return {"id": refund.id, "aliases": list(refund.aliases), "createdAt": iso(refund.created),
                "updatedAt": iso(refund.updated or refund.created), "state": refund.state,
                "refundRequestReason": refund.reason, "refundStatusReason": refund.status_reason,
                "refundTotal": {"totalAmount": {"amount": float(refund.total), "currencyCode": refund.currency}},
                "refundFor": {"orderLineItems": [{"lineItem": {"id": line_id}, "amount": {"unit": "ONE", "value": units}}
                                                 for line_id, units in refund.lines.items()]}}

    def return_view(self, order: Order, ret: Return) -> dict[str, Any]:
        return {"id": ret.id, "aliases": [], "createdAt": iso(ret.created), "updatedAt": iso(ret.updated or ret.created),
                "state": ret.state,
                "returnLineItems": [{"lineItem": {"id": line_id}, "amount": {"unit": "ONE", "value": units},
                                     "gradedUnits": [{"condition": c, "units": n} for c, n in ret.graded.get(line_id, [])]}
                                    for line_id, units in ret.lines.items()],
                "returnPackages": [{"id": ret.package_id, "state": ret.package_state, "reason": ret.package_reason}]}

    def cancellation_view(self, order: Order, cancellation: Cancellation) -> dict[str, Any]:
        return {"id": cancellation.id, "state": cancellation.state, "aliases": list(cancellation.aliases),
                "reason": cancellation.reason, "additionalComments": cancellation.comments,
                "createdAt": iso(cancellation.created), "updatedAt": iso(cancellation.updated),
                "requestedBy": "MERCHANT",
                "canceledFor": {"orderLineItems": [{"lineItem": {"id": line.id},
                                                    "amount": {"unit": "ONE", "value": line.quantity}}
                                                   for line in order.line_items]}}

    def state(self) -> dict[str, Any]:
        return {"orders": {oid: self.order_view(o) for oid, o in sorted(self.orders.items())},
                "products": {p.item.sku: {"productId": p.id, "inventoryItemId": p.inventory_item_id,
                                          "buyable": p.buyable, "offerPrime": p.offer_prime}
                             for p in self.products.values()}}


def _summary_state(packages: list[Package]) -> str | None:
    if not packages:
        return None
    states = {p.state for p in packages}
    if states == {"CANCELLED"}:
        return "CANCELLED"
    for state in ("PENDING", "IN_TRANSIT"):
        if state in states:
            return state
    return "DELIVERED"
