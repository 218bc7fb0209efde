"""API_CUSTOMER_RETURN_SRV and API_CUSTOMER_RETURNS_DELIVERY_SRV: customer returns and their
returns deliveries.

A customer return needs the sales area, sold-to party and items (material and quantity, or a
reference to a sales order / invoice item to copy them from; a return cannot exceed the referenced
quantity). Return type RE starts with billing block 08 unless the request sets
``HeaderBillingBlockReason`` (inferred from the standard RE document type; SAP's accelerator
removes the block with a PATCH). A returns delivery is created with reference to customer return
items; ``PostGoodsReceipt`` posts movement 651 into returns stock and completes the goods movement
status (``OverallGoodsMovementStatus`` C, which SAP's flow waits for).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from harness.mocks.s4hana.behaviour.common import (BIL, RDLV, RET, SO, add_default_partners, aggregate,
                                                   assign_number, check_unit, customer_currency, dec,
                                                   material_description, material_price, next_item_number,
                                                   norm_item, on, org, require_customer, require_material,
                                                   require_org, set_status)
from harness.mocks.s4hana.behaviour.inventory import post_goods_movement
from harness.mocks.s4hana.behaviour.sales_order import check_sales_area
from harness.mocks.s4hana.rules import RULES, NewEntity, Row

if TYPE_CHECKING:
    from harness.mocks.s4hana.engine import Engine

DEFAULT_BILLING_BLOCK = {"RE": "08", "CBAR": "08"}


def referenced_item(engine: "Engine", document: str, item: str) -> tuple[str, Row] | None:
    """A sales order item (category C) or invoice item (M) a return or credit memo refers to."""
    for row in on(engine, SO).find("A_SalesOrderItem", SalesOrder=document):
        if norm_item(row["SalesOrderItem"]) == norm_item(item):
            return "C", row
    for row in on(engine, BIL).find("A_BillingDocumentItem", BillingDocument=document):
        if norm_item(row["BillingDocumentItem"]) == norm_item(item):
            return "M", row
    return None


def item_price(category: str, row: Row, engine: "Engine") -> Decimal:
    """Net price per unit of a referenced item."""
    quantity = dec(row["RequestedQuantity"] if category == "C" else row["BillingQuantity"])
    if quantity:
        return dec(row["NetAmount"]) / quantity
    return material_price(engine, row["Material"])


@RULES.before_create(RET, "A_CustomerReturn")
def create_customer_return(engine: "Engine", new: NewEntity) -> None:
    values = new.values
    require_org(engine, values, ("CustomerReturnType", "SalesOrganization", "DistributionChannel",
                                 "OrganizationDivision", "SoldToParty"))
    check_sales_area(engine, values)
    require_customer(engine, values["SoldToParty"])
    reference = values.get("ReferenceSDDocument") or ""
    if reference:
        if on(engine, SO).get("A_SalesOrder", reference) is not None:
            values["ReferenceSDDocumentCategory"] = "C"
        elif on(engine, BIL).get("A_BillingDocument", reference) is not None:
            values["ReferenceSDDocumentCategory"] = "M"
        else:
            engine.fail("V1/302", f"Sales document {reference} is not in the database or has been archived",
                        "ReferenceSDDocument")
    if not new.kids("to_Item"):
        engine.fail("V1/776", "Sales document contains no items: give to_Item", "to_Item")
    number = assign_number(engine, new, "CustomerReturn", "customer_return")
    today = engine.system.today()
    for name in ("CustomerReturnDate", "PricingDate", "RequestedDeliveryDate"):
        values[name] = values.get(name) or today
    values["TransactionCurrency"] = values.get("TransactionCurrency") or customer_currency(engine, values["SoldToParty"])
    if "HeaderBillingBlockReason" not in values:
        values["HeaderBillingBlockReason"] = DEFAULT_BILLING_BLOCK.get(values["CustomerReturnType"], "")
    values.update(RetsMgmtProcess=number, OverallSDProcessStatus="A", RetsMgmtProcessingStatus="A",
                  OverallSDDocumentRejectionSts="A")
    add_default_partners(engine, new, "A_CustomerReturnPartner", values["SoldToParty"])


@RULES.before_create(RET, "A_CustomerReturnItem")
def create_customer_return_item(engine: "Engine", new: NewEntity) -> None:
    values = new.values
    header = engine.get("A_CustomerReturn", values.get("CustomerReturn") or "")
    if header is None:
        engine.fail("V1/302", f"Sales document {values.get('CustomerReturn') or '(empty)'} is not in the database "
                    "or has been archived", "CustomerReturn")
    existing = [r["CustomerReturnItem"] for r in engine.find("A_CustomerReturnItem", CustomerReturn=header["CustomerReturn"])]
    values["CustomerReturnItem"] = values.get("CustomerReturnItem") or next_item_number(existing)
    reference = values.get("ReferenceSDDocument") or header["ReferenceSDDocument"]
    price = None
    if reference and values.get("ReferenceSDDocumentItem"):
        found = referenced_item(engine, reference, values["ReferenceSDDocumentItem"])
        if found is None:
            engine.fail("V1/303", f"Item {values['ReferenceSDDocumentItem']} does not exist in document {reference}",
                        "ReferenceSDDocumentItem")
        category, ref = found  # type: ignore[misc]
        limit = dec(ref["RequestedQuantity"] if category == "C" else ref["BillingQuantity"])
        returned = sum((dec(r["RequestedQuantity"]) for r in engine.rows("A_CustomerReturnItem")
                        if r["ReferenceSDDocument"] == reference
                        and norm_item(r["ReferenceSDDocumentItem"]) == norm_item(values["ReferenceSDDocumentItem"])),
                       Decimal(0))
        values.setdefault("Material", ref["Material"])
        values.setdefault("RequestedQuantity", limit - returned)
        unit = ref["RequestedQuantityUnit"] if category == "C" else ref["BillingQuantityUnit"]
        values.setdefault("RequestedQuantityUnit", unit)
        if dec(values["RequestedQuantity"]) > limit - returned:
            engine.fail("V1/810", f"Return quantity {dec(values['RequestedQuantity']):f} exceeds the referenced "
                        f"quantity {limit - returned:f} of item {values['ReferenceSDDocumentItem']} of {reference}",
                        "RequestedQuantity")
        values.update(ReferenceSDDocument=reference, ReferenceSDDocumentCategory=category)
        price = item_price(category, ref, engine)
    material = values.get("Material") or ""
    require_material(engine, material)
    quantity = dec(values.get("RequestedQuantity"))
    if quantity <= 0:
        engine.fail("V1/046", f"Enter a quantity greater than zero for item {values['CustomerReturnItem']}",
                    "RequestedQuantity")
    unit = check_unit(engine, material, values.get("RequestedQuantityUnit") or "", "RequestedQuantityUnit")
    price = material_price(engine, material) if price is None else price
    values.update(RequestedQuantityUnit=unit, CustomerReturnItemCategory=values.get("CustomerReturnItemCategory") or "REN",
                  CustomerReturnItemText=values.get("CustomerReturnItemText") or material_description(engine, material),
                  ProductionPlant=values.get("ProductionPlant") or org(engine, "plant"),
                  StorageLocation=values.get("StorageLocation") or org(engine, "storage_location"),
                  TransactionCurrency=header["TransactionCurrency"], NetAmount=(price * quantity).quantize(Decimal("0.01")),
                  RetsMgmtProcess=header["CustomerReturn"], RetsMgmtProcessItem=values["CustomerReturnItem"].zfill(6),
                  SDProcessStatus="A", ReturnsDocumentStatus="A", RetsMgmtItmProcgStatus="A")


@RULES.before_create(RET, "A_CustomerReturnText", "A_CustomerReturnItemText")
def create_return_text(engine: "Engine", new: NewEntity) -> None:
    if not new.values.get("LongTextID"):
        engine.fail("TD/600", "Enter a text ID (LongTextID)", "LongTextID")
    new.values["Language"] = new.values.get("Language") or org(engine, "language", "EN")


@RULES.after_create(RET, "A_CustomerReturn")
def customer_return_created(engine: "Engine", row: Row, new: NewEntity) -> None:
    refresh_return(engine, row["CustomerReturn"])
    engine.system.record("customer_return_created", customer_return=row["CustomerReturn"],
                         reference=row["ReferenceSDDocument"])


@RULES.after_update(RET, "A_CustomerReturn")
def customer_return_changed(engine: "Engine", row: Row, old: Row) -> None:
    if old["HeaderBillingBlockReason"] and not row["HeaderBillingBlockReason"]:
        engine.system.record("billing_block_removed", document=row["CustomerReturn"])


def refresh_return(engine: "Engine", customer_return: str) -> None:
    """Totals and statuses of a customer return."""
    ret = on(engine, RET)
    header = ret.get("A_CustomerReturn", customer_return)
    if header is None:
        return
    items = ret.find("A_CustomerReturnItem", CustomerReturn=customer_return)
    active = [i for i in items if not i["SalesDocumentRjcnReason"]]
    set_status(header, TotalNetAmount=sum((dec(i["NetAmount"]) for i in active), Decimal(0)),
               OverallSDProcessStatus=aggregate(i["SDProcessStatus"] for i in items) or "A",
               RetsMgmtProcessingStatus=aggregate(i["RetsMgmtItmProcgStatus"] for i in items) or "A",
               OverallSDDocumentRejectionSts="A" if len(active) == len(items) else ("C" if not active else "B"))


# --- returns deliveries ----------------------------------------------------------------------------------
def return_item(engine: "Engine", customer_return: str, item: str) -> tuple[Row, Row]:
    """A customer return and one of its items, checked for a returns delivery."""
    ret = on(engine, RET)
    header = ret.get("A_CustomerReturn", customer_return)
    if header is None:
        engine.fail("V1/302", f"Sales document {customer_return or '(empty)'} is not in the database or has been archived",
                    "ReferenceSDDocument")
    if header["DeliveryBlockReason"]:  # type: ignore[index]
        engine.fail("VL/464", f"Customer return {customer_return} is blocked for delivery", "ReferenceSDDocument")
    matches = [i for i in ret.find("A_CustomerReturnItem", CustomerReturn=customer_return)
               if norm_item(i["CustomerReturnItem"]) == norm_item(item)]
    if not item or not matches:
        engine.fail("VL/010", f"Item {item or '(empty)'} of customer return {customer_return} does not exist",
                    "ReferenceSDDocumentItem")
    if matches[0]["SalesDocumentRjcnReason"]:
        engine.fail("VL/248", f"Item {item} of customer return {customer_return} is rejected", "ReferenceSDDocumentItem")
    return header, matches[0]  # type: ignore[return-value]


def received_quantity(engine: "Engine", customer_return: str, item: str) -> Decimal:
    """Quantity of a return item already in returns deliveries."""
    return sum((dec(r["ActualDeliveryQuantity"]) for r in on(engine, RDLV).rows("A_ReturnsDeliveryItem")
                if r["ReferenceSDDocument"] == customer_return
                and norm_item(r["ReferenceSDDocumentItem"]) == norm_item(item)), Decimal(0))


@RULES.before_create(RDLV, "A_ReturnsDeliveryHeader")
def create_returns_delivery(engine: "Engine", new: NewEntity) -> None:
    kids = new.kids("to_DeliveryDocumentItem")
    if not kids:
        engine.fail("VL/018", "Enter items with ReferenceSDDocument and ReferenceSDDocumentItem (a returns delivery "
                    "is created with reference to a customer return)", "to_DeliveryDocumentItem")
    parties = set()
    for kid in kids:
        header, item = return_item(engine, kid.values.get("ReferenceSDDocument") or "",
                                   kid.values.get("ReferenceSDDocumentItem") or "")
        open_quantity = dec(item["RequestedQuantity"]) - received_quantity(engine, header["CustomerReturn"],
                                                                           item["CustomerReturnItem"])
        quantity = dec(kid.values.get("ActualDeliveryQuantity")) or open_quantity
        if open_quantity <= 0 or quantity > open_quantity:
            engine.fail("VL/028", f"Quantity {quantity:f} exceeds the open quantity {max(open_quantity, Decimal(0)):f} "
                        f"of item {item['CustomerReturnItem']} of customer return {header['CustomerReturn']}",
                        "ActualDeliveryQuantity")
        parties.add((header["SoldToParty"], header["TransactionCurrency"]))
    if len(parties) > 1:
        engine.fail("VL/522", "Items of different customers cannot be in one returns delivery", "to_DeliveryDocumentItem")
    sold_to, currency = parties.pop()
    assign_number(engine, new, "DeliveryDocument", "returns_delivery")
    today = engine.system.today()
    new.values.update(ShippingPoint=new.values.get("ShippingPoint") or org(engine, "shipping_point"),
                      SoldToParty=sold_to, ShipToParty=sold_to, TransactionCurrency=currency,
                      SalesOrganization=org(engine, "sales_organization"), DeliveryDocumentType="LR",
                      SDDocumentCategory="T", DocumentDate=today, DeliveryDate=today, PlannedGoodsIssueDate=today,
                      OverallGoodsMovementStatus="A", OverallPickingStatus="A", OverallPickingConfStatus="A",
                      OverallSDProcessStatus="A", LastChangedByUser=engine.user[:12])


@RULES.before_create(RDLV, "A_ReturnsDeliveryItem")
def create_returns_delivery_item(engine: "Engine", new: NewEntity) -> None:
    values = new.values
    existing = [r["DeliveryDocumentItem"] for r in engine.find("A_ReturnsDeliveryItem",
                                                                DeliveryDocument=values["DeliveryDocument"])]
    values["DeliveryDocumentItem"] = next_item_number(existing, width=6)
    header, item = return_item(engine, values.get("ReferenceSDDocument") or "", values.get("ReferenceSDDocumentItem") or "")
    quantity = dec(values.get("ActualDeliveryQuantity")) or (
        dec(item["RequestedQuantity"]) - received_quantity(engine, header["CustomerReturn"], item["CustomerReturnItem"]))
    values.update(ReferenceSDDocumentItem=item["CustomerReturnItem"], ReferenceSDDocumentCategory="H",
                  Material=item["Material"], DeliveryDocumentItemText=item["CustomerReturnItemText"],
                  Plant=item["ProductionPlant"], StorageLocation=item["StorageLocation"],
                  ActualDeliveryQuantity=quantity, ActualDeliveredQtyInBaseUnit=quantity,
                  DeliveryQuantityUnit=item["RequestedQuantityUnit"], BaseUnit=item["RequestedQuantityUnit"],
                  OriginalDeliveryQuantity=quantity, DeliveryDocumentItemCategory="REN", GoodsMovementType="651",
                  SDDocumentCategory="T", PickingStatus="A", PickingConfirmationStatus="A",
                  GoodsMovementStatus="A", SDProcessStatus="A")


@RULES.after_create(RDLV, "A_ReturnsDeliveryHeader")
def returns_delivery_created(engine: "Engine", row: Row, new: NewEntity) -> None:
    for function in ("SP", "SH"):
        engine.insert("A_ReturnsDeliveryPartner", {"PartnerFunction": function, "SDDocument": row["DeliveryDocument"],
                                                   "Customer": row["SoldToParty"]})
    engine.system.record("returns_delivery_created", delivery=row["DeliveryDocument"])


def _returns_items(engine: "Engine", delivery: str) -> list[Row]:
    return [i for i in engine.find("A_ReturnsDeliveryItem", DeliveryDocument=delivery)
            if dec(i["ActualDeliveryQuantity"]) > 0]


def _refresh_returns_delivery(engine: "Engine", header: Row) -> list[dict[str, Any]]:
    items = _returns_items(engine, header["DeliveryDocument"])
    set_status(header, OverallGoodsMovementStatus=aggregate(i["GoodsMovementStatus"] for i in items) or "A",
               OverallPickingStatus=aggregate(i["PickingStatus"] for i in items) or "A",
               OverallPickingConfStatus=aggregate(i["PickingConfirmationStatus"] for i in items) or "A",
               OverallSDProcessStatus=aggregate(i["SDProcessStatus"] for i in items) or "A")
    engine.change("A_ReturnsDeliveryHeader", header, {})
    return []


@RULES.function(RDLV, "PostGoodsReceipt")
def post_goods_receipt(engine: "Engine", params: dict[str, Any], header: Row) -> list[dict[str, Any]]:
    delivery = header["DeliveryDocument"]
    if header["OverallGoodsMovementStatus"] == "C":
        engine.fail("VL/605", f"Returns delivery {delivery} has already been posted for goods movement")
    items = _returns_items(engine, delivery)
    document = post_goods_movement(engine, [
        {"Material": i["Material"], "Plant": i["Plant"], "StorageLocation": i["StorageLocation"],
         "GoodsMovementType": "651", "QuantityInEntryUnit": dec(i["ActualDeliveryQuantity"]),
         "EntryUnit": i["DeliveryQuantityUnit"], "Delivery": delivery, "DeliveryItem": i["DeliveryDocumentItem"],
         "GoodsMovementRefDocType": "J", "Customer": header["SoldToParty"]} for i in items],
        {"GoodsMovementCode": "", "ReferenceDocument": delivery})
    now = engine.system.now()
    for item in items:
        set_status(item, GoodsMovementStatus="C", SDProcessStatus="C", PickingStatus="C", PickingConfirmationStatus="C")
        for ret_item in on(engine, RET).find("A_CustomerReturnItem", CustomerReturn=item["ReferenceSDDocument"]):
            if norm_item(ret_item["CustomerReturnItem"]) == norm_item(item["ReferenceSDDocumentItem"]):
                set_status(ret_item, ReturnsMaterialHasBeenReceived="X", RetsMgmtItmProcgStatus="B")
    set_status(header, ActualGoodsMovementDate=engine.system.today(),
               ActualGoodsMovementTime=timedelta(hours=now.hour, minutes=now.minute, seconds=now.second))
    for customer_return in sorted({i["ReferenceSDDocument"] for i in items}):
        refresh_return(engine, customer_return)
    engine.system.record("goods_receipt", delivery=delivery, material_document=document["MaterialDocument"])
    return _refresh_returns_delivery(engine, header)


@RULES.function(RDLV, "ReverseGoodsReceipt")
def reverse_goods_receipt(engine: "Engine", params: dict[str, Any], header: Row) -> list[dict[str, Any]]:
    delivery = header["DeliveryDocument"]
    if header["OverallGoodsMovementStatus"] != "C":
        engine.fail("VL/611", f"Returns delivery {delivery} has not been posted for goods receipt")
    items = _returns_items(engine, delivery)
    post_goods_movement(engine, [
        {"Material": i["Material"], "Plant": i["Plant"], "StorageLocation": i["StorageLocation"],
         "GoodsMovementType": "652", "QuantityInEntryUnit": dec(i["ActualDeliveryQuantity"]),
         "EntryUnit": i["DeliveryQuantityUnit"], "Delivery": delivery, "DeliveryItem": i["DeliveryDocumentItem"]}
        for i in items], {"GoodsMovementCode": "", "ReferenceDocument": delivery,
                          "PostingDate": params.get("ActualGoodsMovementDate")})
    for item in items:
        set_status(item, GoodsMovementStatus="A", SDProcessStatus="A")
    set_status(header, ActualGoodsMovementDate=None)
    engine.system.record("goods_receipt_reversed", delivery=delivery)
    return _refresh_returns_delivery(engine, header)


@RULES.function(RDLV, "PutawayAllItems")
def putaway_all(engine: "Engine", params: dict[str, Any], header: Row) -> list[dict[str, Any]]:
    for item in _returns_items(engine, header["DeliveryDocument"]):
        set_status(item, PickingStatus="C")
    return _refresh_returns_delivery(engine, header)


@RULES.function(RDLV, "ConfirmPutawayAllItems")
def confirm_putaway_all(engine: "Engine", params: dict[str, Any], header: Row) -> list[dict[str, Any]]:
    for item in _returns_items(engine, header["DeliveryDocument"]):
        set_status(item, PickingStatus="C", PickingConfirmationStatus="C")
    return _refresh_returns_delivery(engine, header)
