"""Control routes: change the mocked S/4HANA as its users would (``POST /__mock__/actions/<name>``).

Every action runs the same business rules as the OData API (no ETag or CSRF needed) and answers
JSON. Actions and their JSON bodies:

* ``remove_delivery_block`` ``{"sales_order"}`` / ``set_delivery_block`` ``{"sales_order", "reason"}``
* ``reject_item`` ``{"sales_order", "item", "reason"}``
* ``remove_billing_block`` ``{"document"}`` (customer return or credit memo request)
* ``deliver`` / ``ship`` / ``bill_order`` ``{"sales_order"}``: create the delivery (and pick and
  post goods issue, and invoice)
* ``bill`` ``{"document", "category"?, "billing_type"?}``: billing with reference (as BDwReference)
* ``clear_billing_document`` ``{"billing_document"}``: InvoiceClearingStatus C (refund paid)
* ``set_stock`` ``{"material", "quantity", "plant"?, "storage_location"?}``: unrestricted stock
* ``change`` ``{"service", "entity_set", "key": {...}, "values": {...}}``: any update, values in
  verbose-JSON form
* ``create_sales_order`` ``{"order": {...}}``: a sales order entered in S/4HANA, the body exactly as a
  deep insert to ``A_SalesOrder`` in verbose JSON (numbers from the number range; answers
  ``{"sales_order"}``)
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable

from harness.mocks.s4hana import edm
from harness.mocks.s4hana.behaviour.billing import BillingError, clear_billing_document, create_billing
from harness.mocks.s4hana.behaviour.common import CMR, RET, SO, STOCK, norm_item
from harness.mocks.s4hana.behaviour.inventory import adjust_stock, stock_quantity
from harness.mocks.s4hana.engine import Engine
from harness.mocks.s4hana.exceptions import InvalidPayload
from harness.mocks.s4hana.seed import advance_order

if TYPE_CHECKING:
    from harness.mocks.s4hana.models import S4System

CONTROL_USER = "S4AMZ_USER"


class ControlError(ValueError):
    """A control request is incomplete or names something that does not exist."""


def _field(payload: dict[str, Any], name: str) -> str:
    value = payload.get(name)
    if value in (None, ""):
        raise ControlError(f"missing field {name!r}")
    return str(value)


def _engine(system: "S4System", service: str) -> Engine:
    return Engine(system, service, CONTROL_USER, require_if_match_on_actions=False)


def _update(system: "S4System", service: str, entity_set: str, key: tuple[Any, ...], values: dict[str, Any]) -> dict[str, Any]:
    engine = _engine(system, service)
    row = engine.update(entity_set, key, values, "*")
    return {"entity_set": entity_set, "key": list(key), "etag": engine.etag(entity_set, row)}


def _order_item(system: "S4System", order: str, item: str) -> str:
    for row in _engine(system, SO).find("A_SalesOrderItem", SalesOrder=order):
        if norm_item(row["SalesOrderItem"]) == norm_item(item):
            return row["SalesOrderItem"]
    raise ControlError(f"sales order {order} has no item {item}")


def remove_delivery_block(system: "S4System", payload: dict[str, Any]) -> dict[str, Any]:
    return _update(system, SO, "A_SalesOrder", (_field(payload, "sales_order"),), {"DeliveryBlockReason": ""})


def set_delivery_block(system: "S4System", payload: dict[str, Any]) -> dict[str, Any]:
    return _update(system, SO, "A_SalesOrder", (_field(payload, "sales_order"),),
                   {"DeliveryBlockReason": _field(payload, "reason")})


def reject_item(system: "S4System", payload: dict[str, Any]) -> dict[str, Any]:
    order = _field(payload, "sales_order")
    item = _order_item(system, order, _field(payload, "item"))
    return _update(system, SO, "A_SalesOrderItem", (order, item), {"SalesDocumentRjcnReason": _field(payload, "reason")})


def remove_billing_block(system: "S4System", payload: dict[str, Any]) -> dict[str, Any]:
    document = _field(payload, "document")
    for service, entity_set in ((CMR, "A_CreditMemoRequest"), (RET, "A_CustomerReturn"), (SO, "A_SalesOrder")):
        if _engine(system, service).get(entity_set, document) is not None:
            return _update(system, service, entity_set, (document,), {"HeaderBillingBlockReason": ""})
    raise ControlError(f"no credit memo request, customer return or sales order {document}")


def _advance(state: str) -> Callable[["S4System", dict[str, Any]], dict[str, Any]]:
    def action(system: "S4System", payload: dict[str, Any]) -> dict[str, Any]:
        return advance_order(_engine(system, SO), _field(payload, "sales_order"), state)
    return action


def bill(system: "S4System", payload: dict[str, Any]) -> dict[str, Any]:
    try:
        rows = create_billing(_engine(system, SO), _field(payload, "document"), payload.get("category"),
                              payload.get("billing_type"))
    except BillingError as exc:
        raise ControlError(str(exc)) from exc
    return {"billing_documents": [r["BillingDocument"] for r in rows]}


def clear(system: "S4System", payload: dict[str, Any]) -> dict[str, Any]:
    row = clear_billing_document(_engine(system, SO), _field(payload, "billing_document"))
    return {"billing_document": row["BillingDocument"], "InvoiceClearingStatus": row["InvoiceClearingStatus"]}


def set_stock(system: "S4System", payload: dict[str, Any]) -> dict[str, Any]:
    engine = _engine(system, STOCK)
    material = _field(payload, "material")
    plant = str(payload.get("plant") or system.org.get("plant"))
    sloc = str(payload.get("storage_location") or system.org.get("storage_location"))
    try:
        wanted = Decimal(str(_field(payload, "quantity")))
    except ArithmeticError as exc:
        raise ControlError("'quantity' must be a number") from exc
    if wanted < 0:
        raise ControlError("'quantity' must not be negative")
    adjust_stock(engine, material, plant, sloc, wanted - stock_quantity(engine, material, plant, sloc))
    return {"material": material, "plant": plant, "storage_location": sloc,
            "quantity": str(stock_quantity(engine, material, plant, sloc))}


def change(system: "S4System", payload: dict[str, Any]) -> dict[str, Any]:
    service = _field(payload, "service")
    if service not in system.services:
        raise ControlError(f"unknown service {service!r}")
    engine = _engine(system, service)
    entity_set = engine.entity_set(_field(payload, "entity_set"))
    key_raw = payload.get("key") or {}
    if not isinstance(key_raw, dict) or set(key_raw) != set(entity_set.type.key):
        raise ControlError(f"'key' must give {entity_set.type.key}")
    key = tuple(edm.from_json(entity_set.type.properties[k], key_raw[k]) for k in entity_set.type.key)
    values = {}
    for name, raw in (payload.get("values") or {}).items():
        prop = entity_set.type.properties.get(name)
        if prop is None:
            raise InvalidPayload(f"Property '{name}' is invalid: it is not part of entity type {entity_set.type.name}")
        values[name] = edm.from_json(prop, raw)
    return _update(system, service, entity_set.name, key, values)


def create_sales_order(system: "S4System", payload: dict[str, Any]) -> dict[str, Any]:
    from harness.mocks.s4hana.verbose_json import parse_entity

    order = payload.get("order")
    if not isinstance(order, dict):
        raise ControlError("missing field 'order': the sales order as a verbose-JSON deep insert")
    engine = _engine(system, SO)
    entity_set = engine.entity_set("A_SalesOrder")
    warnings: list[str] = []
    row = engine.create("A_SalesOrder", parse_entity(engine.service, entity_set, order, "create", warnings))
    return {"sales_order": row["SalesOrder"], "warnings": warnings}


ACTIONS: dict[str, Callable[["S4System", dict[str, Any]], dict[str, Any]]] = {
    "remove_delivery_block": remove_delivery_block,
    "set_delivery_block": set_delivery_block,
    "reject_item": reject_item,
    "remove_billing_block": remove_billing_block,
    "deliver": _advance("delivered"),
    "ship": _advance("shipped"),
    "bill_order": _advance("billed"),
    "bill": bill,
    "clear_billing_document": clear,
    "set_stock": set_stock,
    "change": change,
    "create_sales_order": create_sales_order,
}


def run(system: "S4System", name: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Run a control action in one transaction; raise ControlError for unknown actions or bad input."""
    action = ACTIONS.get(name)
    if action is None:
        raise ControlError(f"unknown action {name!r}; known: {', '.join(sorted(ACTIONS))}")
    with system.transaction():
        return action(system, payload)

