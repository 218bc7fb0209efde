"""API_SALES_ORDER_SRV: sales orders as S/4HANA keeps them.

Create (deep insert): the sales area and sold-to party are mandatory and must exist, at least one
item with a known material and a positive quantity; the number comes from the number range;
partners SP/SH, a PPR0 price and a confirmed schedule line are added when not given; net values
are computed. Changes: rejecting an item (``SalesDocumentRjcnReason``) completes it and updates
the rejection status; a fully delivered item cannot be rejected, a delivered quantity cannot be
undercut. Header statuses follow from the items, deliveries and invoices (:func:`refresh_order`).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from harness.mocks.s4hana.behaviour.common import (BIL, DLV, PARTNER_INTERNAL, SO, add_default_partners,
                                                   aggregate, assign_number, check_unit, customer_address,
                                                   customer_currency, dec, material_description,
                                                   material_price, material_seed, next_item_number,
                                                   norm_item, on, org, require_customer, require_material,
                                                   require_org, set_status)
from harness.mocks.s4hana.edm import new_guid
from harness.mocks.s4hana.rules import RULES, NewEntity, Row

if TYPE_CHECKING:
    from harness.mocks.s4hana.engine import Engine

TAX_CONDITIONS = {"JR1", "JR2", "JR3", "JR4", "MWST", "TTX1", "UTXJ"}
PRICE_CONDITION = "PPR0"
MANDATORY_HEADER = ("SalesOrderType", "SalesOrganization", "DistributionChannel", "OrganizationDivision",
                    "SoldToParty")


def check_sales_area(engine: "Engine", values: dict[str, Any]) -> None:
    """The sales area must be the seeded one (1710/10/00 by default)."""
    wanted = (org(engine, "sales_organization"), org(engine, "distribution_channel"), org(engine, "division"))
    given = (values.get("SalesOrganization"), values.get("DistributionChannel"), values.get("OrganizationDivision"))
    if given != wanted:
        engine.fail("V1/312", f"Sales area {'/'.join(str(g) for g in given)} is not defined "
                    f"(this system has {'/'.join(wanted)})", "SalesOrganization")


@RULES.before_create(SO, "A_SalesOrder")
def create_sales_order(engine: "Engine", new: NewEntity) -> None:
    values = new.values
    require_org(engine, values, MANDATORY_HEADER)
    check_sales_area(engine, values)
    require_customer(engine, values["SoldToParty"])
    if not new.kids("to_Item"):
        engine.fail("V1/776", "Sales document contains no items: give to_Item with Material and RequestedQuantity",
                    "to_Item")
    assign_number(engine, new, "SalesOrder", "sales_order")
    today = engine.system.today()
    for name in ("SalesOrderDate", "PricingDate", "RequestedDeliveryDate"):
        values[name] = values.get(name) or today
    values["TransactionCurrency"] = values.get("TransactionCurrency") or customer_currency(engine, values["SoldToParty"])
    values.update(OverallSDProcessStatus="A", OverallTotalDeliveryStatus="A", OverallDeliveryStatus="A",
                  OverallSDDocumentRejectionSts="A", TotalCreditCheckStatus="A",
                  TotalBlockStatus="B" if values.get("DeliveryBlockReason") or values.get("HeaderBillingBlockReason") else "")
    add_default_partners(engine, new, "A_SalesOrderHeaderPartner", values["SoldToParty"])


@RULES.after_create(SO, "A_SalesOrder")
def sales_order_created(engine: "Engine", row: Row, new: NewEntity) -> None:
    refresh_order(engine, row["SalesOrder"])
    engine.system.record("sales_order_created", sales_order=row["SalesOrder"])


@RULES.before_create(SO, "A_SalesOrderItem")
def create_sales_order_item(engine: "Engine", new: NewEntity) -> None:
    values = new.values
    header = require_order(engine, values.get("SalesOrder") or "")
    if not values.get("SalesOrderItem"):
        existing = [r["SalesOrderItem"] for r in engine.find("A_SalesOrderItem", SalesOrder=header["SalesOrder"])]
        values["SalesOrderItem"] = next_item_number(existing)
    material = values.get("Material") or ""
    require_material(engine, material)
    quantity = dec(values.get("RequestedQuantity"))
    if quantity <= 0:
        engine.fail("V1/046", f"Enter a quantity greater than zero for item {values['SalesOrderItem']}",
                    "RequestedQuantity")
    unit = check_unit(engine, material, values.get("RequestedQuantityUnit") or "", "RequestedQuantityUnit")
    weight = dec(material_seed(engine, material).get("weight"))
    values.update(RequestedQuantityUnit=unit, OrderQuantityUnit=unit, RequestedQuantitySAPUnit=unit,
                  SalesOrderItemCategory=values.get("SalesOrderItemCategory") or "TAN",
                  SalesOrderItemText=values.get("SalesOrderItemText") or material_description(engine, material),
                  ProductionPlant=values.get("ProductionPlant") or org(engine, "plant"),
                  ShippingPoint=values.get("ShippingPoint") or org(engine, "shipping_point"),
                  TransactionCurrency=header["TransactionCurrency"], PricingDate=header["PricingDate"],
                  ConfdDelivQtyInOrderQtyUnit=quantity, ItemGrossWeight=weight * quantity,
                  ItemNetWeight=weight * quantity, ItemWeightUnit="KG" if weight else "",
                  SDProcessStatus="A", DeliveryStatus="A")
    prices = new.children.setdefault("to_PricingElement", [])
    if not any(p.values.get("ConditionType") == PRICE_CONDITION for p in prices):
        target = engine.service.entity_sets["A_SalesOrderItemPrElement"]
        prices.insert(0, NewEntity(target, {"ConditionType": PRICE_CONDITION,
                                            "ConditionRateValue": material_price(engine, material),
                                            "ConditionCurrency": header["TransactionCurrency"]}, parent=new))
    if not new.kids("to_ScheduleLine"):
        target = engine.service.entity_sets["A_SalesOrderScheduleLine"]
        new.children["to_ScheduleLine"] = [NewEntity(target, {}, parent=new)]


@RULES.after_create(SO, "A_SalesOrderItem")
def sales_order_item_created(engine: "Engine", row: Row, new: NewEntity) -> None:
    price_item(engine, row)
    if new.parent is None:  # created on its own: the header totals change now
        refresh_order(engine, row["SalesOrder"])
        touch_order(engine, row["SalesOrder"])


def touch_order(engine: "Engine", sales_order: str) -> None:
    """A user changed part of the order (an item, a text): S/4HANA saves the whole sales document,
    so the header's LastChangeDateTime (and with it the ETag) moves on. Status updates caused by
    follow-on documents do not come through here."""
    header = on(engine, SO).get("A_SalesOrder", sales_order)
    if header is not None:
        on(engine, SO).change("A_SalesOrder", header, {})


@RULES.after_create(SO, "A_SalesOrderText", "A_SalesOrderItemText")
def sales_order_text_created(engine: "Engine", row: Row, new: NewEntity) -> None:
    if new.parent is None:  # a text added to an existing order (not part of its deep insert)
        touch_order(engine, row["SalesOrder"])


@RULES.after_update(SO, "A_SalesOrderText", "A_SalesOrderItemText")
def sales_order_text_changed(engine: "Engine", row: Row, old: Row) -> None:
    touch_order(engine, row["SalesOrder"])


def price_item(engine: "Engine", item: Row) -> None:
    """Net and tax amount of an item from its pricing elements."""
    quantity = dec(item["RequestedQuantity"])
    net = tax = Decimal(0)
    for element in engine.find("A_SalesOrderItemPrElement", SalesOrder=item["SalesOrder"],
                               SalesOrderItem=item["SalesOrderItem"]):
        amount = dec(element["ConditionRateValue"]) * quantity / (dec(element["ConditionQuantity"]) or 1)
        element["ConditionAmount"] = amount
        element["ConditionBaseValue"] = quantity
        if element["ConditionType"] in TAX_CONDITIONS:
            tax += amount
        else:
            net += amount
    set_status(item, NetAmount=net, TaxAmount=tax)


@RULES.before_create(SO, "A_SalesOrderItemPrElement", "A_SalesOrderHeaderPrElement")
def create_pricing_element(engine: "Engine", new: NewEntity) -> None:
    values = new.values
    if not values.get("ConditionType"):
        engine.fail("V1/821", "Enter a condition type", "ConditionType")
    item_key = {k: values[k] for k in ("SalesOrder", "SalesOrderItem") if k in values}
    set_name = new.entity_set.name
    header = require_order(engine, values.get("SalesOrder") or "")
    item = engine.get("A_SalesOrderItem", (header["SalesOrder"], values.get("SalesOrderItem")))
    if set_name == "A_SalesOrderItemPrElement" and item is None:
        engine.fail("V1/303", f"Item {values.get('SalesOrderItem')} does not exist in sales document "
                    f"{header['SalesOrder']}", "SalesOrderItem")
    if not values.get("PricingProcedureStep"):
        existing = [r["PricingProcedureStep"] for r in engine.find(set_name, **item_key)]
        values["PricingProcedureStep"] = next_item_number(existing, width=3)
    values["PricingProcedureCounter"] = values.get("PricingProcedureCounter") or "001"
    values["ConditionCurrency"] = values.get("ConditionCurrency") or header["TransactionCurrency"]
    values["TransactionCurrency"] = header["TransactionCurrency"]
    if set_name == "A_SalesOrderHeaderPrElement":
        values["ConditionAmount"] = dec(values.get("ConditionRateValue"))


@RULES.before_create(SO, "A_SalesOrderScheduleLine")
def create_schedule_line(engine: "Engine", new: NewEntity) -> None:
    values = new.values
    item = engine.get("A_SalesOrderItem", (values.get("SalesOrder"), values.get("SalesOrderItem")))
    if item is None:
        engine.fail("V1/303", f"Item {values.get('SalesOrderItem')} does not exist in sales document "
                    f"{values.get('SalesOrder')}", "SalesOrderItem")
    existing = [r["ScheduleLine"] for r in engine.find("A_SalesOrderScheduleLine", SalesOrder=item["SalesOrder"],
                                                        SalesOrderItem=item["SalesOrderItem"])]
    values["ScheduleLine"] = values.get("ScheduleLine") or next_item_number(existing, step=1)
    header = engine.require("A_SalesOrder", item["SalesOrder"])
    quantity = dec(values.get("ScheduleLineOrderQuantity")) or dec(item["RequestedQuantity"])
    values.update(RequestedDeliveryDate=values.get("RequestedDeliveryDate") or header["RequestedDeliveryDate"],
                  ConfirmedDeliveryDate=values.get("ConfirmedDeliveryDate") or header["RequestedDeliveryDate"],
                  OrderQuantityUnit=item["RequestedQuantityUnit"], OrderQuantitySAPUnit=item["RequestedQuantityUnit"],
                  ScheduleLineOrderQuantity=quantity, ConfdOrderQtyByMatlAvailCheck=quantity,
                  OpenConfdDelivQtyInOrdQtyUnit=quantity)


@RULES.before_create(SO, "A_SalesOrderHeaderPartner", "A_SalesOrderItemPartner")
def create_partner(engine: "Engine", new: NewEntity) -> None:
    values = new.values
    function = values.get("PartnerFunction") or ""
    if not function:
        engine.fail("V1/113", "Enter a partner function", "PartnerFunction")
    number = values.get("Customer") or ""
    if function in PARTNER_INTERNAL and function != "ER":
        if not number:
            engine.fail("V1/113", f"Enter a customer for partner function {function}", "Customer")
        require_customer(engine, number, "Customer")
    values["PartnerFunctionInternalCode"] = PARTNER_INTERNAL.get(function, function)
    address = customer_address(engine, number) if number else None
    if address and not values.get("AddressID"):
        values["AddressID"] = address["AddressID"]


@RULES.after_create(SO, "A_SalesOrderHeaderPartner")
def header_partner_created(engine: "Engine", row: Row, new: NewEntity) -> None:
    address = customer_address(engine, row["Customer"]) if row["Customer"] else None
    if address is None:
        return
    bp = on(engine, "API_BUSINESS_PARTNER").get("A_BusinessPartner", row["Customer"]) or {}
    email = on(engine, "API_BUSINESS_PARTNER").find("A_AddressEmailAddress", AddressID=address["AddressID"])
    engine.insert("A_SalesOrderPartnerAddress", {
        "SalesOrder": row["SalesOrder"], "PartnerFunction": row["PartnerFunction"], "AddressRepresentationCode": "",
        "CorrespondenceLanguage": address["Language"], "AddresseeFullName": bp.get("BusinessPartnerFullName", ""),
        "OrganizationName1": bp.get("OrganizationBPName1", ""), "CityName": address["CityName"],
        "PostalCode": address["PostalCode"], "StreetName": address["StreetName"],
        "HouseNumber": address["HouseNumber"], "Country": address["Country"], "Region": address["Region"],
        "EmailAddress": email[0]["EmailAddress"] if email else ""})


@RULES.before_create(SO, "A_SalesOrderText", "A_SalesOrderItemText")
def create_text(engine: "Engine", new: NewEntity) -> None:
    values = new.values
    require_order(engine, values.get("SalesOrder") or "")
    if not values.get("LongTextID"):
        engine.fail("TD/600", "Enter a text ID (LongTextID)", "LongTextID")
    values["Language"] = values.get("Language") or org(engine, "language", "EN")


# --- changes ---------------------------------------------------------------------------------------
@RULES.before_update(SO, "A_SalesOrder")
def change_sales_order(engine: "Engine", row: Row, changes: dict[str, Any]) -> None:
    if "SoldToParty" in changes and changes["SoldToParty"] != row["SoldToParty"]:
        if deliveries_of(engine, row["SalesOrder"]):
            engine.fail("V1/078", f"Sold-to party of sales document {row['SalesOrder']} cannot be changed: "
                        "subsequent documents exist", "SoldToParty")
        require_customer(engine, changes["SoldToParty"])
    if "DeliveryBlockReason" in changes or "HeaderBillingBlockReason" in changes:
        blocked = changes.get("DeliveryBlockReason", row["DeliveryBlockReason"]) or \
            changes.get("HeaderBillingBlockReason", row["HeaderBillingBlockReason"])
        set_status(row, TotalBlockStatus="B" if blocked else "")


@RULES.before_update(SO, "A_SalesOrderItem")
def change_sales_order_item(engine: "Engine", row: Row, changes: dict[str, Any]) -> None:
    delivered = delivered_quantity(engine, row["SalesOrder"], row["SalesOrderItem"])
    item = row["SalesOrderItem"]
    if changes.get("SalesDocumentRjcnReason") and not row["SalesDocumentRjcnReason"]:
        if delivered >= dec(row["RequestedQuantity"]) and delivered > 0:
            engine.fail("V1/370", f"Item {item} has already been delivered in full and cannot be rejected",
                        "SalesDocumentRjcnReason")
    if "RequestedQuantity" in changes and dec(changes["RequestedQuantity"]) < delivered:
        engine.fail("V1/377", f"Quantity of item {item} cannot be less than the delivered quantity {delivered}",
                    "RequestedQuantity")
    if "Material" in changes and changes["Material"] != row["Material"]:
        if delivered > 0:
            engine.fail("V1/080", f"Material of item {item} cannot be changed: it has been delivered", "Material")
        require_material(engine, changes["Material"])


@RULES.after_update(SO, "A_SalesOrderItem")
def sales_order_item_changed(engine: "Engine", row: Row, old: Row) -> None:
    if row["RequestedQuantity"] != old["RequestedQuantity"]:
        for line in engine.find("A_SalesOrderScheduleLine", SalesOrder=row["SalesOrder"],
                                SalesOrderItem=row["SalesOrderItem"])[:1]:
            set_status(line, ScheduleLineOrderQuantity=row["RequestedQuantity"],
                       ConfdOrderQtyByMatlAvailCheck=row["RequestedQuantity"])
        set_status(row, ConfdDelivQtyInOrderQtyUnit=row["RequestedQuantity"])
    price_item(engine, row)
    refresh_order(engine, row["SalesOrder"])
    touch_order(engine, row["SalesOrder"])
    if row["SalesDocumentRjcnReason"] != old["SalesDocumentRjcnReason"]:
        engine.system.record("sales_order_item_rejected" if row["SalesDocumentRjcnReason"] else "sales_order_item_released",
                             sales_order=row["SalesOrder"], item=row["SalesOrderItem"],
                             reason=row["SalesDocumentRjcnReason"])


@RULES.before_delete(SO, "A_SalesOrder", "A_SalesOrderItem")
def delete_sales_document(engine: "Engine", row: Row) -> None:
    if deliveries_of(engine, row["SalesOrder"], row.get("SalesOrderItem")):
        engine.fail("V1/079", f"Sales document {row['SalesOrder']} cannot be deleted: subsequent documents exist")


@RULES.after_delete(SO, "A_SalesOrderItem")
def sales_order_item_deleted(engine: "Engine", row: Row) -> None:
    refresh_order(engine, row["SalesOrder"])


# --- document flow and statuses ---------------------------------------------------------------------
def require_order(engine: "Engine", number: str) -> Row:
    """The sales order header, or V1/302."""
    row = on(engine, SO).get("A_SalesOrder", number)
    if row is None:
        engine.fail("V1/302", f"Sales document {number or '(empty)'} is not in the database or has been archived",
                    "SalesOrder")
    return row  # type: ignore[return-value]


def deliveries_of(engine: "Engine", sales_order: str, item: str | None = None) -> list[Row]:
    """Outbound delivery items that reference an order (or one of its items)."""
    return [r for r in on(engine, DLV).rows("A_OutbDeliveryItem")
            if r["ReferenceSDDocument"] == sales_order
            and (item is None or norm_item(r["ReferenceSDDocumentItem"]) == norm_item(item))
            and dec(r["ActualDeliveryQuantity"]) > 0]


def delivered_quantity(engine: "Engine", sales_order: str, item: str, goods_issued_only: bool = False) -> Decimal:
    """Quantity of an order item in deliveries (optionally only goods-issued ones)."""
    return sum((dec(r["ActualDeliveryQuantity"]) for r in deliveries_of(engine, sales_order, item)
                if not goods_issued_only or r["GoodsMovementStatus"] == "C"), Decimal(0))


def billed_quantity(engine: "Engine", sales_order: str, item: str) -> Decimal:
    """Quantity of an order item in invoices that are not cancelled."""
    billing = on(engine, BIL)
    total = Decimal(0)
    for row in billing.rows("A_BillingDocumentItem"):
        if row["SalesDocument"] == sales_order and norm_item(row["SalesDocumentItem"]) == norm_item(item):
            header = billing.get("A_BillingDocument", row["BillingDocument"])
            if header and not header["BillingDocumentIsCancelled"] and header["SDDocumentCategory"] == "M":
                total += dec(row["BillingQuantity"])
    return total


def refresh_order(engine: "Engine", sales_order: str) -> None:
    """Recompute item and header statuses and totals of an order from its document flow."""
    so = on(engine, SO)
    header = so.get("A_SalesOrder", sales_order)
    if header is None:
        return
    items = so.find("A_SalesOrderItem", SalesOrder=sales_order)
    open_items = []
    for item in items:
        quantity = dec(item["RequestedQuantity"])
        delivered = delivered_quantity(so, sales_order, item["SalesOrderItem"])
        billed = billed_quantity(so, sales_order, item["SalesOrderItem"])
        rejected = bool(item["SalesDocumentRjcnReason"])
        delivery = "A" if delivered <= 0 else ("C" if delivered >= quantity else "B")
        if rejected and delivered <= 0:
            process = "C"
        elif rejected or (delivered >= quantity and billed >= delivered):
            process = "C"
        else:
            process = "A" if delivered <= 0 else "B"
        set_status(item, DeliveryStatus=delivery, SDProcessStatus=process)
        for line in so.find("A_SalesOrderScheduleLine", SalesOrder=sales_order, SalesOrderItem=item["SalesOrderItem"]):
            confirmed = dec(line["ConfdOrderQtyByMatlAvailCheck"])
            set_status(line, DeliveredQtyInOrderQtyUnit=delivered,
                       OpenConfdDelivQtyInOrdQtyUnit=Decimal(0) if rejected else max(Decimal(0), confirmed - delivered))
        if not rejected:
            open_items.append(item)
    rejected_count = len(items) - len(open_items)
    header_net = sum((dec(e["ConditionAmount"]) for e in so.find("A_SalesOrderHeaderPrElement", SalesOrder=sales_order)
                      if e["ConditionType"] not in TAX_CONDITIONS), Decimal(0))
    delivery_status = aggregate(i["DeliveryStatus"] for i in open_items) or ("C" if items else "A")
    set_status(header,
               OverallDeliveryStatus=delivery_status, OverallTotalDeliveryStatus=delivery_status,
               OverallSDProcessStatus=aggregate(i["SDProcessStatus"] for i in items) or "A",
               OverallSDDocumentRejectionSts="A" if rejected_count == 0 else ("C" if not open_items else "B"),
               TotalNetAmount=sum((dec(i["NetAmount"]) for i in open_items), Decimal(0)) + header_net)


def add_subsequent(engine: "Engine", sales_order: str, document: str, category: str,
                   items: list[tuple[str, str]]) -> None:
    """Record a follow-on document (delivery J, invoice M ...) in the order's process flow.

    ``items`` pairs the order item with the follow-on document's item."""
    so = on(engine, SO)
    if so.get("A_SalesOrder", sales_order) is None:
        return
    today = engine.system.today()
    now = engine.system.now()
    time = timedelta(hours=now.hour, minutes=now.minute, seconds=now.second)
    if not any(r["SubsequentDocument"] == document for r in so.find("A_SalesOrderSubsqntProcFlow", SalesOrder=sales_order)):
        so.insert("A_SalesOrderSubsqntProcFlow", {
            "SalesOrder": sales_order, "DocRelationshipUUID": new_guid(), "SubsequentDocument": document,
            "SubsequentDocumentCategory": category, "ProcessFlowLevel": "00", "CreationDate": today,
            "CreationTime": time, "LastChangeDate": today})
    for order_item, doc_item in items:
        so.insert("A_SalesOrderItmSubsqntProcFlow", {
            "SalesOrder": sales_order, "SalesOrderItem": order_item, "DocRelationshipUUID": new_guid(),
            "SubsequentDocument": document, "SubsequentDocumentItem": doc_item,
            "SubsequentDocumentCategory": category, "ProcessFlowLevel": "00", "CreationDate": today,
            "CreationTime": time, "LastChangeDate": today})
