"""The outbound replication messages (``SalesOrderBulkReplication``, ``CustomerReturnBulkReplication``),
built from the mocked system's current documents.

A message is assembled as data and encoded by the mock's own schema (``schemas/*.xsd``), so
element order and facets follow the schema; encoding fails loudly if the builder produced
something the schema does not allow.

Inferred (no SAP source): ISO unit codes in ``unitCode`` (PC -> PCE ...) with the SAP unit in
``SAPunitCode``; ``SenderBusinessSystemID`` as ``<SID>CLNT<client>``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from xml.etree import ElementTree
from typing import TYPE_CHECKING, Any

import xmlschema
from lxml import etree

from harness.mocks.s4hana.behaviour.common import RET, SO, dec
from harness.mocks.s4hana.edm import format_timestamp
from harness.mocks.s4hana.engine import Engine
from harness.mocks.s4hana_soap.schemas import CUSTOMER_RETURN_REPLICATION, SALES_ORDER_REPLICATION, schema

if TYPE_CHECKING:
    from harness.mocks.s4hana.models import S4System

SD_SLS = "http://sap.com/xi/SD-SLS"
ISO_UNITS = {"PC": "PCE", "EA": "EA", "KG": "KGM", "G": "GRM", "L": "LTR", "M": "MTR", "ST": "PCE"}
CHANGE_TYPES = ("create", "change", "delete")


class ReplicationError(ValueError):
    """A replication was asked for something that does not exist."""


def _put(target: dict[str, Any], name: str, value: Any) -> None:
    if value not in (None, ""):
        target[name] = value


def _date(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%d") if value else None


def _amount(value: Any, currency: str) -> dict[str, Any]:
    result: dict[str, Any] = {"$": Decimal(str(dec(value))).quantize(Decimal("0.01"))}
    if len(currency) == 3:
        result["@currencyCode"] = currency
    return result


def _quantity(value: Any, unit: str) -> dict[str, Any]:
    result: dict[str, Any] = {"$": Decimal(str(dec(value))).quantize(Decimal("0.001"))}
    if unit:
        result["@unitCode"] = ISO_UNITS.get(unit, unit)[:3]
        result["@SAPunitCode"] = unit[:3]
    return result


def _texts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"LongTextID": t["LongTextID"], "Language": t["Language"][:2], "LongText": t["LongText"]}
            for t in rows if t["LongTextID"]]


def _pricing(rows: list[dict[str, Any]], currency: str) -> list[dict[str, Any]]:
    result = []
    for row in rows:
        element: dict[str, Any] = {}
        _put(element, "PricingProcedureStep", row["PricingProcedureStep"].lstrip("0") or "0")
        counter = row["PricingProcedureCounter"].lstrip("0") or "0"
        _put(element, "PricingProcedureCounter", counter[-1])
        _put(element, "ConditionType", row["ConditionType"])
        element["ConditionAmount"] = _amount(row["ConditionAmount"], currency)
        rate = {"$": Decimal(str(dec(row["ConditionRateValue"]))).quantize(Decimal("0.01"))}
        if row["ConditionCurrency"]:
            rate["@valueUnit"] = row["ConditionCurrency"][:3]
        element["ConditionRateValue"] = rate
        result.append(element)
    return result


def _partner(engine: Engine, row: dict[str, Any]) -> dict[str, Any]:
    partner: dict[str, Any] = {}
    _put(partner, "PartnerFunction", row["PartnerFunction"])
    _put(partner, "BusinessPartnerID", row["Customer"])
    _put(partner, "Customer", row["Customer"])
    _put(partner, "AddressID", row["AddressID"])
    address_rows = engine.find("A_SalesOrderPartnerAddress", SalesOrder=row["SalesOrder"],
                               PartnerFunction=row["PartnerFunction"])
    if address_rows:
        source = address_rows[0]
        physical: dict[str, Any] = {}
        for name in ("Country", "Region", "PostalCode", "CityName", "StreetName", "HouseNumber"):
            _put(physical, name, source[name])
        address: dict[str, Any] = {}
        _put(address, "AddressName", (source["OrganizationName1"] or source["AddresseeFullName"])[:40])
        if physical:
            address["PhysicalAddress"] = physical
        communication: dict[str, Any] = {}
        _put(communication, "CorrespondenceLanguage", source["CorrespondenceLanguage"][:2])
        _put(communication, "EmailAddress", source["EmailAddress"])
        if communication:
            address["Communication"] = communication
        if address:
            partner["Address"] = address
    return partner


def _sales_order(engine: Engine, number: str, change_type: str) -> dict[str, Any]:
    header = engine.get("A_SalesOrder", number)
    if header is None:
        raise ReplicationError(f"sales order {number} does not exist")
    currency = header["TransactionCurrency"]
    order: dict[str, Any] = {}
    if change_type == "delete":
        order["@deletionIndicator"] = True
    for name in ("SalesOrderType", "SalesOrganization", "DistributionChannel", "OrganizationDivision", "SalesGroup",
                 "SalesOffice", "SalesDistrict", "PurchaseOrderByCustomer", "ReferenceSDDocument",
                 "CustomerPaymentTerms", "TransactionCurrency", "DeliveryBlockReason", "HeaderBillingBlockReason",
                 "SDDocumentReason", "OverallSDProcessStatus", "TotalCreditCheckStatus",
                 "OverallSDDocumentRejectionSts", "OverallTotalDeliveryStatus", "OverallDeliveryStatus",
                 "OverallOrdReltdBillgStatus", "TotalBlockStatus", "ExternalDocumentID"):
        _put(order, name, header[name])
    order["SalesOrderID"] = number
    order["TotalNetAmount"] = _amount(header["TotalNetAmount"], currency)
    for name in ("SalesOrderDate", "CreationDate", "PricingDate", "RequestedDeliveryDate"):
        _put(order, name, _date(header[name]))
    if header["LastChangeDateTime"]:
        order["LastChangeDateTime"] = format_timestamp(header["LastChangeDateTime"])
    if header["IncotermsClassification"]:
        incoterms: dict[str, Any] = {}
        _put(incoterms, "IncotermsVersion", header["IncotermsVersion"])
        _put(incoterms, "IncotermsClassification", header["IncotermsClassification"])
        _put(incoterms, "IncotermsLocation1", header["IncotermsLocation1"])
        order["Incoterms"] = incoterms
    items = []
    for row in engine.find("A_SalesOrderItem", SalesOrder=number):
        item: dict[str, Any] = {}
        for name in ("HigherLevelItem", "SalesOrderItemCategory", "SalesOrderItemText", "MaterialByCustomer",
                     "SalesDocumentRjcnReason", "Material", "DeliveryPriority", "SDProcessStatus", "DeliveryStatus",
                     "ReferenceSDDocument", "ReferenceSDDocumentItem"):
            _put(item, name, row[name])
        item["SalesOrderItemID"] = row["SalesOrderItem"]
        _put(item, "Plant", row["ProductionPlant"])
        unit = row["RequestedQuantityUnit"]
        item["RequestedQuantity"] = _quantity(row["RequestedQuantity"], unit)
        item["ConfdDelivQtyInOrderQtyUnit"] = _quantity(row["ConfdDelivQtyInOrderQtyUnit"], unit)
        item["NetAmount"] = _amount(row["NetAmount"], currency)
        quantity = dec(row["RequestedQuantity"])
        if quantity:
            item["NetPriceAmount"] = _amount(dec(row["NetAmount"]) / quantity, currency)
        item["TaxAmount"] = _amount(row["TaxAmount"], currency)
        item["SDDocumentRejectionStatus"] = "C" if row["SalesDocumentRjcnReason"] else "A"
        if row["ItemWeightUnit"]:
            item["ItemGrossWeight"] = _quantity(row["ItemGrossWeight"], row["ItemWeightUnit"])
            item["ItemNetWeight"] = _quantity(row["ItemNetWeight"], row["ItemWeightUnit"])
        key = {"SalesOrder": number, "SalesOrderItem": row["SalesOrderItem"]}
        texts = _texts(engine.find("A_SalesOrderItemText", **key))
        if texts:
            item["Text"] = texts
        prices = _pricing(engine.find("A_SalesOrderItemPrElement", **key), currency)
        if prices:
            item["PricingElement"] = prices
        lines = []
        for line in engine.find("A_SalesOrderScheduleLine", **key):
            entry: dict[str, Any] = {"ScheduleLineId": line["ScheduleLine"]}
            _put(entry, "RequestedDeliveryDate", _date(line["RequestedDeliveryDate"]))
            _put(entry, "ConfirmedDeliveryDate", _date(line["ConfirmedDeliveryDate"]))
            line_unit = line["OrderQuantityUnit"]
            for name in ("ScheduleLineOrderQuantity", "ConfdOrderQtyByMatlAvailCheck", "DeliveredQtyInOrderQtyUnit",
                         "OpenConfdDelivQtyInOrdQtyUnit"):
                entry[name] = _quantity(line[name], line_unit)
            lines.append(entry)
        if lines:
            item["ScheduleLine"] = lines
        items.append(item)
    if items:
        order["Item"] = items
    partners = [_partner(engine, p) for p in engine.find("A_SalesOrderHeaderPartner", SalesOrder=number)]
    if partners:
        order["Partner"] = partners
    prices = _pricing(engine.find("A_SalesOrderHeaderPrElement", SalesOrder=number), currency)
    if prices:
        order["PricingElement"] = prices
    texts = _texts(engine.find("A_SalesOrderText", SalesOrder=number))
    if texts:
        order["Text"] = texts
    return order


def _customer_return(engine: Engine, number: str, change_type: str) -> dict[str, Any]:
    header = engine.get("A_CustomerReturn", number)
    if header is None:
        raise ReplicationError(f"customer return {number} does not exist")
    currency = header["TransactionCurrency"]
    result: dict[str, Any] = {"CustomerReturnID": number}
    if change_type == "delete":
        result["@deletionIndicator"] = True
    for name in ("CustomerReturnType", "SalesOrganization", "DistributionChannel", "OrganizationDivision",
                 "SDDocumentReason", "OverallSDProcessStatus", "OverallSDDocumentRejectionSts"):
        _put(result, name, header[name])
    if header["ReferenceSDDocument"]:
        reference: dict[str, Any] = {"ReferenceSDDocumentID": header["ReferenceSDDocument"]}
        _put(reference, "ReferenceSDDocumentCategory", header["ReferenceSDDocumentCategory"])
        result["ReferenceDocument"] = reference
    if header["LastChangeDateTime"]:
        result["LastChangeDateTime"] = format_timestamp(header["LastChangeDateTime"])
    for name in ("CustomerReturnDate", "CreationDate"):
        _put(result, name, _date(header[name]))
    result["TotalNetAmount"] = _amount(header["TotalNetAmount"], currency)
    partners = []
    for row in engine.find("A_CustomerReturnPartner", CustomerReturn=number):
        partner: dict[str, Any] = {}
        _put(partner, "PartnerFunction", row["PartnerFunction"])
        _put(partner, "BusinessPartnerID", row["Customer"])
        _put(partner, "Customer", row["Customer"])
        partners.append(partner)
    if partners:
        result["Partner"] = partners
    items = []
    for row in engine.find("A_CustomerReturnItem", CustomerReturn=number):
        item: dict[str, Any] = {"CustomerReturnItemID": row["CustomerReturnItem"]}
        _put(item, "CustomerReturnItemCategory", row["CustomerReturnItemCategory"])
        _put(item, "CustomerReturnItemText", row["CustomerReturnItemText"])
        if row["ReferenceSDDocument"]:
            item["ReferenceDocumentItem"] = {"ReferenceSDDocumentID": row["ReferenceSDDocument"],
                                            "ReferenceSDDocumentItemID": row["ReferenceSDDocumentItem"]}
        _put(item, "CustomerReturnRjcnReason", row["SalesDocumentRjcnReason"])
        item["RequestedQuantity"] = _quantity(row["RequestedQuantity"], row["RequestedQuantityUnit"])
        _put(item, "Material", row["Material"])
        item["NetAmount"] = _amount(row["NetAmount"], currency)
        _put(item, "SDProcessStatus", row["SDProcessStatus"])
        item["SDDocumentRejectionStatus"] = "C" if row["SalesDocumentRjcnReason"] else "A"
        information: dict[str, Any] = {}
        for name in ("ReturnReason", "CustRetItmFollowUpActivity", "ReturnsRefundType"):
            _put(information, name, row[name])
        information["ReturnsMaterialHasBeenReceived"] = row["ReturnsMaterialHasBeenReceived"] == "X"
        item["ReturnInformation"] = information
        items.append(item)
    if items:
        result["Item"] = items
    return result


def _message(system: "S4System", xsd: str, root: str, body_name: str, documents: list[Any]) -> tuple[str, etree._Element]:
    message_uuid = uuid.uuid4()
    org = system.org
    data = {
        "MessageHeader": {"ID": message_uuid.hex.upper(), "UUID": str(message_uuid),
                          "CreationDateTime": format_timestamp(system.now()),
                          "SenderBusinessSystemID": f"{org.get('sid', 'S4H')}CLNT{org.get('client', '100')}"},
        body_name: documents,
    }
    encoded = schema(xsd).encode(data, converter=xmlschema.UnorderedConverter)
    element = etree.fromstring(ElementTree.tostring(encoded))
    result = etree.Element(f"{{{SD_SLS}}}{root}", nsmap={"n0": SD_SLS})
    result.extend(list(element))
    return message_uuid.hex.upper(), result


def _check(numbers: list[str], change_type: str) -> None:
    if change_type not in CHANGE_TYPES:
        raise ReplicationError(f"change_type must be one of {', '.join(CHANGE_TYPES)}, not {change_type!r}")
    if not numbers:
        raise ReplicationError("name at least one document")


def build_sales_order_replication(system: "S4System", sales_orders: list[str],
                                  change_type: str = "change") -> tuple[str, etree._Element]:
    """The message ID and the ``SalesOrderBulkReplication`` element for some sales orders."""
    _check(sales_orders, change_type)
    engine = Engine(system, SO, "S4AMZ_OUTPUT")
    orders = [_sales_order(engine, str(number), change_type) for number in sales_orders]
    return _message(system, SALES_ORDER_REPLICATION, "SalesOrderBulkReplication", "SalesOrder", orders)


def build_customer_return_replication(system: "S4System", customer_returns: list[str],
                                      change_type: str = "change") -> tuple[str, etree._Element]:
    """The message ID and the ``CustomerReturnBulkReplication`` element for some customer returns."""
    _check(customer_returns, change_type)
    engine = Engine(system, RET, "S4AMZ_OUTPUT")
    returns = [_customer_return(engine, str(number), change_type) for number in customer_returns]
    return _message(system, CUSTOMER_RETURN_REPLICATION, "CustomerReturnBulkReplication", "CustomerReturn", returns)
