"""Sample calls of the "Amazon fulfillment updates" scripts (added to groovy_samples.SAMPLES).

Bodies are responses the Buy with Prime and S/4HANA mocks served (captured with
tests/groovy/fulfillment_world.py into tests/groovy/data/).
"""

from __future__ import annotations

import json
from typing import Any, Callable

from harness.scripthost import ValueMapping


def fulfillment_updates_samples(sample: Callable[..., Any], load: Callable[[str], str]) -> list[Any]:
    """One realistic call per function; ``sample`` is groovy_samples.Sample, ``load`` reads data/."""
    order = json.loads(load("bwp_order_packages.json"))
    packages = order["data"]["order"]["packageInformation"]["details"]
    in_transit = next(p for p in packages if p["state"] == "IN_TRANSIT")
    package = {"orderId": order["data"]["order"]["id"], "salesOrder": "5000001", "packageId": packages[0]["id"],
               "packageMarker": packages[0]["id"], "state": "CANCELLED", "reason": "UNFULFILLABLE",
               "items": [{"lineItemId": "LI-1", "salesOrderItem": "10", "quantity": 1}],
               "orderItems": [{"salesOrderItem": "10", "orderedUnits": 1, "cancelledUnits": 1, "activeUnits": 0},
                              {"salesOrderItem": "20", "orderedUnits": 2, "cancelledUnits": 0, "activeUnits": 2}],
               "texts": {"package": packages[0]["id"], "summary": "cancelled", "tracking": None}}
    reasons = [ValueMapping("BuyWithPrime", "PackageCancellationReason", "UNFULFILLABLE", "S4HANA",
                            "SalesDocumentRjcnReason", "Z3")]
    return [
        sample("bwpPackageQuery", properties={"BwpOrderId": order["data"]["order"]["id"]}),
        sample("bwpPackageDelivery", body=load("bwp_order_packages.json"), properties={"PackageId": in_transit["id"]}),
        sample("s4OutboundDeliveryMatch", "deliveryFilter", body=load("s4_delivery_items_of_order.json")),
        sample("s4OutboundDeliveryMatch", body=load("s4_delivery_headers.json"),
               properties={"PackageJson": json.dumps(package)}),
        sample("s4OutboundDeliveryStep", body=load("s4_delivery_header.json"), headers={"ETag": "W/\"'0002'\""},
               properties={"S4Step": "HEADER", "PackageMarker": packages[0]["id"], "TrackingNumber": "TBA123456789012",
                           "DeliveryDate": "2026-02-03", "DeliveryTime": "12:00:00", "ShippedDate": "2026-01-30"}),
        sample("s4OutboundDeliveryRequest", "fromPackage", properties={"PackageJson": json.dumps(package),
                                                                       "ShippingPoint": "1710"}),
        sample("s4DeliveryTextRequest", "readTexts", body=load("s4_delivery_texts.json"), properties={"TextLanguage": "EN"}),
        sample("s4DeliveryTextRequest", "upsert", properties={
            "DeliveryDocument": "80000103", "TextElement": "TX04", "TextLanguage": "EN",
            "TextContent": "Amazon order 322-X, package PKG-1: in transit",
            "DeliveryTexts": json.dumps({"TX04": "Amazon order 322-X, package PKG-1: pending"})}),
        sample("s4ItemCancellationRequest", body=load("s4_sales_order_items.json"),
               properties={"PackageJson": json.dumps(package), "DefaultRejectionReason": "Z5"}, value_mappings=reasons),
        sample("eventFailureReason", headers={"SAPJMSRetries": 2}, properties={
            "CamelExceptionCaught": "com.sap.gateway.core.ip.component.odata.exception.OsciException: Service "
                                    "Unavailable : 503 : HTTP/1.1 503 Service Unavailable"}),
        sample("bwpEventReply", properties={"ReplyStatus": "202", "ReplyOutcome": "accepted",
                                            "IdempotencyKey": "idem-0001", "EventType": "PACKAGE_DELIVERED"}),
    ]
