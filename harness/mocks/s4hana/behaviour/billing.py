"""API_CREDIT_MEMO_REQUEST_SRV and API_BILLING_DOCUMENT_SRV: credit memo requests and billing.

A credit memo request is created with reference to a customer return, an invoice or a sales order
(header data and item data are copied from the reference when not given); type CR starts with
billing block 08 unless the request sets ``HeaderBillingBlockReason`` (inferred from the standard
CR type). Billing (:func:`create_billing`, reached through the SOAP ``BDwReferenceRequest_In`` and
the control routes) creates the billing document: G2 credit memo for a credit memo request (refused
while a billing block is set or when already billed), RE credit memo for a customer return, F2
invoice for goods-issued deliveries (or a sales order's deliveries). New credit memos start with
``InvoiceClearingStatus`` A (open); the control route ``clear`` sets C.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from harness.mocks.s4hana.behaviour.common import (BIL, CMR, DLV, RET, SO, add_default_partners, assign_number,
                                                   check_unit, customer_currency, dec, material_description,
                                                   material_price, next_item_number, norm_item, on, org,
                                                   require_customer, require_material, require_org, set_status)
from harness.mocks.s4hana.behaviour.returns import item_price, referenced_item, refresh_return
from harness.mocks.s4hana.behaviour.sales_order import add_subsequent, check_sales_area, refresh_order
from harness.mocks.s4hana.rules import RULES, NewEntity, Row

if TYPE_CHECKING:
    from harness.mocks.s4hana.engine import Engine

DEFAULT_BILLING_BLOCK = {"CR": "08"}
HEADER_COPY = ("SalesOrganization", "DistributionChannel", "OrganizationDivision", "SoldToParty", "TransactionCurrency")


class BillingError(Exception):
    """Billing refused a reference document (the message says why)."""


def find_reference(engine: "Engine", document: str) -> tuple[str, Row] | None:
    """A reference document by number: customer return (H), invoice (M) or sales order (C)."""
    for category, service, entity_set in (("H", RET, "A_CustomerReturn"), ("M", BIL, "A_BillingDocument"),
                                          ("C", SO, "A_SalesOrder")):
        row = on(engine, service).get(entity_set, document)
        if row is not None:
            return category, row
    return None


@RULES.before_create(CMR, "A_CreditMemoRequest")
def create_credit_memo_request(engine: "Engine", new: NewEntity) -> None:
    values = new.values
    if not values.get("CreditMemoRequestType"):
        engine.fail("V1/045", "Enter a value for CreditMemoRequestType", "CreditMemoRequestType")
    reference = values.get("ReferenceSDDocument") or ""
    if reference:
        found = find_reference(engine, reference)
        if found is None:
            engine.fail("V1/302", f"Sales document {reference} is not in the database or has been archived",
                        "ReferenceSDDocument")
        category, ref = found  # type: ignore[misc]
        values["ReferenceSDDocumentCategory"] = category
        copied = dict(ref)
        copied.setdefault("OrganizationDivision", ref.get("Division"))
        for name in HEADER_COPY:
            values[name] = values.get(name) or copied.get(name) or ""
    require_org(engine, values, ("SalesOrganization", "DistributionChannel", "OrganizationDivision", "SoldToParty"))
    check_sales_area(engine, values)
    require_customer(engine, values["SoldToParty"])
    if not new.kids("to_Item"):
        engine.fail("V1/776", "Sales document contains no items: give to_Item", "to_Item")
    assign_number(engine, new, "CreditMemoRequest", "credit_memo_request")
    today = engine.system.today()
    for name in ("CreditMemoRequestDate", "PricingDate"):
        values[name] = values.get(name) or today
    values["TransactionCurrency"] = values.get("TransactionCurrency") or customer_currency(engine, values["SoldToParty"])
    if "HeaderBillingBlockReason" not in values:
        values["HeaderBillingBlockReason"] = DEFAULT_BILLING_BLOCK.get(values["CreditMemoRequestType"], "")
    values.update(OverallSDProcessStatus="A", OverallOrdReltdBillgStatus="A", OverallSDDocumentRejectionSts="A")
    add_default_partners(engine, new, "A_CreditMemoReqPartner", values["SoldToParty"])


@RULES.before_create(CMR, "A_CreditMemoRequestItem")
def create_credit_memo_request_item(engine: "Engine", new: NewEntity) -> None:
    values = new.values
    header = engine.get("A_CreditMemoRequest", values.get("CreditMemoRequest") or "")
    if header is None:
        engine.fail("V1/302", f"Sales document {values.get('CreditMemoRequest') or '(empty)'} is not in the database",
                    "CreditMemoRequest")
    existing = [r["CreditMemoRequestItem"] for r in engine.find("A_CreditMemoRequestItem",
                                                                 CreditMemoRequest=header["CreditMemoRequest"])]
    values["CreditMemoRequestItem"] = values.get("CreditMemoRequestItem") or next_item_number(existing)
    reference = values.get("ReferenceSDDocument") or header["ReferenceSDDocument"]
    price = None
    if reference and values.get("ReferenceSDDocumentItem"):
        found = referenced_item(engine, reference, values["ReferenceSDDocumentItem"])
        if found is None:
            ret_items = [r for r in on(engine, RET).find("A_CustomerReturnItem", CustomerReturn=reference)
                         if norm_item(r["CustomerReturnItem"]) == norm_item(values["ReferenceSDDocumentItem"])]
            if not ret_items:
                engine.fail("V1/303", f"Item {values['ReferenceSDDocumentItem']} does not exist in document {reference}",
                            "ReferenceSDDocumentItem")
            ref = ret_items[0]
            limit, unit, price = dec(ref["RequestedQuantity"]), ref["RequestedQuantityUnit"], \
                (dec(ref["NetAmount"]) / dec(ref["RequestedQuantity"]) if dec(ref["RequestedQuantity"]) else None)
        else:
            category, ref = found
            limit = dec(ref["RequestedQuantity"] if category == "C" else ref["BillingQuantity"])
            unit = ref["RequestedQuantityUnit"] if category == "C" else ref["BillingQuantityUnit"]
            price = item_price(category, ref, engine)
        credited = sum((dec(r["RequestedQuantity"]) for r in engine.rows("A_CreditMemoRequestItem")
                        if r["ReferenceSDDocument"] == reference and not r["SalesDocumentRjcnReason"]
                        and norm_item(r["ReferenceSDDocumentItem"]) == norm_item(values["ReferenceSDDocumentItem"])),
                       Decimal(0))
        values.setdefault("Material", ref["Material"])
        values.setdefault("RequestedQuantity", limit - credited)
        values.setdefault("RequestedQuantityUnit", unit)
        if dec(values["RequestedQuantity"]) > limit - credited:
            engine.fail("V1/810", f"Quantity {dec(values['RequestedQuantity']):f} exceeds the quantity "
                        f"{limit - credited:f} still open for credit on item {values['ReferenceSDDocumentItem']} "
                        f"of {reference}", "RequestedQuantity")
        values["ReferenceSDDocument"] = reference
    material = values.get("Material") or ""
    require_material(engine, material)
    quantity = dec(values.get("RequestedQuantity"))
    if quantity <= 0:
        engine.fail("V1/046", f"Enter a quantity greater than zero for item {values['CreditMemoRequestItem']}",
                    "RequestedQuantity")
    unit = check_unit(engine, material, values.get("RequestedQuantityUnit") or "", "RequestedQuantityUnit")
    price = material_price(engine, material) if price is None else price
    values.update(RequestedQuantityUnit=unit, CreditMemoRequestItemCategory=values.get("CreditMemoRequestItemCategory") or "G2N",
                  CreditMemoRequestItemText=values.get("CreditMemoRequestItemText") or material_description(engine, material),
                  Plant=values.get("Plant") or org(engine, "plant"), TransactionCurrency=header["TransactionCurrency"],
                  NetAmount=(price * quantity).quantize(Decimal("0.01")), SDProcessStatus="A",
                  OrderRelatedBillingStatus="A", PricingDate=header["PricingDate"])


@RULES.before_create(CMR, "A_CreditMemoReqText", "A_CreditMemoReqItemText")
def create_credit_memo_text(engine: "Engine", new: NewEntity) -> None:
    if not new.values.get("LongTextID"):
        engine.fail("TD/600", "Enter a text ID (LongTextID)", "LongTextID")
    new.values["Language"] = new.values.get("Language") or org(engine, "language", "EN")


@RULES.after_create(CMR, "A_CreditMemoRequest")
def credit_memo_request_created(engine: "Engine", row: Row, new: NewEntity) -> None:
    items = engine.find("A_CreditMemoRequestItem", CreditMemoRequest=row["CreditMemoRequest"])
    set_status(row, TotalNetAmount=sum((dec(i["NetAmount"]) for i in items), Decimal(0)))
    engine.system.record("credit_memo_request_created", credit_memo_request=row["CreditMemoRequest"],
                         reference=row["ReferenceSDDocument"])


@RULES.before_update(CMR, "A_CreditMemoRequest")
def change_credit_memo_request(engine: "Engine", row: Row, changes: dict[str, Any]) -> None:
    if row["OverallOrdReltdBillgStatus"] == "C" and any(changes.get(k) != row.get(k) for k in changes):
        engine.fail("V1/042", f"Credit memo request {row['CreditMemoRequest']} has already been billed; "
                    "it cannot be changed")


@RULES.after_update(CMR, "A_CreditMemoRequest")
def credit_memo_request_changed(engine: "Engine", row: Row, old: Row) -> None:
    if old["HeaderBillingBlockReason"] and not row["HeaderBillingBlockReason"]:
        engine.system.record("billing_block_removed", document=row["CreditMemoRequest"])


# --- billing -------------------------------------------------------------------------------------------
def detect_category(engine: "Engine", document: str) -> str | None:
    """The SD document category of a number: K credit memo request, J delivery, C order, H return."""
    for category, service, entity_set in (("K", CMR, "A_CreditMemoRequest"), ("J", DLV, "A_OutbDeliveryHeader"),
                                          ("C", SO, "A_SalesOrder"), ("H", RET, "A_CustomerReturn")):
        if on(engine, service).get(entity_set, document) is not None:
            return category
    return None


def create_billing(engine: "Engine", document: str, category: str | None = None, billing_type: str | None = None,
                   billing_date: datetime | None = None) -> list[Row]:
    """Bill one reference document; raise BillingError (nothing posted) when it cannot be billed."""
    category = category or detect_category(engine, document)
    if category == "K":
        return [_bill_credit_memo_request(engine, document, billing_type or "G2", billing_date)]
    if category == "H":
        return [_bill_customer_return(engine, document, billing_type or "RE", billing_date)]
    if category == "J":
        return [_bill_deliveries(engine, [document], billing_type or "F2", billing_date)]
    if category == "C":
        deliveries = sorted({i["DeliveryDocument"] for i in on(engine, DLV).rows("A_OutbDeliveryItem")
                             if i["ReferenceSDDocument"] == document and i["GoodsMovementStatus"] == "C"
                             and i["DeliveryRelatedBillingStatus"] != "C" and dec(i["ActualDeliveryQuantity"]) > 0})
        if not deliveries:
            raise BillingError(f"VF/016 There is nothing to bill for sales document {document}: "
                               "no goods-issued delivery is open for billing")
        return [_bill_deliveries(engine, deliveries, billing_type or "F2", billing_date)]
    raise BillingError(f"VF/004 Document {document} does not exist or cannot be billed (category {category or 'unknown'})")


def _new_billing(engine: "Engine", billing_type: str, category: str, source: Row, billing_date: datetime | None,
                 items: list[dict[str, Any]]) -> Row:
    bil = on(engine, BIL)
    number = engine.system.next_number("billing_document")
    date = billing_date or engine.system.today()
    now = engine.system.now()
    time = timedelta(hours=now.hour, minutes=now.minute, seconds=now.second)
    net = sum((dec(i["NetAmount"]) for i in items), Decimal(0))
    header = bil.insert("A_BillingDocument", {
        "BillingDocument": number, "BillingDocumentType": billing_type, "SDDocumentCategory": category,
        "SalesOrganization": source.get("SalesOrganization") or org(engine, "sales_organization"),
        "DistributionChannel": source.get("DistributionChannel") or org(engine, "distribution_channel"),
        "Division": source.get("OrganizationDivision") or source.get("Division") or org(engine, "division"),
        "BillingDocumentDate": date, "CreationTime": time, "TotalNetAmount": net, "TaxAmount": Decimal(0),
        "TotalGrossAmount": net, "TransactionCurrency": source.get("TransactionCurrency") or org(engine, "currency"),
        "SoldToParty": source["SoldToParty"], "PayerParty": source["SoldToParty"],
        "PurchaseOrderByCustomer": source.get("PurchaseOrderByCustomer", ""),
        "CompanyCode": org(engine, "company_code"), "FiscalYear": str(date.year), "AccountingDocument": number,
        "CustomerPaymentTerms": source.get("CustomerPaymentTerms", "") or "0001", "OverallSDProcessStatus": "C",
        "OverallBillingStatus": "C", "AccountingPostingStatus": "C", "AccountingTransferStatus": "C",
        "InvoiceClearingStatus": "A", "Country": "US"})
    for position, item in enumerate(items, start=1):
        bil.insert("A_BillingDocumentItem", {**item, "BillingDocument": number,
                                             "BillingDocumentItem": str(position * 10).zfill(6),
                                             "CreationDate": date, "CreationTime": time, "PricingDate": date,
                                             "TransactionCurrency": header["TransactionCurrency"],
                                             "GrossAmount": item["NetAmount"], "Division": header["Division"]})
    for function in ("SP", "BP", "PY", "SH"):
        bil.insert("A_BillingDocumentPartner", {"BillingDocument": number, "PartnerFunction": function,
                                                "Customer": source["SoldToParty"]})
    engine.system.record("billing_document_created", billing_document=number, type=billing_type,
                         net_amount=str(net))
    return header


def _bill_credit_memo_request(engine: "Engine", document: str, billing_type: str, date: datetime | None) -> Row:
    cmr = on(engine, CMR)
    header = cmr.require("A_CreditMemoRequest", document)
    if header["HeaderBillingBlockReason"]:
        raise BillingError(f"VF/017 Credit memo request {document} is blocked for billing "
                           f"(billing block {header['HeaderBillingBlockReason']})")
    if header["OverallOrdReltdBillgStatus"] == "C":
        raise BillingError(f"VF/016 Credit memo request {document} has already been billed in full")
    items = [i for i in cmr.find("A_CreditMemoRequestItem", CreditMemoRequest=document)
             if not i["SalesDocumentRjcnReason"] and not i["ItemBillingBlockReason"]]
    if not items:
        raise BillingError(f"VF/016 Credit memo request {document} has no items open for billing")
    billing = _new_billing(engine, billing_type, "O", header, date, [
        {"Material": i["Material"], "BillingDocumentItemText": i["CreditMemoRequestItemText"],
         "BillingQuantity": dec(i["RequestedQuantity"]), "BillingQuantityUnit": i["RequestedQuantityUnit"],
         "BillingQuantityInBaseUnit": dec(i["RequestedQuantity"]), "BaseUnit": i["RequestedQuantityUnit"],
         "NetAmount": dec(i["NetAmount"]), "Plant": i["Plant"], "SalesDocumentItemCategory": i["CreditMemoRequestItemCategory"],
         "ReferenceSDDocument": document, "ReferenceSDDocumentItem": i["CreditMemoRequestItem"],
         "ReferenceSDDocumentCategory": "K", "SalesDocument": document, "SalesDocumentItem": i["CreditMemoRequestItem"],
         "SalesSDDocumentCategory": "K", "OriginSDDocument": i["ReferenceSDDocument"],
         "OriginSDDocumentItem": i["ReferenceSDDocumentItem"]} for i in items])
    for item in items:
        set_status(item, OrderRelatedBillingStatus="C", SDProcessStatus="C")
    set_status(header, OverallOrdReltdBillgStatus="C", OverallSDProcessStatus="C")
    today = engine.system.today()
    cmr.insert("A_CreditMemoReqSubsqntProcFlow", {
        "CreditMemoRequest": document, "SubsequentDocument": billing["BillingDocument"],
        "SubsequentDocumentCategory": "O", "ProcessFlowLevel": "00", "OverallBillingStatus": "C",
        "OverallSDProcessStatus": "C", "CreationDate": today, "LastChangeDate": today})
    return billing


def _bill_customer_return(engine: "Engine", document: str, billing_type: str, date: datetime | None) -> Row:
    ret = on(engine, RET)
    header = ret.require("A_CustomerReturn", document)
    if header["HeaderBillingBlockReason"]:
        raise BillingError(f"VF/017 Customer return {document} is blocked for billing "
                           f"(billing block {header['HeaderBillingBlockReason']})")
    billed = {i["ReferenceSDDocumentItem"] for i in on(engine, BIL).rows("A_BillingDocumentItem")
              if i["ReferenceSDDocument"] == document}
    items = [i for i in ret.find("A_CustomerReturnItem", CustomerReturn=document)
             if not i["SalesDocumentRjcnReason"] and i["CustomerReturnItem"] not in billed]
    if not items:
        raise BillingError(f"VF/016 Customer return {document} has no items open for billing")
    billing = _new_billing(engine, billing_type, "O", header, date, [
        {"Material": i["Material"], "BillingDocumentItemText": i["CustomerReturnItemText"],
         "BillingQuantity": dec(i["RequestedQuantity"]), "BillingQuantityUnit": i["RequestedQuantityUnit"],
         "BillingQuantityInBaseUnit": dec(i["RequestedQuantity"]), "BaseUnit": i["RequestedQuantityUnit"],
         "NetAmount": dec(i["NetAmount"]), "Plant": i["ProductionPlant"], "ReferenceSDDocument": document,
         "ReferenceSDDocumentItem": i["CustomerReturnItem"], "ReferenceSDDocumentCategory": "H",
         "SalesDocument": document, "SalesDocumentItem": i["CustomerReturnItem"], "SalesSDDocumentCategory": "H"}
        for i in items])
    for item in items:
        set_status(item, SDProcessStatus="C", RetsMgmtItmProcgStatus="C")
    refresh_return(engine, document)
    return billing


def _bill_deliveries(engine: "Engine", deliveries: list[str], billing_type: str, date: datetime | None) -> Row:
    dlv = on(engine, DLV)
    items: list[Row] = []
    for delivery in deliveries:
        header = dlv.require("A_OutbDeliveryHeader", delivery)
        if header["OverallGoodsMovementStatus"] != "C":
            raise BillingError(f"VF/036 Delivery {delivery} has not been posted for goods issue")
        if header["OverallDelivReltdBillgStatus"] == "C":
            raise BillingError(f"VF/016 Delivery {delivery} has already been billed in full")
        items += [i for i in dlv.find("A_OutbDeliveryItem", DeliveryDocument=delivery)
                  if dec(i["ActualDeliveryQuantity"]) > 0 and i["DeliveryRelatedBillingStatus"] != "C"]
    so = on(engine, SO)
    order = so.require("A_SalesOrder", items[0]["ReferenceSDDocument"])
    lines = []
    for i in items:
        order_item = next(o for o in so.find("A_SalesOrderItem", SalesOrder=i["ReferenceSDDocument"])
                          if norm_item(o["SalesOrderItem"]) == norm_item(i["ReferenceSDDocumentItem"]))
        quantity = dec(i["ActualDeliveryQuantity"])
        unit_price = dec(order_item["NetAmount"]) / dec(order_item["RequestedQuantity"])
        lines.append({
            "Material": i["Material"], "BillingDocumentItemText": i["DeliveryDocumentItemText"],
            "BillingQuantity": quantity, "BillingQuantityUnit": i["DeliveryQuantityUnit"],
            "BillingQuantityInBaseUnit": quantity, "BaseUnit": i["BaseUnit"],
            "NetAmount": (unit_price * quantity).quantize(Decimal("0.01")), "Plant": i["Plant"],
            "StorageLocation": i["StorageLocation"], "SalesDocumentItemCategory": order_item["SalesOrderItemCategory"],
            "ReferenceSDDocument": i["DeliveryDocument"], "ReferenceSDDocumentItem": i["DeliveryDocumentItem"],
            "ReferenceSDDocumentCategory": "J", "SalesDocument": i["ReferenceSDDocument"],
            "SalesDocumentItem": order_item["SalesOrderItem"], "SalesSDDocumentCategory": "C",
            "ItemGrossWeight": dec(i["ItemGrossWeight"]), "ItemWeightUnit": i["ItemWeightUnit"]})
    billing = _new_billing(engine, billing_type, "M", order, date, lines)
    for i in items:
        set_status(i, DeliveryRelatedBillingStatus="C", SDProcessStatus="C")
    from harness.mocks.s4hana.behaviour.outbound_delivery import refresh_delivery

    for delivery in deliveries:
        refresh_delivery(dlv, delivery)
    for sales_order in sorted({i["ReferenceSDDocument"] for i in items}):
        add_subsequent(engine, sales_order, billing["BillingDocument"], "M",
                       [(i["ReferenceSDDocumentItem"], str(n * 10).zfill(6)) for n, i in enumerate(items, start=1)
                        if i["ReferenceSDDocument"] == sales_order])
        refresh_order(engine, sales_order)
    return billing


def clear_billing_document(engine: "Engine", document: str) -> Row:
    """Mark a billing document as cleared (payment received or refund paid): InvoiceClearingStatus C."""
    row = on(engine, BIL).require("A_BillingDocument", document)
    set_status(row, InvoiceClearingStatus="C")
    engine.system.record("billing_document_cleared", billing_document=document)
    return row
