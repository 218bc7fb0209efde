"""API_OUTBOUND_DELIVERY_SRV;v=0002: outbound deliveries with reference to sales orders.

Create: every item names ``ReferenceSDDocument``/``ReferenceSDDocumentItem`` of an order item that
exists, is not rejected, is not blocked for delivery and still has an open quantity; material,
plant, storage location and units come from the order. Picking (``PickAllItems``,
``PickOneItem...``, ``SetPickingQuantityWithBaseQuantity``), picking confirmation and
``PostGoodsIssue`` move the statuses; goods issue needs complete picking and enough unrestricted
stock, posts a 601 material document and sets ``OverallGoodsMovementStatus`` to C. Every change
and action advances ``DeliveryVersion`` (the ETag).

Inferred (not documented by SAP): ``SetPickingQuantityWithBaseQuantity`` adopts the picked
quantity as the delivery quantity (SAP's cancel flow sets it to 0 and then rejects the order item).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from harness.mocks.s4hana.behaviour.common import (DLV, SO, aggregate, assign_number, dec, material_seed,
                                                   next_item_number, norm_item, on, org, set_status)
from harness.mocks.s4hana.behaviour.inventory import post_goods_movement
from harness.mocks.s4hana.behaviour.sales_order import (add_subsequent, delivered_quantity, refresh_order,
                                                        require_order)
from harness.mocks.s4hana.rules import RULES, NewEntity, Row

if TYPE_CHECKING:
    from harness.mocks.s4hana.engine import Engine

TEXT_ELEMENTS = {"TX01": "Header Note", "TX03": "Shipping Instructions", "TX04": "Shipment Tracking",
                 "TX05": "Delivery Note"}


def order_item(engine: "Engine", reference: str, item: str) -> tuple[Row, Row]:
    """The referenced sales order header and item, checked for delivery."""
    header = require_order(engine, reference)
    if header["DeliveryBlockReason"]:
        engine.fail("VL/464", f"Sales document {reference} is blocked for delivery "
                    f"(delivery block {header['DeliveryBlockReason']})", "ReferenceSDDocument")
    matches = [i for i in on(engine, SO).find("A_SalesOrderItem", SalesOrder=reference)
               if norm_item(i["SalesOrderItem"]) == norm_item(item)]
    if not item or not matches:
        engine.fail("VL/010", f"Item {item or '(empty)'} of sales document {reference} does not exist",
                    "ReferenceSDDocumentItem")
    row = matches[0]
    if row["SalesDocumentRjcnReason"]:
        engine.fail("VL/248", f"Item {item} of sales document {reference} is rejected "
                    f"(reason {row['SalesDocumentRjcnReason']}) and cannot be delivered", "ReferenceSDDocumentItem")
    return header, row


def _now_time(engine: "Engine") -> timedelta:
    now = engine.system.now()
    return timedelta(hours=now.hour, minutes=now.minute, seconds=now.second)


@RULES.before_create(DLV, "A_OutbDeliveryHeader")
def create_delivery(engine: "Engine", new: NewEntity) -> None:
    kids = new.kids("to_DeliveryDocumentItem")
    if not kids:
        engine.fail("VL/018", "Enter items with ReferenceSDDocument and ReferenceSDDocumentItem "
                    "(a delivery is created with reference to a sales order)", "to_DeliveryDocumentItem")
    parties = set()
    planned: dict[tuple[str, str], Decimal] = {}
    for kid in kids:
        reference = kid.values.get("ReferenceSDDocument") or ""
        item_number = kid.values.get("ReferenceSDDocumentItem") or ""
        if not reference:
            engine.fail("VL/018", "Enter ReferenceSDDocument for every delivery item", "ReferenceSDDocument")
        header, item = order_item(engine, reference, item_number)
        key = (reference, item["SalesOrderItem"])
        open_quantity = dec(item["RequestedQuantity"]) - delivered_quantity(engine, *key) - planned.get(key, Decimal(0))
        if open_quantity <= 0:
            engine.fail("VL/008", f"Item {item_number} of sales document {reference} has already been delivered in full",
                        "ReferenceSDDocumentItem")
        quantity = dec(kid.values.get("ActualDeliveryQuantity")) or open_quantity
        if quantity > open_quantity:
            engine.fail("VL/028", f"Delivery quantity {quantity:f} exceeds the open quantity {open_quantity:f} "
                        f"{item['RequestedQuantityUnit']} of item {item_number} of sales document {reference}",
                        "ActualDeliveryQuantity")
        unit = kid.values.get("DeliveryQuantityUnit") or item["RequestedQuantityUnit"]
        if unit != item["RequestedQuantityUnit"]:
            engine.fail("VL/160", f"Unit {unit} differs from the order unit {item['RequestedQuantityUnit']} of item "
                        f"{item_number}", "DeliveryQuantityUnit")
        planned[key] = planned.get(key, Decimal(0)) + quantity
        partners = {p["PartnerFunction"]: p["Customer"] for p in on(engine, SO).find("A_SalesOrderHeaderPartner",
                                                                                     SalesOrder=reference)}
        parties.add((header["SoldToParty"], partners.get("SH", header["SoldToParty"]), header["TransactionCurrency"],
                     header["ShippingCondition"]))
    if len(parties) > 1:
        engine.fail("VL/522", "Items with different sold-to or ship-to parties cannot be delivered together",
                    "to_DeliveryDocumentItem")
    shipping_point = new.values.get("ShippingPoint") or org(engine, "shipping_point")
    if shipping_point != org(engine, "shipping_point"):
        engine.fail("VL/302", f"Shipping point {shipping_point} is not defined", "ShippingPoint")
    sold_to, ship_to, currency, condition = parties.pop()
    assign_number(engine, new, "DeliveryDocument", "outbound_delivery")
    today = engine.system.today()
    time = _now_time(engine)
    new.values.update(
        ShippingPoint=shipping_point, SoldToParty=sold_to, ShipToParty=ship_to, TransactionCurrency=currency,
        ShippingCondition=condition, SalesOrganization=org(engine, "sales_organization"),
        DeliveryDocumentType="LF", SDDocumentCategory="J", DocumentDate=today, CreationTime=time,
        DeliveryDate=new.values.get("DeliveryDate") or today, DeliveryTime=new.values.get("DeliveryTime") or time,
        PlannedGoodsIssueDate=new.values.get("PlannedGoodsIssueDate") or today,
        PickingDate=new.values.get("PickingDate") or today, LoadingDate=new.values.get("LoadingDate") or today,
        TransportationPlanningDate=new.values.get("TransportationPlanningDate") or today,
        OverallGoodsMovementStatus="A", OverallPickingStatus="A", OverallPickingConfStatus="A",
        OverallSDProcessStatus="A", OverallDelivReltdBillgStatus="A", HeaderWeightUnit="KG",
        LastChangedByUser=engine.user[:12])


@RULES.before_create(DLV, "A_OutbDeliveryItem")
def create_delivery_item(engine: "Engine", new: NewEntity) -> None:
    values = new.values
    existing = [r["DeliveryDocumentItem"] for r in engine.find("A_OutbDeliveryItem",
                                                                DeliveryDocument=values["DeliveryDocument"])]
    values["DeliveryDocumentItem"] = next_item_number(existing, width=6)
    header, item = order_item(engine, values.get("ReferenceSDDocument") or "", values.get("ReferenceSDDocumentItem") or "")
    open_quantity = dec(item["RequestedQuantity"]) - delivered_quantity(engine, header["SalesOrder"], item["SalesOrderItem"])
    quantity = dec(values.get("ActualDeliveryQuantity")) or open_quantity
    weight = dec(material_seed(engine, item["Material"]).get("weight"))
    gtin = str(material_seed(engine, item["Material"]).get("gtin") or "")
    values.update(
        ReferenceSDDocumentItem=item["SalesOrderItem"], ReferenceSDDocumentCategory="C",
        Material=item["Material"], DeliveryDocumentItemText=item["SalesOrderItemText"],
        Plant=item["ProductionPlant"] or org(engine, "plant"),
        StorageLocation=values.get("StorageLocation") or item["StorageLocation"] or org(engine, "storage_location"),
        ActualDeliveryQuantity=quantity, DeliveryQuantityUnit=item["RequestedQuantityUnit"],
        ActualDeliveredQtyInBaseUnit=quantity, BaseUnit=item["RequestedQuantityUnit"],
        OriginalDeliveryQuantity=quantity, DeliveryToBaseQuantityNmrtr=Decimal(1), DeliveryToBaseQuantityDnmntr=Decimal(1),
        DeliveryDocumentItemCategory="TAN", GoodsMovementType="601", SDDocumentCategory="J",
        DistributionChannel=header["DistributionChannel"], Division=header["OrganizationDivision"],
        ItemGrossWeight=weight * quantity, ItemNetWeight=weight * quantity, ItemWeightUnit="KG" if weight else "",
        InternationalArticleNumber=gtin[:18], PickingStatus="A", PickingConfirmationStatus="A",
        GoodsMovementStatus="A", SDProcessStatus="A", DeliveryRelatedBillingStatus="A",
        _picked=Decimal(0))


@RULES.after_create(DLV, "A_OutbDeliveryHeader")
def delivery_created(engine: "Engine", row: Row, new: NewEntity) -> None:
    items = engine.find("A_OutbDeliveryItem", DeliveryDocument=row["DeliveryDocument"])
    set_status(row, HeaderGrossWeight=sum((dec(i["ItemGrossWeight"]) for i in items), Decimal(0)),
               HeaderNetWeight=sum((dec(i["ItemNetWeight"]) for i in items), Decimal(0)))
    for function, party in (("SP", row["SoldToParty"]), ("SH", row["ShipToParty"])):
        engine.insert("A_OutbDeliveryPartner", {"PartnerFunction": function, "SDDocument": row["DeliveryDocument"],
                                                "Customer": party})
    for order in sorted({i["ReferenceSDDocument"] for i in items}):
        add_subsequent(engine, order, row["DeliveryDocument"], "J",
                       [(i["ReferenceSDDocumentItem"], i["DeliveryDocumentItem"]) for i in items
                        if i["ReferenceSDDocument"] == order])
        refresh_order(engine, order)
    engine.system.record("delivery_created", delivery=row["DeliveryDocument"],
                         sales_orders=sorted({i["ReferenceSDDocument"] for i in items}))


@RULES.before_update(DLV, "A_OutbDeliveryItem")
def change_delivery_item(engine: "Engine", row: Row, changes: dict[str, Any]) -> None:
    header = engine.require("A_OutbDeliveryHeader", row["DeliveryDocument"])
    if header["OverallGoodsMovementStatus"] == "C":
        engine.fail("VL/605", f"Delivery {row['DeliveryDocument']} has already been posted for goods movement; "
                    "the item cannot be changed")
    if "ActualDeliveryQuantity" in changes:
        quantity = dec(changes["ActualDeliveryQuantity"])
        _, item = order_item(engine, row["ReferenceSDDocument"], row["ReferenceSDDocumentItem"])
        others = delivered_quantity(engine, row["ReferenceSDDocument"], row["ReferenceSDDocumentItem"]) \
            - dec(row["ActualDeliveryQuantity"])
        if quantity < 0 or quantity + others > dec(item["RequestedQuantity"]):
            engine.fail("VL/028", f"Delivery quantity {quantity:f} exceeds the open quantity of the order item",
                        "ActualDeliveryQuantity")
        changes["ActualDeliveredQtyInBaseUnit"] = quantity
        if row.get("_picked", Decimal(0)) > quantity:
            changes["_picked"] = quantity


@RULES.after_update(DLV, "A_OutbDeliveryItem")
def delivery_item_changed(engine: "Engine", row: Row, old: Row) -> None:
    _pick_status(row)
    refresh_delivery(engine, row["DeliveryDocument"])
    refresh_order(engine, row["ReferenceSDDocument"])


@RULES.before_delete(DLV, "A_OutbDeliveryHeader")
def delete_delivery(engine: "Engine", row: Row) -> None:
    if row["OverallGoodsMovementStatus"] in ("B", "C"):
        engine.fail("VL/605", f"Delivery {row['DeliveryDocument']} has already been posted for goods movement "
                    "and cannot be deleted")
    row["_orders"] = sorted({i["ReferenceSDDocument"] for i in engine.find("A_OutbDeliveryItem",
                                                                          DeliveryDocument=row["DeliveryDocument"])})


@RULES.after_delete(DLV, "A_OutbDeliveryHeader")
def delivery_deleted(engine: "Engine", row: Row) -> None:
    for order in row.get("_orders", []):
        refresh_order(engine, order)


@RULES.before_create(DLV, "A_OutbDeliveryHeaderText", "A_OutbDeliveryItemText")
def create_delivery_text(engine: "Engine", new: NewEntity) -> None:
    values = new.values
    delivery = values.get("DeliveryDocument") or ""
    if engine.get("A_OutbDeliveryHeader", delivery) is None:
        engine.fail("VL/001", f"Delivery {delivery or '(empty)'} does not exist", "DeliveryDocument")
    if not values.get("TextElement"):
        engine.fail("TD/600", "Enter a text ID (TextElement)", "TextElement")
    values["Language"] = values.get("Language") or org(engine, "language", "EN")
    values["TextElementDescription"] = TEXT_ELEMENTS.get(values["TextElement"], "")
    values.setdefault("TextElementText", "")


# --- picking and goods issue ----------------------------------------------------------------------------
def delivery_items(engine: "Engine", delivery: str, relevant_only: bool = True) -> list[Row]:
    """The items of a delivery (only those with a quantity unless told otherwise)."""
    items = engine.find("A_OutbDeliveryItem", DeliveryDocument=delivery)
    return [i for i in items if dec(i["ActualDeliveryQuantity"]) > 0] if relevant_only else items


def _pick_status(item: Row) -> None:
    quantity, picked = dec(item["ActualDeliveryQuantity"]), item.get("_picked", Decimal(0))
    set_status(item, PickingStatus="C" if picked >= quantity else ("A" if picked <= 0 else "B"))


def refresh_delivery(engine: "Engine", delivery: str) -> None:
    """Header statuses from the item statuses."""
    header = engine.get("A_OutbDeliveryHeader", delivery)
    if header is None:
        return
    items = delivery_items(engine, delivery)
    set_status(header,
               OverallPickingStatus=aggregate(i["PickingStatus"] for i in items) or "C",
               OverallPickingConfStatus=aggregate(i["PickingConfirmationStatus"] for i in items) or "C",
               OverallGoodsMovementStatus=aggregate(i["GoodsMovementStatus"] for i in items) or "A",
               OverallDelivReltdBillgStatus=aggregate(i["DeliveryRelatedBillingStatus"] for i in items) or "A",
               OverallSDProcessStatus=aggregate(i["SDProcessStatus"] for i in items) or "A",
               HeaderGrossWeight=sum((dec(i["ItemGrossWeight"]) for i in items), Decimal(0)))


def _open_for_picking(engine: "Engine", header: Row) -> bool:
    return header["OverallGoodsMovementStatus"] != "C"


def _item(engine: "Engine", delivery: str, item: str) -> Row:
    matches = [i for i in engine.find("A_OutbDeliveryItem", DeliveryDocument=delivery)
               if norm_item(i["DeliveryDocumentItem"]) == norm_item(item)]
    if not matches:
        engine.fail("VL/010", f"Item {item or '(empty)'} does not exist in delivery {delivery}", "DeliveryDocumentItem")
    return matches[0]


def _saved(engine: "Engine", header: Row) -> list[dict[str, Any]]:
    refresh_delivery(engine, header["DeliveryDocument"])
    engine.change("A_OutbDeliveryHeader", header, {})
    return []


def _pick(engine: "Engine", header: Row, item: Row, quantity: Decimal | None, unit: str = "") -> None:
    if not _open_for_picking(engine, header):
        engine.fail("VL/605", f"Delivery {header['DeliveryDocument']} has already been posted for goods movement")
    if unit and unit not in (item["BaseUnit"], item["DeliveryQuantityUnit"]):
        engine.fail("VL/160", f"Unit {unit} is not the unit {item['BaseUnit']} of item {item['DeliveryDocumentItem']}",
                    "BaseUnit")
    total = dec(item["ActualDeliveryQuantity"])
    picked = total if quantity is None else quantity
    if picked < 0 or picked > total:
        engine.fail("VL/277", f"Picked quantity {picked:f} of item {item['DeliveryDocumentItem']} is not between "
                    f"0 and the delivery quantity {total:f}", "ActualDeliveredQtyInBaseUnit")
    item["_picked"] = picked
    _pick_status(item)


@RULES.function(DLV, "PickAllItems")
def pick_all_items(engine: "Engine", params: dict[str, Any], header: Row) -> list[dict[str, Any]]:
    if _open_for_picking(engine, header):
        for item in delivery_items(engine, header["DeliveryDocument"]):
            _pick(engine, header, item, None)
    return _saved(engine, header)


@RULES.function(DLV, "PickOneItem")
def pick_one_item(engine: "Engine", params: dict[str, Any], header: Row) -> list[dict[str, Any]]:
    _pick(engine, header, _item(engine, header["DeliveryDocument"], params.get("DeliveryDocumentItem")), None)
    return _saved(engine, header)


@RULES.function(DLV, "PickOneItemWithBaseQuantity")
def pick_one_item_base(engine: "Engine", params: dict[str, Any], header: Row) -> list[dict[str, Any]]:
    item = _item(engine, header["DeliveryDocument"], params.get("DeliveryDocumentItem"))
    _pick(engine, header, item, dec(params.get("ActualDeliveredQtyInBaseUnit")), params.get("BaseUnit") or "")
    return _saved(engine, header)


@RULES.function(DLV, "PickOneItemWithSalesQuantity")
def pick_one_item_sales(engine: "Engine", params: dict[str, Any], header: Row) -> list[dict[str, Any]]:
    item = _item(engine, header["DeliveryDocument"], params.get("DeliveryDocumentItem"))
    _pick(engine, header, item, dec(params.get("ActualDeliveryQuantity")), params.get("DeliveryQuantityUnit") or "")
    return _saved(engine, header)


@RULES.function(DLV, "SetPickingQuantityWithBaseQuantity")
def set_picking_quantity(engine: "Engine", params: dict[str, Any], header: Row) -> list[dict[str, Any]]:
    item = _item(engine, header["DeliveryDocument"], params.get("DeliveryDocumentItem"))
    quantity = dec(params.get("ActualDeliveredQtyInBaseUnit"))
    _pick(engine, header, item, quantity, params.get("BaseUnit") or "")
    if quantity < dec(item["ActualDeliveryQuantity"]):  # the picked quantity becomes the delivery quantity
        weight = dec(material_seed(engine, item["Material"]).get("weight"))
        set_status(item, ActualDeliveryQuantity=quantity, ActualDeliveredQtyInBaseUnit=quantity,
                   ItemGrossWeight=weight * quantity, ItemNetWeight=weight * quantity)
        _pick_status(item)
        refresh_order(engine, item["ReferenceSDDocument"])
    return _saved(engine, header)


@RULES.function(DLV, "ConfirmPickingAllItems")
def confirm_picking_all(engine: "Engine", params: dict[str, Any], header: Row) -> list[dict[str, Any]]:
    if _open_for_picking(engine, header):
        for item in delivery_items(engine, header["DeliveryDocument"]):
            if item["PickingStatus"] != "C":
                _pick(engine, header, item, None)
            set_status(item, PickingConfirmationStatus="C")
    return _saved(engine, header)


@RULES.function(DLV, "ConfirmPickingOneItem")
def confirm_picking_one(engine: "Engine", params: dict[str, Any], header: Row) -> list[dict[str, Any]]:
    item = _item(engine, header["DeliveryDocument"], params.get("DeliveryDocumentItem"))
    if _open_for_picking(engine, header):
        if item["PickingStatus"] != "C":
            _pick(engine, header, item, None)
        set_status(item, PickingConfirmationStatus="C")
    return _saved(engine, header)


@RULES.function(DLV, "PostGoodsIssue")
def post_goods_issue(engine: "Engine", params: dict[str, Any], header: Row) -> list[dict[str, Any]]:
    delivery = header["DeliveryDocument"]
    if header["OverallGoodsMovementStatus"] == "C":
        engine.fail("VL/605", f"Delivery {delivery} has already been posted for goods movement")
    items = delivery_items(engine, delivery)
    if not items:
        engine.fail("VL/609", f"Delivery {delivery} contains no items relevant for goods movement")
    for item in items:
        if item["PickingStatus"] != "C":
            engine.fail("VL/609", f"Picking of item {item['DeliveryDocumentItem']} of delivery {delivery} is not "
                        f"complete (picked {item.get('_picked', 0):f} of {dec(item['ActualDeliveryQuantity']):f} "
                        f"{item['DeliveryQuantityUnit']})")
    document = post_goods_movement(engine, [
        {"Material": i["Material"], "Plant": i["Plant"], "StorageLocation": i["StorageLocation"],
         "GoodsMovementType": "601", "QuantityInEntryUnit": dec(i["ActualDeliveryQuantity"]),
         "EntryUnit": i["DeliveryQuantityUnit"], "Delivery": delivery, "DeliveryItem": i["DeliveryDocumentItem"],
         "SalesOrder": i["ReferenceSDDocument"], "SalesOrderItem": i["ReferenceSDDocumentItem"],
         "GoodsMovementRefDocType": "J", "Customer": header["ShipToParty"]} for i in items],
        {"GoodsMovementCode": "", "ReferenceDocument": delivery})
    now = engine.system.now()
    for item in items:
        set_status(item, GoodsMovementStatus="C", PickingConfirmationStatus="C")
        engine.insert("A_OutbDeliveryDocFlow", {
            "PrecedingDocument": delivery, "PrecedingDocumentItem": item["DeliveryDocumentItem"],
            "PrecedingDocumentCategory": "J", "Subsequentdocument": document["MaterialDocument"],
            "SubsequentDocumentCategory": "R", "QuantityInBaseUnit": dec(item["ActualDeliveryQuantity"])})
    set_status(header, ActualGoodsMovementDate=engine.system.today(),
               ActualGoodsMovementTime=timedelta(hours=now.hour, minutes=now.minute, seconds=now.second))
    for order in sorted({i["ReferenceSDDocument"] for i in items}):
        add_subsequent(engine, order, document["MaterialDocument"], "R",
                       [(i["ReferenceSDDocumentItem"], i["DeliveryDocumentItem"]) for i in items
                        if i["ReferenceSDDocument"] == order])
        refresh_order(engine, order)
    engine.system.record("goods_issue", delivery=delivery, material_document=document["MaterialDocument"])
    return _saved(engine, header)


@RULES.function(DLV, "ReverseGoodsIssue")
def reverse_goods_issue(engine: "Engine", params: dict[str, Any], header: Row) -> list[dict[str, Any]]:
    delivery = header["DeliveryDocument"]
    if header["OverallGoodsMovementStatus"] != "C":
        engine.fail("VL/611", f"Delivery {delivery} has not been posted for goods issue")
    if header["OverallDelivReltdBillgStatus"] in ("B", "C"):
        engine.fail("VL/612", f"Delivery {delivery} has already been invoiced; cancel the invoice first")
    items = delivery_items(engine, delivery)
    post_goods_movement(engine, [
        {"Material": i["Material"], "Plant": i["Plant"], "StorageLocation": i["StorageLocation"],
         "GoodsMovementType": "602", "QuantityInEntryUnit": dec(i["ActualDeliveryQuantity"]),
         "EntryUnit": i["DeliveryQuantityUnit"], "Delivery": delivery, "DeliveryItem": i["DeliveryDocumentItem"]}
        for i in items], {"GoodsMovementCode": "", "ReferenceDocument": delivery,
                          "PostingDate": params.get("ActualGoodsMovementDate")})
    for item in items:
        set_status(item, GoodsMovementStatus="A")
    set_status(header, ActualGoodsMovementDate=None, ActualGoodsMovementTime=timedelta(0))
    for order in sorted({i["ReferenceSDDocument"] for i in items}):
        refresh_order(engine, order)
    engine.system.record("goods_issue_reversed", delivery=delivery)
    return _saved(engine, header)
