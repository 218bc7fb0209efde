"""One realistic call for every function of every library script.

Used by the binding-hygiene test (each call twice, same result, no binding leak), by the
"compiles on both runtimes" test and as a starting point for the area tests. Shapes follow
../shared/reference/amazon/FACTS.md and ../shared/reference/s4hana/ (values are ours).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.scripthost import UserCredential, ValueMapping

DATA = Path(__file__).parent / "data"


def load(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


@dataclass
class Sample:
    script: str
    function: str = "processData"
    body: Any = None
    headers: dict[str, Any] = field(default_factory=dict)
    properties: dict[str, Any] = field(default_factory=dict)
    value_mappings: list[ValueMapping] = field(default_factory=list)
    credentials: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.script}#{self.function}"

    def body_text(self) -> str | None:
        if self.body is None or isinstance(self.body, str):
            return self.body
        return json.dumps(self.body, ensure_ascii=False)


CANONICAL_ORDER = {
    "orderId": "12345", "orderType": "OR1",
    "salesArea": {"salesOrganization": "1710", "distributionChannel": "10", "division": "00"},
    "soldTo": "17100001", "customerReference": "WEB-98765", "orderDate": "2026-01-01",
    "requestedDeliveryDate": None, "currency": "USD", "deliveryBlock": None, "shippingCondition": "01",
    "recipient": {"name": "Zoë Ångström", "street": "410 Terry Ave N", "city": "Seattle", "region": "WA",
                  "postalCode": "98109", "country": "US", "email": "zoe@example.com", "phone": None,
                  "customer": "17100001"},
    "deliveryOffer": {"provider": "AMAZON", "speed": "STANDARD", "primeEligible": True,
                      "offerId": "5060887210", "previewId": "SIP-8676502-0261200"},
    "discounts": [], "taxes": [], "totals": {"net": "54.97"}, "externalIds": {"amazonOrderId": None},
    "texts": [],
    "items": [
        {"itemId": "10", "sku": "SAP-MAT-100045", "customerSku": None, "description": "Widget, blue ★",
         "quantity": "2", "unit": "PC", "unitPrice": "19.99", "netAmount": "39.98", "currency": "USD",
         "discounts": [], "taxes": [{"type": "JR1", "amount": "3.20"}], "plant": "1710",
         "storageLocation": "171A", "rejectionReason": None},
        {"itemId": "20", "sku": "SAP-MAT-100046", "customerSku": None, "description": "Gadget",
         "quantity": "1", "unit": "PC", "unitPrice": "14.99", "netAmount": "14.99", "currency": "USD",
         "discounts": [{"type": "DM01", "amount": "1.00"}], "taxes": [], "plant": None,
         "storageLocation": None, "rejectionReason": None},
    ],
}

EVENTBRIDGE_DELIVERED = {
    "version": "0", "id": "6f1c2d9e-0a7b-4b55-9d7e-2f3a1b4c5d6e", "detail-type": "PACKAGE_DELIVERED",
    "source": "aws.partner/buywithprime/s4amz-events", "account": "123456789012",
    "time": "2026-01-20T12:34:56Z", "region": "us-east-1",
    "resources": ["businessProduct/amzn1.bp.42/order/322-ABC1-AAAAAA/delivery/D-77"],
    "detail": {"idempotencyKey": "idem-0001", "eventDescriptor": "PACKAGE_DELIVERED",
               "resources": ["businessProduct/amzn1.bp.42/order/322-ABC1-AAAAAA/delivery/D-77"],
               "eventId": "evt-0001", "apiVersion": "2024-11-01", "subscriptionId": "sub-9",
               "eventTime": "2026-01-20T12:34:56Z", "data": {}},
}

BWP_ORDER = {
    "id": "322-ABC1-AAAAAA", "aliases": [{"aliasType": "EXTERNAL_ID", "aliasId": "12345"}],
    "metadata": {"createdAt": "2026-01-20T12:00:00Z", "updatedAt": "2026-01-20T12:00:00Z", "executionState": "STARTED"},
    "lineItems": [
        {"id": "LI-AAAAAAAAAAA1", "aliases": [{"aliasType": "EXTERNAL_ID", "aliasId": "12345-10"}],
         "amount": {"unit": "ONE", "value": 2}},
        {"id": "LI-AAAAAAAAAAA2", "aliases": [{"aliasType": "EXTERNAL_ID", "aliasId": "12345-20"}],
         "amount": {"unit": "ONE", "value": 1}}],
    "packageInformation": {"summary": {"state": "PENDING"}, "details": [{"id": "PKG-1", "state": "PENDING"}]},
    "cancellations": {"details": []},
}

# API_SALES_ORDER_SRV read with $expand=to_Text,to_Item/to_Text: header text 0001 with an old value,
# item 20 already carrying its Buy with Prime line id.
S4_ORDER_TEXTS = {"d": {
    "SalesOrder": "12345",
    "to_Text": {"results": [{"SalesOrder": "12345", "Language": "EN", "LongTextID": "0001", "LongText": "AMZ-OLD"}]},
    "to_Item": {"results": [
        {"SalesOrder": "12345", "SalesOrderItem": "10", "to_Text": {"results": []}},
        {"SalesOrder": "12345", "SalesOrderItem": "20", "to_Text": {"results": [
            {"SalesOrder": "12345", "SalesOrderItem": "20", "Language": "EN", "LongTextID": "Z001", "LongText": "LI-2"}]}},
    ]},
}}

GRAPHQL_CREATED = {"data": {"createOrder": {"order": {"id": "322-ABC1-AAAAAA",
                                                      "metadata": {"executionState": "STARTED"}}}}}

VALUE_MAPPINGS = [
    ValueMapping("S4HANA", "SalesDocumentRjcnReason", "Z1", "BuyWithPrime", "CancellationReason", "OUT_OF_STOCK"),
    ValueMapping("S4HANA", "SalesDocumentRjcnReason", "Z2", "BuyWithPrime", "CancellationReason", "ORDERED_BY_MISTAKE"),
    ValueMapping("S4HANA", "InvoiceClearingStatus", "C", "BuyWithPrime", "RefundState", "SUCCESS"),
    ValueMapping("BuyWithPrime", "RefundRequestReason", "DAMAGED_DEFECTIVE_ITEM", "S4HANA", "SDDocumentReason", "904"),
    ValueMapping("Amazon", "SellerSKU", "AMZ-100045", "S4HANA", "Material", "SAP-MAT-100045"),
    ValueMapping("S4HANA", "Material", "SAP-MAT-100046", "Amazon", "SellerSKU", "AMZ-100046"),
    ValueMapping("S4HANA", "ElectronicPaymentType", "DPVI", "BuyWithPrime", "PaymentMethod", "CARD"),
]

CREDENTIALS = {
    "LWA_CLIENT": UserCredential("amzn1.application-oa2-client.abc", "lwa-client-secret-value"),
    "LWA_REFRESH": UserCredential(password="Atzr|IwEBIrefreshtokenvalue"),
    "BWP_CLIENT": UserCredential("bwp-client-id", "bwp-client-secret-value"),
}

SAMPLES: list[Sample] = [
    Sample("s4SalesOrderToCanonical", body=load("sales_order.json"),
           properties={"DeliveryOfferId": "5060887210", "DeliveryPreviewId": "SIP-8676502-0261200"}),
    Sample("bwpCreateOrderRequest", body=CANONICAL_ORDER),
    Sample("bwpReadResponse", body=GRAPHQL_CREATED, headers={"CamelHttpResponseCode": 200}),
    Sample("bwpCancelOrderRequest", properties={"BwpOrderId": "322-ABC1-AAAAAA", "RejectionReason": "Z1"},
           value_mappings=VALUE_MAPPINGS),
    Sample("bwpUpdateOrderRequest", body={"orderId": "322-ABC1-AAAAAA", "executionState": "STARTED",
                                           "refunds": [{"alias": "CM-90000001", "state": "SUCCESS", "amount": "19.99",
                                                        "currency": "USD", "lineItemIds": ["LI-1"]}]}),
    Sample("bwpOrderQuery", properties={"BwpAliasId": "12345"}),
    Sample("bwpCheckOutcome", body="{}", properties={"BwpOutcome": "NOT_FOUND", "BwpAcceptOutcomes": "OK,NOT_FOUND"}),
    Sample("s4CheckOutcome", body="{}", properties={"S4Outcome": "OK"}),
    Sample("bwpOrderTextTargets", properties={"BwpOrder": json.dumps(BWP_ORDER), "SalesOrder": "12345"}),
    Sample("fulfillmentDecision", body="{}",
           properties={"CanonicalOrder": json.dumps(CANONICAL_ORDER), "BwpOutcome": "NOT_FOUND",
                       "AmazonOrderTypes": "OR1", "AmazonPlant": "1710"}),
    Sample("fulfillmentFailure", body="<SalesOrderRequest/>",
           properties={"CamelExceptionCaught": "java.lang.IllegalArgumentException: s4SalesOrderToCanonical: "
                                               "d.to_Partner.to_Address.StreetName is required",
                       "SalesOrder": "12345", "OriginalRequest": "<SalesOrderRequest/>"}),
    Sample("fulfillmentCancellation", "checkEligibility",
           properties={"BwpOrder": json.dumps(BWP_ORDER), "SalesOrder": "12345", "BwpOrderId": "322-ABC1-AAAAAA"}),
    Sample("fulfillmentCancellation", "readCancellation",
           properties={"BwpOrder": json.dumps(BWP_ORDER), "SalesOrder": "12345", "BwpOrderId": "322-ABC1-AAAAAA",
                       "BwpCancellationId": "CN-1", "BwpCancellationState": "PENDING"}),
    Sample("fulfillmentCancellation", "readOutcome",
           properties={"BwpOrder": json.dumps(dict(BWP_ORDER, cancellations={"details": [{"id": "CN-1", "state": "SUCCESS"}]})),
                       "SalesOrder": "12345", "BwpOrderId": "322-ABC1-AAAAAA", "CancellationId": "CN-1"}),
    Sample("fulfillmentWatermark", "readWatermark", body="", properties={"InitialWatermark": "2026-01-15T09:00:00Z"}),
    Sample("fulfillmentWatermark", "nextWatermark",
           body="<A_SalesOrder><A_SalesOrderType><SalesOrder>12345</SalesOrder>"
                "<LastChangeDateTime>2026-01-20T12:00:00.1234567Z</LastChangeDateTime></A_SalesOrderType></A_SalesOrder>",
           properties={"Watermark": "2026-01-15T09:00:00.0000000Z", "ScanPageSize": "100"}),
    Sample("s4SalesOrderTextPlan", body=S4_ORDER_TEXTS,
           properties={"SalesOrder": "12345", "TextTargets": json.dumps([{"id": "0001", "text": "322-ABC1-AAAAAA"},
                                                                           {"item": "10", "id": "Z001", "text": "LI-1"}])}),
    Sample("bwpProductsQuery", properties={"BwpPageSize": "20", "BwpCursor": "catalogid#42"}),
    Sample("logPayload", body='{"access_token":"Atza|secret","order":"12345"}',
           headers={"Content-Type": "application/json"}, properties={"LogPayload": "true"}),
    Sample("bwpEventIntake", body=EVENTBRIDGE_DELIVERED),
    Sample("spapiReadResponse", body={"errors": [{"code": "QuotaExceeded",
                                                  "message": "You exceeded your quota for the requested resource.",
                                                  "details": ""}]},
           headers={"CamelHttpResponseCode": 429, "x-amzn-RequestId": "req-1"}, properties={"SpApiAttempt": "2"}),
    Sample("lwaToken", "prepareRequest", properties={"LwaCredentialAlias": "LWA_CLIENT",
                                                     "LwaRefreshTokenAlias": "LWA_REFRESH"},
           credentials=CREDENTIALS),
    Sample("lwaToken", "readResponse", body={"access_token": "Atza|IwEBItokenvalue", "token_type": "bearer",
                                             "expires_in": 30},
           properties={"LwaCredentialAlias": "LWA_CLIENT", "LwaRefreshTokenAlias": "LWA_REFRESH"}),
    Sample("bwpToken", "prepareRequest", properties={"BwpCredentialAlias": "BWP_CLIENT", "BwpTargetId": "bp-1"},
           credentials=CREDENTIALS),
    Sample("bwpToken", "readResponse", body={"access_token": "bwp-token", "expires_in": 30},
           properties={"BwpCredentialAlias": "BWP_CLIENT", "BwpTargetId": "bp-1"}),
    Sample("s4ReadResponse", body=load("s4_error.json"), headers={"CamelHttpResponseCode": 400}),
    Sample("s4SalesOrderTextRequest", properties={"SalesOrder": "12345", "BwpOrderId": "322-ABC1-AAAAAA"}),
    Sample("s4SalesOrderItemReject", properties={"SalesOrder": "12345", "SalesOrderItem": "10",
                                                 "BwpCancelReason": "OUT_OF_STOCK"},
           value_mappings=VALUE_MAPPINGS),
    Sample("s4FunctionImportQuery", properties={"S4Function": "SetPickingQuantityWithBaseQuantity",
                                                "S4FunctionParameters": json.dumps({
                                                    "ActualDeliveredQtyInBaseUnit": {"decimal": "0.00"},
                                                    "BaseUnit": "PC", "DeliveryDocument": "80000000",
                                                    "DeliveryDocumentItem": "10"})}),
    Sample("s4OutboundDeliveryRequest", body=CANONICAL_ORDER, properties={"ShippingPoint": "1710"}),
    Sample("s4DeliveryTextRequest", properties={"DeliveryDocument": "80000000", "CarrierCode": "UPS",
                                                "TrackingNumber": "1Z999AA10123456784"}),
    Sample("s4CustomerReturnRequest", body={
        "returnId": "R-5001", "bwpOrderId": "322-ABC1-AAAAAA", "salesOrder": "12345",
        "salesArea": {"salesOrganization": "1710", "distributionChannel": "10", "division": "00"},
        "soldTo": "17100001",
        "items": [{"salesOrderItem": "10", "sku": "SAP-MAT-100045", "quantity": "1", "unit": "PC",
                   "returnReason": "101"}]}),
    Sample("s4CreditMemoRequest", body={
        "refundId": "RF-7001", "referenceDocument": "90000001", "reason": "DAMAGED_DEFECTIVE_ITEM",
        "items": [{"referenceItem": "10", "quantity": "1", "unit": "PC"}]}, value_mappings=VALUE_MAPPINGS),
    Sample("s4MaterialDocumentRequest", body={
        "plant": "1710", "storageLocation": "171A", "postingDate": "2026-01-31",
        "lines": [{"sku": "TG11", "delta": "3", "unit": "PC"}, {"sku": "TG12", "delta": "-2", "unit": "PC"},
                  {"sku": "TG13", "delta": "0", "unit": "PC"}]}),
    Sample("s4BillingDocumentReader", body=load("billing_documents.json"), value_mappings=VALUE_MAPPINGS),
    Sample("s4MaterialStockReader", body=load("material_stock.json")),
    Sample("fbaInventoryToStockAdjustment", body=load("fba_inventory.json"),
           properties={"S4Stock": json.dumps({"stock": [{"sku": "SAP-MAT-100045", "quantity": "90", "unit": "PC"}]}),
                       "MapSkus": "true"},
           value_mappings=VALUE_MAPPINGS),
]

# The "Amazon fulfillment updates" module's scripts (tests/groovy/fulfillment_samples.py).
from fulfillment_samples import fulfillment_updates_samples  # noqa: E402

SAMPLES += fulfillment_updates_samples(Sample, load)
