"""S/4HANA OData V2 builders and readers, on both runtimes. Request bodies are held against the
real EDMX files in ../shared/reference/s4hana/odata (field names, creatable flags, lengths and
Edm.Decimal scales)."""

from __future__ import annotations

import copy
import json
import re

import pytest

from groovy_edmx import check_payload, load_edmx
from groovy_helpers import data_json, expect_failure, validate
from groovy_samples import CANONICAL_ORDER, VALUE_MAPPINGS

SALES_ORDER = data_json("sales_order.json")


@pytest.fixture(scope="module")
def edmx(reference):
    cache: dict[str, dict] = {}

    def _load(name: str) -> dict:
        if name not in cache:
            cache[name] = load_edmx(reference / "s4hana" / "odata" / f"{name}.edmx")
        return cache[name]

    return _load


# ---- sales order -> canonical -------------------------------------------------------------

def test_sales_order_to_canonical(run) -> None:
    r = run("s4SalesOrderToCanonical", SALES_ORDER,
            properties={"DeliveryOfferId": "5060887210", "DeliveryPreviewId": "SIP-8676502-0261200"})
    assert r.exception is None, r.exception
    order = r.json()
    validate(order, "canonical-order")
    assert order["orderId"] == "12345" and order["currency"] == "USD"
    assert order["orderDate"] == "2026-01-01" and order["requestedDeliveryDate"] == "2026-01-04"
    assert order["salesArea"] == {"salesOrganization": "1710", "distributionChannel": "10", "division": "00"}
    assert order["recipient"]["name"] == "Zoë Ångström"
    assert order["recipient"]["street"] == "410 Terry Ave N"  # US: house number first
    assert order["discounts"] == [{"type": "DM01", "amount": "2.00"}]
    widget, gadget = order["items"]
    assert widget["quantity"] == "2" and widget["unitPrice"] == "19.99" and widget["netAmount"] == "39.98"
    assert widget["taxes"] == [{"type": "JR1", "amount": "3.20"}]
    assert widget["description"] == "Widget, blue ★"
    assert gadget["discounts"] == [{"type": "DM01", "amount": "1.00"}]
    assert order["deliveryOffer"]["offerId"] == "5060887210"
    assert order["texts"][0]["text"] == "Leave at the front desk – merci"
    assert r.properties["SalesOrder"] == "12345" and r.properties["ItemCount"] == 2


def test_canonical_order_feeds_create_order(run) -> None:
    canonical = run("s4SalesOrderToCanonical", SALES_ORDER,
                    properties={"DeliveryOfferId": "1", "DeliveryPreviewId": "2"})
    request = run("bwpCreateOrderRequest", canonical.text)
    assert request.exception is None, request.exception
    assert request.json()["variables"]["input"]["aliases"][0]["aliasId"] == "12345"


def test_query_result_offer_text_and_european_address(run) -> None:
    so = copy.deepcopy(SALES_ORDER)
    address = so["d"]["to_Partner"]["results"][1]["to_Address"]["results"][0]
    address.update(Country="DE", StreetName="Königsallee", HouseNumber="92", Region="", CityName="Düsseldorf",
                   PostalCode="40212", EmailAddress="")
    so["d"]["DeliveryBlockReason"] = "01"
    so["d"]["to_Text"]["results"].append({"Language": "EN", "LongTextID": "Z002",
                                          "LongText": "offerId=OF-9; previewId=PV-9; speed=EXPEDITED"})
    so["d"]["to_Text"]["results"].append({"Language": "EN", "LongTextID": "0001", "LongText": "322-XYZ9-BBBBBB"})
    query = {"d": {"results": [so["d"]]}}
    r = run("s4SalesOrderToCanonical", query, properties={"DeliveryOfferTextId": "Z002"})
    order = r.json()
    validate(order, "canonical-order")
    assert order["recipient"]["street"] == "Königsallee 92" and order["recipient"]["email"] is None
    assert order["recipient"]["region"] is None
    assert order["deliveryBlock"] == "01"
    assert order["deliveryOffer"] == {"provider": "AMAZON", "speed": "EXPEDITED", "primeEligible": True,
                                      "offerId": "OF-9", "previewId": "PV-9"}
    assert order["externalIds"]["amazonOrderId"] == "322-XYZ9-BBBBBB"


def test_missing_optional_parts_still_give_a_valid_order(run) -> None:
    so = copy.deepcopy(SALES_ORDER)
    d = so["d"]
    for field in ("PurchaseOrderByCustomer", "RequestedDeliveryDate", "ShippingCondition", "TotalNetAmount"):
        d.pop(field)
    d.pop("to_PricingElement")
    d["to_Text"] = {"__deferred": {"uri": "x"}}
    for item in d["to_Item"]["results"]:
        item.pop("to_PricingElement")
        item.pop("NetAmount")
    r = run("s4SalesOrderToCanonical", so)
    order = r.json()
    validate(order, "canonical-order")
    assert order["items"][0]["unitPrice"] is None and order["texts"] == []


@pytest.mark.parametrize(("mutate", "fragment"), [
    (lambda d: d.pop("SalesOrder"), "d.SalesOrder is required"),
    (lambda d: d.pop("TransactionCurrency"), "d.TransactionCurrency is required"),
    (lambda d: d["to_Item"]["results"][0].pop("Material"), "d.to_Item.results[0].Material is required"),
    (lambda d: d["to_Item"]["results"][1].update(RequestedQuantity="2,5"), "d.to_Item.results[1].RequestedQuantity is not an Edm.Decimal"),
    (lambda d: d.update(SalesOrderDate="31.01.2026"), "d.SalesOrderDate is not an Edm.DateTime"),
    (lambda d: d["to_Partner"]["results"].pop(1), "no ship-to partner"),
    (lambda d: d["to_Partner"]["results"][1].update(to_Address={"__deferred": {}}), "expand d.to_Partner/to_Address"),
    (lambda d: d.update(to_Item={"results": []}), "has no items"),
])
def test_sales_order_errors_name_the_field(run, mutate, fragment) -> None:
    so = copy.deepcopy(SALES_ORDER)
    mutate(so["d"])
    expect_failure(run("s4SalesOrderToCanonical", so), fragment)


def test_not_odata_at_all(run) -> None:
    expect_failure(run("s4SalesOrderToCanonical", {"SalesOrder": "1"}), "field d is missing")


# ---- builders against the EDMX -----------------------------------------------------------

def test_sales_order_text_request(run, edmx) -> None:
    r = run("s4SalesOrderTextRequest", properties={"SalesOrder": "12345", "BwpOrderId": "322-ABC1-AAAAAA"})
    body = r.json()
    assert body == {"SalesOrder": "12345", "Language": "EN", "LongTextID": "0001", "LongText": "322-ABC1-AAAAAA"}
    check_payload(edmx("API_SALES_ORDER_SRV"), r.properties["S4ResourcePath"], body)
    expect_failure(run("s4SalesOrderTextRequest", properties={"SalesOrder": "1"}), "BwpOrderId or AmazonOrderId")


def test_item_reject_maps_bwp_reason_and_quotes_keys(run, edmx) -> None:
    r = run("s4SalesOrderItemReject", properties={"SalesOrder": "O'1", "SalesOrderItem": "10",
                                                  "BwpCancelReason": "OUT_OF_STOCK"}, value_mappings=VALUE_MAPPINGS)
    assert r.json() == {"SalesDocumentRjcnReason": "Z1"}
    assert r.properties["S4ResourcePath"] == "A_SalesOrderItem(SalesOrder='O%27%271',SalesOrderItem='10')"
    check_payload(edmx("API_SALES_ORDER_SRV"), "A_SalesOrderItem", r.json(), creating=False)
    expect_failure(run("s4SalesOrderItemReject", properties={"SalesOrder": "1", "SalesOrderItem": "10",
                                                             "BwpCancelReason": "OTHER"}), "no rejection reason")


def test_outbound_delivery_request(run, edmx) -> None:
    r = run("s4OutboundDeliveryRequest", CANONICAL_ORDER, properties={"ShippingPoint": "1710"})
    body = r.json()
    assert body["to_DeliveryDocumentItem"]["results"][0] == {
        "ReferenceSDDocument": "12345", "ReferenceSDDocumentItem": "10",
        "ActualDeliveryQuantity": "2.000", "DeliveryQuantityUnit": "PC"}
    check_payload(edmx("API_OUTBOUND_DELIVERY_SRV_0002"), "A_OutbDeliveryHeader", body)
    partial = run("s4OutboundDeliveryRequest", CANONICAL_ORDER, properties={"DeliveredItems": '{"20": "1"}'}).json()
    assert [i["ReferenceSDDocumentItem"] for i in partial["to_DeliveryDocumentItem"]["results"]] == ["20"]
    expect_failure(run("s4OutboundDeliveryRequest", CANONICAL_ORDER, properties={"DeliveredItems": '{"99": "1"}'}),
                   "nothing to deliver")


def test_delivery_text_request(run, edmx) -> None:
    r = run("s4DeliveryTextRequest", properties={"DeliveryDocument": "80000000", "CarrierCode": "UPS",
                                                 "TrackingNumber": "1Z999AA10123456784", "BwpOrderId": "322-A"})
    body = r.json()
    assert body["TextElement"] == "TX04"
    assert body["TextElementText"] == "Amazon order: 322-A\nCarrier: UPS\nTracking: 1Z999AA10123456784"
    check_payload(edmx("API_OUTBOUND_DELIVERY_SRV_0002"), "A_OutbDeliveryHeaderText", body)


def test_function_import_query_literals(run) -> None:
    r = run("s4FunctionImportQuery", properties={
        "S4Function": "ReverseGoodsIssue",
        "S4FunctionParameters": json.dumps({"DeliveryDocument": "O'Neil", "ActualGoodsMovementDate": {"datetime": "2026-01-31"},
                                            "Qty": {"decimal": "0.00"}, "Flag": True})})
    # parameter order is not significant (and Groovy 2.4's JsonSlurper map does not keep it)
    assert sorted(r.header("CamelHttpQuery").split("&")) == sorted([
        "DeliveryDocument=%27O%27%27Neil%27", "ActualGoodsMovementDate=datetime%272026-01-31T00%3A00%3A00%27",
        "Qty=0.00M", "Flag=true"])
    expect_failure(run("s4FunctionImportQuery", properties={"S4Function": "Post Goods",
                                                            "S4FunctionParameters": "{}"}), "S4Function must be")
    expect_failure(run("s4FunctionImportQuery", properties={"S4Function": "X",
                                                            "S4FunctionParameters": '{"Q": {"decimal": "1,5"}}'}),
                   "parameter Q is not a decimal")


def test_customer_return_request(run, edmx) -> None:
    ret = {"returnId": "R-5001", "bwpOrderId": "322-ABC1-AAAAAA", "salesOrder": "12345",
           "salesArea": {"salesOrganization": "1710", "distributionChannel": "10", "division": "00"},
           "soldTo": "17100001", "items": [{"salesOrderItem": "10", "sku": "SAP-MAT-100045", "quantity": "1",
                                            "unit": "PC", "returnReason": "101"}]}
    r = run("s4CustomerReturnRequest", ret)
    body = r.json()
    assert body["CustomerReturnType"] == "RE" and body["SDDocumentReason"] == "009"
    assert body["to_Text"]["results"][0]["LongText"] == "R-5001"
    check_payload(edmx("API_CUSTOMER_RETURN_SRV"), "A_CustomerReturn", body)
    bad = copy.deepcopy(ret)
    bad["items"][0]["quantity"] = "0"
    expect_failure(run("s4CustomerReturnRequest", bad), "items[0].quantity must be positive")
    bad = copy.deepcopy(ret)
    bad["salesArea"].pop("division")
    expect_failure(run("s4CustomerReturnRequest", bad), "salesArea.division is required")


def test_credit_memo_request(run, edmx) -> None:
    refund = {"refundId": "RF-7001", "referenceDocument": "90000001", "reason": "DAMAGED_DEFECTIVE_ITEM",
              "items": [{"referenceItem": "10", "quantity": "1", "unit": "PC"}]}
    r = run("s4CreditMemoRequest", refund, value_mappings=VALUE_MAPPINGS)
    body = r.json()
    assert body["SDDocumentReason"] == "904" and r.properties["RefundReasonMapped"] == "true"
    check_payload(edmx("API_CREDIT_MEMO_REQUEST_SRV"), "A_CreditMemoRequest", body)
    unmapped = run("s4CreditMemoRequest", dict(refund, reason="WRONG_ITEM_RECEIVED")).json()
    assert "SDDocumentReason" not in unmapped
    expect_failure(run("s4CreditMemoRequest", dict(refund, items=[])), "at least one refunded line")


def test_material_document_request(run, edmx) -> None:
    adjustment = {"plant": "1710", "storageLocation": "171A", "postingDate": "2026-01-31",
                  "lines": [{"sku": "TG11", "delta": "3", "unit": "PC"}, {"sku": "TG12", "delta": "-2.5", "unit": "KG"},
                            {"sku": "TG13", "delta": "0", "unit": "PC"}]}
    validate(adjustment, "stock-adjustment")
    r = run("s4MaterialDocumentRequest", adjustment)
    body = r.json()
    assert body["GoodsMovementCode"] == "05" and body["PostingDate"] == "/Date(1769817600000)/"
    items = body["to_MaterialDocumentItem"]["results"]
    assert [(i["Material"], i["GoodsMovementType"], i["QuantityInEntryUnit"]) for i in items] == [
        ("TG11", "561", "3.000"), ("TG12", "711", "2.500")]
    check_payload(edmx("API_MATERIAL_DOCUMENT_SRV"), "A_MaterialDocumentHeader", body)
    nothing = run("s4MaterialDocumentRequest", dict(adjustment, lines=[]))
    assert nothing.properties["MaterialDocumentLineCount"] == 0 and nothing.body == b""
    expect_failure(run("s4MaterialDocumentRequest", dict(adjustment, postingDate="31.01.2026")), "postingDate must be yyyy-MM-dd")
    today = run("s4MaterialDocumentRequest", {k: v for k, v in adjustment.items() if k != "postingDate"}).json()
    assert re.fullmatch(r"/Date\(\d+000\)/", today["PostingDate"])


# ---- readers ------------------------------------------------------------------------------

def test_s4_error_body_is_classified(run) -> None:
    r = run("s4ReadResponse", data_json("s4_error.json"), headers={"CamelHttpResponseCode": 400})
    assert r.exception is None
    assert r.properties["S4Outcome"] == "VALIDATION" and r.properties["S4Retryable"] == "false"
    assert r.properties["S4ErrorCode"] == "V1/311"
    assert "not maintained for sales area" in r.properties["S4ErrorMessage"]
    assert r.properties["S4ErrorDetails"].splitlines()[1].startswith("/IWBEP/CX_MGW_BUSI_EXCEPTION")


@pytest.mark.parametrize(("status", "headers", "body", "outcome", "retryable"), [
    (403, {"x-csrf-token": "Required"}, "CSRF token validation failed", "CSRF", "true"),
    (403, {}, "Forbidden", "FORBIDDEN", "false"),
    (404, {}, '{"error":{"code":"/IWBEP/CM_MGW_RT/020","message":{"lang":"en","value":"Resource not found"}}}', "NOT_FOUND", "false"),
    (412, {}, "", "PRECONDITION", "true"),
    (428, {}, "", "PRECONDITION", "true"),
    (500, {}, "<html>dump</html>", "SERVER_ERROR", "true"),
])
def test_s4_status_outcomes(run, status, headers, body, outcome, retryable) -> None:
    r = run("s4ReadResponse", body, headers={"CamelHttpResponseCode": status, **headers})
    assert r.properties["S4Outcome"] == outcome and r.properties["S4Retryable"] == retryable


def test_s4_success_copies_fields_and_etag(run, reference) -> None:
    sample = json.loads((reference / "s4hana" / "examples" / "outbound-delivery-wiremock" /
                         "A_OutbDeliveryHeader_readOne.json").read_text(encoding="utf-8"))
    body = sample.get("response", {}).get("jsonBody") or sample
    r = run("s4ReadResponse", body, properties={"S4ResultFields": "DeliveryDocument,DeliveryDate"})
    assert r.exception is None, r.exception
    assert r.properties["S4Outcome"] == "OK"
    assert r.properties["DeliveryDocument"] == body["d"]["DeliveryDocument"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r.properties["DeliveryDate"])
    assert r.properties["S4ETag"] == body["d"]["__metadata"]["etag"]
    expect_failure(run("s4ReadResponse", body, properties={"S4ResultFields": "NoSuchField"}), "no field NoSuchField")


def test_billing_documents_to_refund_states(run) -> None:
    r = run("s4BillingDocumentReader", data_json("billing_documents.json"), value_mappings=VALUE_MAPPINGS)
    rows = r.json()
    assert [(x["billingDocument"], x["refundState"]) for x in rows] == [
        ("90000001", "SUCCESS"), ("90000002", "PENDING"), ("90000003", "REJECTED")]
    assert rows[0]["date"] == "2026-01-31" and r.properties["BillingDocumentCount"] == 3
    expect_failure(run("s4BillingDocumentReader", {"value": []}), '{"d": {"results"')


def test_material_stock_is_summed_per_material(run) -> None:
    r = run("s4MaterialStockReader", data_json("material_stock.json"))
    assert r.json() == {"stock": [{"sku": "SAP-MAT-100045", "quantity": "15.5", "unit": "PC"},
                                  {"sku": "SAP-MAT-100046", "quantity": "0", "unit": "EA"}]}
    bad = data_json("material_stock.json")
    bad["d"]["results"][2]["MatlWrhsStkQtyInMatlBaseUnit"] = "n/a"
    expect_failure(run("s4MaterialStockReader", bad), "d.results[2].MatlWrhsStkQtyInMatlBaseUnit is not an Edm.Decimal")
