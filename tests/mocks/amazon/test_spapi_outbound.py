"""Fulfillment Outbound 2020-07-01: create, get, list, update, cancel, status moves, tracking, returns."""

from __future__ import annotations

import copy

import pytest

ORDERS = "/fba/outbound/2020-07-01/fulfillmentOrders"
ORDER = {
    "marketplaceId": "ATVPDKIKX0DER", "sellerFulfillmentOrderId": "S4-5000001-01", "displayableOrderId": "5000001",
    "displayableOrderDate": "2026-07-01T09:30:00Z", "displayableOrderComment": "Thank you for your order",
    "shippingSpeedCategory": "Standard", "fulfillmentAction": "Ship", "fulfillmentPolicy": "FillOrKill",
    "destinationAddress": {"name": "Jane Doe", "addressLine1": "410 Terry Ave N", "city": "Seattle",
                           "stateOrRegion": "WA", "postalCode": "98109", "countryCode": "US", "phone": "+12065550100"},
    "notificationEmails": ["jane@example.com"],
    "items": [{"sellerSku": "C900-BIKE", "sellerFulfillmentOrderItemId": "000010", "quantity": 2,
               "perUnitDeclaredValue": {"currencyCode": "USD", "value": "1200.00"}},
              {"sellerSku": "H100-HELMET", "sellerFulfillmentOrderItemId": "000020", "quantity": 1}],
}


@pytest.fixture()
def mcf(spapi_mock, sp):
    spapi_mock.control("POST", "/__mock__/throttle", json={"enabled": False})
    return sp


def _order(mcf, order_id="S4-5000001-01"):
    response = mcf("GET", f"{ORDERS}/{order_id}")
    assert response.status_code == 200, response.text
    return response.json()["payload"]


def _stock(spapi_mock, sku):
    return spapi_mock.control("GET", "/__mock__/state").json()["inventory"][sku]


def test_create_then_get_reserves_stock(spapi_mock, mcf):
    created = mcf("POST", ORDERS, json=ORDER)
    assert (created.status_code, created.json()) == (200, {})
    payload = _order(mcf)
    order = payload["fulfillmentOrder"]
    assert order["fulfillmentOrderStatus"] == "Received" and order["displayableOrderId"] == "5000001"
    assert order["destinationAddress"] == ORDER["destinationAddress"]
    assert payload["returnItems"] == [] and payload["returnAuthorizations"] == []
    items = {i["sellerFulfillmentOrderItemId"]: i for i in payload["fulfillmentOrderItems"]}
    assert items["000010"]["quantity"] == 2 and items["000010"]["unfulfillableQuantity"] == 0
    assert items["000010"]["perUnitDeclaredValue"] == {"currencyCode": "USD", "value": "1200.00"}
    stock = _stock(spapi_mock, "C900-BIKE")
    assert stock["fulfillable"] == 38 and stock["reserved"]["pending_customer_order"] == 2


@pytest.mark.parametrize("mutate, fragment", [
    (lambda o: o.pop("displayableOrderComment"), "'displayableOrderComment' is a required property"),
    (lambda o: o.update(surprise=True), "'surprise' was unexpected"),
    (lambda o: o["items"][0].update(quantity="2"), "items[0].quantity: '2' is not of type 'integer'"),
    (lambda o: o["items"][0]["perUnitDeclaredValue"].update(value=1200), "value: 1200 is not of type 'string'"),
    (lambda o: o.update(shippingSpeedCategory="Overnight"), "shippingSpeedCategory: 'Overnight' is not one of"),
    (lambda o: o.update(sellerFulfillmentOrderId="X" * 41), "is too long"),
    (lambda o: o["destinationAddress"].pop("city"), "city (required everywhere except JP)"),
    (lambda o: o.update(destinationAddress=[o["destinationAddress"]]), "is not of type 'object'"),
    (lambda o: o["items"][0].update(sellerSku="NOPE"), "the SellerSKU for Item Id: 000010 is invalid."),
    (lambda o: o["items"][1].update(sellerFulfillmentOrderItemId="000010"), "Duplicate sellerFulfillmentOrderItemId"),
    (lambda o: o.update(displayableOrderDate="01.07.2026"), "is not a 'date-time'"),
])
def test_create_rejects_what_amazon_rejects(mcf, mutate, fragment):
    body = copy.deepcopy(ORDER)
    mutate(body)
    response = mcf("POST", ORDERS, json=body)
    assert response.status_code == 400, response.text
    error = response.json()["errors"][0]
    assert error["code"] == "InvalidInput" and fragment in error["message"] + error.get("details", "")


def test_duplicate_order_id_is_rejected(mcf):
    assert mcf("POST", ORDERS, json=ORDER).status_code == 200
    again = mcf("POST", ORDERS, json=ORDER)
    assert again.status_code == 400 and "already exists" in again.json()["errors"][0]["message"]


def test_fill_or_kill_without_stock_is_unfulfillable(spapi_mock, mcf):
    body = copy.deepcopy(ORDER)
    body["items"] = [{"sellerSku": "R100-BIKE", "sellerFulfillmentOrderItemId": "1", "quantity": 3}]
    assert mcf("POST", ORDERS, json=body).status_code == 200
    payload = _order(mcf)
    assert payload["fulfillmentOrder"]["fulfillmentOrderStatus"] == "Unfulfillable"
    assert payload["fulfillmentOrderItems"][0]["unfulfillableQuantity"] == 3
    assert _stock(spapi_mock, "R100-BIKE")["fulfillable"] == 2


def test_lifecycle_through_sandbox_status_update_to_tracking(spapi_mock, mcf):
    mcf("POST", ORDERS, json=ORDER)
    for status in ("Planning", "Processing"):
        assert mcf("PUT", f"{ORDERS}/S4-5000001-01/status", json={"fulfillmentOrderStatus": status}).status_code == 200
    processing = _order(mcf)
    assert processing["fulfillmentShipments"][0]["fulfillmentShipmentStatus"] == "PENDING"
    cancel = mcf("PUT", f"{ORDERS}/S4-5000001-01/cancel")
    assert cancel.status_code == 400 and "cannot be cancelled in status Processing" in cancel.json()["errors"][0]["message"]
    assert mcf("PUT", f"{ORDERS}/S4-5000001-01/status", json={"fulfillmentOrderStatus": "Complete"}).status_code == 200
    done = _order(mcf)
    assert done["fulfillmentOrder"]["fulfillmentOrderStatus"] == "Complete"
    shipment = done["fulfillmentShipments"][0]
    assert shipment["fulfillmentShipmentStatus"] == "SHIPPED" and shipment["shippingDate"]
    package = shipment["fulfillmentShipmentPackage"][0]
    assert package["carrierCode"] == "AMZN_US" and package["trackingNumber"].startswith("TBA")
    assert _stock(spapi_mock, "C900-BIKE")["reserved"]["pending_customer_order"] == 0
    tracking = mcf("GET", "/fba/outbound/2020-07-01/tracking", params={"packageNumber": package["packageNumber"]})
    assert tracking.json()["payload"]["currentStatus"] == "IN_TRANSIT"
    spapi_mock.control("POST", "/__mock__/fulfillment-orders/S4-5000001-01/advance", json={"step": "deliver"})
    delivered = mcf("GET", "/fba/outbound/2020-07-01/tracking", params={"packageNumber": package["packageNumber"]})
    details = delivered.json()["payload"]
    assert details["currentStatus"] == "DELIVERED" and details["trackingEvents"][0]["eventCode"] == "EVENT_301"


def test_control_route_splits_into_shipments_and_rejects_impossible_moves(spapi_mock, mcf):
    mcf("POST", ORDERS, json=ORDER)
    moved = spapi_mock.control("POST", "/__mock__/fulfillment-orders/S4-5000001-01/advance",
                               json={"to": "Complete", "shipments": 2})
    assert moved.status_code == 200
    assert len(moved.json()["fulfillmentShipments"]) == 2
    again = spapi_mock.control("POST", "/__mock__/fulfillment-orders/S4-5000001-01/advance", json={"to": "Planning"})
    assert again.status_code == 409 and "cannot move from Complete to Planning" in again.json()["error"]


def test_cancel_releases_stock(spapi_mock, mcf):
    mcf("POST", ORDERS, json=ORDER)
    assert mcf("PUT", f"{ORDERS}/S4-5000001-01/cancel").status_code == 200
    payload = _order(mcf)
    assert payload["fulfillmentOrder"]["fulfillmentOrderStatus"] == "Cancelled"
    assert all(i["cancelledQuantity"] == i["quantity"] for i in payload["fulfillmentOrderItems"])
    assert _stock(spapi_mock, "C900-BIKE")["fulfillable"] == 40


def test_hold_order_is_updated_then_released(spapi_mock, mcf):
    body = dict(copy.deepcopy(ORDER), fulfillmentAction="Hold")
    mcf("POST", ORDERS, json=body)
    blocked = spapi_mock.control("POST", "/__mock__/fulfillment-orders/S4-5000001-01/advance", json={"to": "Processing"})
    assert blocked.status_code == 409 and "on hold" in blocked.json()["error"]
    update = {"fulfillmentAction": "Ship", "items": [{"sellerFulfillmentOrderItemId": "000010", "quantity": 1}]}
    assert mcf("PUT", f"{ORDERS}/S4-5000001-01", json=update).status_code == 200
    payload = _order(mcf)
    assert payload["fulfillmentOrder"]["fulfillmentAction"] == "Ship"
    assert payload["fulfillmentOrderItems"][0]["quantity"] == 1
    assert _stock(spapi_mock, "C900-BIKE")["reserved"]["pending_customer_order"] == 1
    not_on_hold = mcf("PUT", f"{ORDERS}/S4-5000001-01", json={"displayableOrderComment": "x"})
    assert not_on_hold.status_code == 400


def test_unknown_order_is_404(mcf):
    response = mcf("GET", f"{ORDERS}/NOPE")
    assert response.status_code == 404 and response.json()["errors"][0]["code"] == "NotFound"
    assert mcf("PUT", f"{ORDERS}/NOPE/cancel").status_code == 404


def test_list_by_query_start_date_with_pagination(spapi_mock, mcf):
    spapi_mock.service.backend.orders.page_size = 2
    for n in range(3):
        body = dict(copy.deepcopy(ORDER), sellerFulfillmentOrderId=f"S4-L-{n}")
        body["items"] = [{"sellerSku": "H100-HELMET", "sellerFulfillmentOrderItemId": "1", "quantity": 1}]
        assert mcf("POST", ORDERS, json=body).status_code == 200
    first = mcf("GET", ORDERS, params={"queryStartDate": "2026-01-01T00:00:00Z"}).json()["payload"]
    second = mcf("GET", ORDERS, params={"nextToken": first["nextToken"]}).json()["payload"]
    ids = [o["sellerFulfillmentOrderId"] for o in first["fulfillmentOrders"] + second["fulfillmentOrders"]]
    assert sorted(ids) == ["S4-L-0", "S4-L-1", "S4-L-2"] and "nextToken" not in second
    future = mcf("GET", ORDERS, params={"queryStartDate": "2099-01-01T00:00:00Z"}).json()["payload"]
    assert future["fulfillmentOrders"] == []


def test_returns_need_a_shipped_item_and_a_known_reason(spapi_mock, mcf):
    mcf("POST", ORDERS, json=ORDER)
    codes = mcf("GET", "/fba/outbound/2020-07-01/returnReasonCodes", params={"sellerSku": "C900-BIKE"}).json()
    assert "CR-DEFECTIVE" in [c["returnReasonCode"] for c in codes["payload"]["reasonCodeDetails"]]
    spapi_mock.control("POST", "/__mock__/fulfillment-orders/S4-5000001-01/advance", json={"to": "Complete"})
    shipment = _order(mcf)["fulfillmentShipments"][0]["amazonShipmentId"]
    items = [{"sellerReturnItemId": "R1", "sellerFulfillmentOrderItemId": "000010", "amazonShipmentId": shipment,
              "returnReasonCode": "CR-DEFECTIVE"},
             {"sellerReturnItemId": "R2", "sellerFulfillmentOrderItemId": "000010", "amazonShipmentId": "BOGUS",
              "returnReasonCode": "CR-DEFECTIVE"}]
    result = mcf("PUT", f"{ORDERS}/S4-5000001-01/return", json={"items": items}).json()["payload"]
    assert [r["sellerReturnItemId"] for r in result["returnItems"]] == ["R1"]
    assert result["returnItems"][0]["status"] == "New"
    assert result["invalidReturnItems"][0]["invalidItemReason"]["invalidItemReasonCode"] == "InvalidValues"
    assert result["returnAuthorizations"][0]["fulfillmentCenterId"] == "SEA8"
    duplicate = mcf("PUT", f"{ORDERS}/S4-5000001-01/return", json={"items": items[:1]}).json()["payload"]
    assert duplicate["invalidReturnItems"][0]["invalidItemReason"]["invalidItemReasonCode"] == "DuplicateRequest"
    spapi_mock.control("POST", "/__mock__/fulfillment-orders/S4-5000001-01/advance",
                       json={"step": "receive_returns", "condition": "Sellable"})
    processed = _order(mcf)["returnItems"][0]
    assert processed["status"] == "Processed" and processed["returnReceivedCondition"] == "Sellable"


def test_preview_reports_unfulfillable_items(mcf):
    body = {"address": ORDER["destinationAddress"], "shippingSpeedCategories": ["Standard", "Priority"],
            "items": [{"sellerSku": "C900-BIKE", "sellerFulfillmentOrderItemId": "1", "quantity": 1},
                      {"sellerSku": "B200-BOTTLE", "sellerFulfillmentOrderItemId": "2", "quantity": 1}]}
    previews = mcf("POST", f"{ORDERS}/preview", json=body).json()["payload"]["fulfillmentPreviews"]
    assert [p["shippingSpeedCategory"] for p in previews] == ["Standard", "Priority"]
    assert all(not p["isFulfillable"] for p in previews)
    assert previews[0]["unfulfillablePreviewItems"][0]["sellerSku"] == "B200-BOTTLE"
