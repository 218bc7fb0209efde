"""Buy with Prime events: envelopes posted to subscribed endpoints as orders move, with retries."""

from __future__ import annotations

import base64
import re
import time

import pytest

from amazon_support import CREATE_ORDER, TARGET, order_input

RESOURCE = re.compile(rf"^businessProduct/{TARGET}/order/322-[A-Z0-9]{{4}}-[A-Z0-9]{{6}}/delivery/PKG-[A-Z0-9]+$")


def _subscribe(bwp_mock, receiver, **extra):
    response = bwp_mock.control("POST", "/__mock__/subscriptions", json={"url": receiver.url, **extra})
    assert response.status_code == 201, response.text
    return response.json()[0]["subscriptionId"]


def _advance(bwp_mock, order_id, step, **args):
    response = bwp_mock.control("POST", f"/__mock__/orders/{order_id}/advance", json={"step": step, **args})
    assert response.status_code == 200, response.text
    return response.json()


def _deliveries(bwp_mock):
    return bwp_mock.control("GET", "/__mock__/state").json()["deliveries"]


def _wait(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_full_order_life_arrives_as_eventbridge_envelopes(bwp_mock, gql, receiver):
    subscription = _subscribe(bwp_mock, receiver, form="eventbridge",
                              event_types=["PACKAGE_DELIVERY_IN_TRANSIT", "PACKAGE_TRACKER_MILESTONE_CHANGED",
                                           "PACKAGE_DELIVERED"])
    order = gql.data(CREATE_ORDER, {"input": order_input()})["createOrder"]["order"]
    _advance(bwp_mock, order["id"], "in_transit")
    _advance(bwp_mock, "5000001", "milestone", code="OUT_FOR_DELIVERY")  # by alias id too
    _advance(bwp_mock, order["id"], "delivered")
    received = receiver.wait_for(3)
    assert receiver.types() == ["PACKAGE_DELIVERY_IN_TRANSIT", "PACKAGE_TRACKER_MILESTONE_CHANGED", "PACKAGE_DELIVERED"]
    envelope = received[0]["json"]
    assert set(envelope) == {"version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"}
    assert envelope["version"] == "0" and envelope["source"] == "aws.partner/buywithprime/s4amz-local-events"
    assert RESOURCE.match(envelope["resources"][0]) and envelope["detail"]["resources"] == envelope["resources"]
    detail = envelope["detail"]
    assert set(detail) == {"idempotencyKey", "eventDescriptor", "resources", "eventId", "apiVersion", "subscriptionId",
                           "eventTime", "data"}
    assert detail["apiVersion"] == "2024-11-01" and detail["subscriptionId"] == subscription
    assert detail["data"] == {} and order["id"] in envelope["resources"][0]
    milestone = received[1]["json"]["resources"][0]
    assert re.match(rf"^businessProduct/{TARGET}/carrier/AMZN_US/tracker/TBA\d{{12}}$", milestone)
    delivered = received[2]["json"]["detail"]["data"]["order"]
    assert delivered["id"] == order["id"] and delivered["packageInformation"]["details"][0]["state"] == "DELIVERED"
    assert received[0]["headers"]["Content-Type"] == "application/json"
    tracker = gql.data("""query($id: String!) { order(orderIdentifier: {orderId: $id}) { packageInformation {
        summary { state } details { packageTracker { latestMilestone { status { code } } milestones { status { code } } } } } } }""",
                       {"id": order["id"]})["order"]["packageInformation"]
    assert tracker["summary"]["state"] == "DELIVERED"
    assert [m["status"]["code"] for m in tracker["details"][0]["packageTracker"]["milestones"]] == \
        ["INFO_RECEIVED", "IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED"]


def test_webhook_form_gets_only_the_detail_with_basic_auth(bwp_mock, gql, receiver):
    _subscribe(bwp_mock, receiver, form="webhook", event_types=["PACKAGE_DELIVERY_IN_TRANSIT"],
               auth={"basic": {"username": "cpi", "password": "s3cret"}})
    order = gql.data(CREATE_ORDER, {"input": order_input()})["createOrder"]["order"]
    _advance(bwp_mock, order["id"], "in_transit")
    (delivery,) = receiver.wait_for(1)
    assert delivery["json"]["eventDescriptor"] == "PACKAGE_DELIVERY_IN_TRANSIT" and "detail-type" not in delivery["json"]
    assert delivery["headers"]["Authorization"] == "Basic " + base64.b64encode(b"cpi:s3cret").decode()


def test_bearer_auth_and_inventory_changed_on_order_creation(bwp_mock, gql, receiver):
    _subscribe(bwp_mock, receiver, form="eventbridge", event_types=["INVENTORY_CHANGED"], auth={"bearer": "tok"})
    gql.data(CREATE_ORDER, {"input": order_input()})
    (delivery,) = receiver.wait_for(1)
    assert delivery["headers"]["Authorization"] == "Bearer tok"
    assert delivery["json"]["resources"] == [f"businessProduct/{TARGET}/item-quantities/X00S4C9001"]
    bwp_mock.control("POST", "/__mock__/inventory/C900-BIKE", json={"buyable": 5})
    receiver.wait_for(2)


def test_cancellation_emits_package_cancelled_then_refund_requested(bwp_mock, gql, receiver):
    _subscribe(bwp_mock, receiver, event_types=["PACKAGE_DELIVERY_CANCELLED", "REFUND_REQUESTED"])
    order = gql.data(CREATE_ORDER, {"input": order_input()})["createOrder"]["order"]
    gql.data("""mutation($id: String!) { cancelOrder(orderIdentifier: {orderId: $id}) { cancellation { state } } }""",
             {"id": order["id"]})
    bwp_mock.control("POST", "/__mock__/clock", json={"advance": 5})
    received = receiver.wait_for(2)
    assert receiver.types() == ["PACKAGE_DELIVERY_CANCELLED", "REFUND_REQUESTED"]
    refund = received[1]["json"]
    assert re.match(rf"^businessProduct/{TARGET}/order/{order['id']}/refund/RF-[A-Z0-9]+$", refund["resources"][0])
    details = refund["detail"]["data"]["order"]["refunds"]["details"][0]
    assert details["state"] == "PENDING" and details["refundRequestReason"] == "CANCELLED_ORDER"
    assert details["refundTotal"]["totalAmount"] == {"amount": 1200.0, "currencyCode": "USD"}


def test_return_from_start_to_completion(bwp_mock, gql, receiver):
    _subscribe(bwp_mock, receiver)
    order = gql.data(CREATE_ORDER, {"input": order_input(quantity=2)})["createOrder"]["order"]
    early = bwp_mock.control("POST", f"/__mock__/orders/{order['id']}/advance", json={"step": "return_started"})
    assert early.status_code == 409 and "no delivered units" in early.json()["error"]
    _advance(bwp_mock, order["id"], "in_transit")
    _advance(bwp_mock, order["id"], "delivered")
    line = order["lineItems"][0]["id"]
    _advance(bwp_mock, order["id"], "return_started", line_items=[{"line_item": line, "quantity": 1}])
    skipped = bwp_mock.control("POST", f"/__mock__/orders/{order['id']}/advance", json={"step": "return_completed"})
    assert skipped.status_code == 409
    for step in ("return_in_transit", "return_delivered"):
        _advance(bwp_mock, order["id"], step)
    _advance(bwp_mock, order["id"], "return_graded", condition="SELLABLE")
    final = _advance(bwp_mock, order["id"], "return_completed")
    assert final["returns"]["details"][0]["state"] == "COMPLETED"
    assert final["returns"]["details"][0]["returnLineItems"][0]["gradedUnits"] == [{"condition": "SELLABLE", "units": 1}]
    receiver.wait_for(10)
    assert receiver.types() == ["INVENTORY_CHANGED", "PACKAGE_DELIVERY_IN_TRANSIT", "PACKAGE_DELIVERED",
                                "RETURN_STARTED", "RETURN_PACKAGE_IN_TRANSIT", "REFUND_REQUESTED",
                                "RETURN_PACKAGE_DELIVERED", "RETURN_ITEM_GRADED", "INVENTORY_CHANGED", "RETURN_COMPLETED"]
    completed = next(r["json"] for r in receiver.received if r["json"]["detail-type"] == "RETURN_COMPLETED")
    assert "/return/RT-" in completed["resources"][0]
    assert completed["detail"]["data"]["order"]["returns"]["details"][0]["state"] == "COMPLETED"


def test_split_packages_move_separately(bwp_mock, gql, receiver):
    _subscribe(bwp_mock, receiver, event_types=["PACKAGE_DELIVERY_IN_TRANSIT"])
    extra = order_input(sku="H100-HELMET")["lineItems"]
    order = gql.data(CREATE_ORDER, {"input": order_input(extra_lines=extra)})["createOrder"]["order"]
    split = _advance(bwp_mock, order["id"], "split", into=2)
    packages = split["packageInformation"]["details"]
    assert len(packages) == 2
    _advance(bwp_mock, order["id"], "in_transit", package=packages[1]["id"])
    summary = _advance(bwp_mock, order["id"], "in_transit")["packageInformation"]
    assert summary["summary"]["state"] == "IN_TRANSIT"
    received = receiver.wait_for(2)
    assert [r["json"]["resources"][0].rsplit("/", 1)[1] for r in received] == [packages[1]["id"], packages[0]["id"]]
    bad = bwp_mock.control("POST", f"/__mock__/orders/{order['id']}/advance", json={"step": "split", "into": 2})
    assert bad.status_code == 409


def test_failed_deliveries_are_retried_then_parked_then_requeued(bwp_mock, gql, receiver):
    receiver.fail_first = 2
    _subscribe(bwp_mock, receiver, event_types=["INVENTORY_CHANGED"])
    bwp_mock.control("POST", "/__mock__/inventory/H100-HELMET", json={"buyable": 10})
    receiver.wait_for(1)
    assert _wait(lambda: _deliveries(bwp_mock)[0]["status"] == "delivered")
    first = _deliveries(bwp_mock)[0]
    assert first["attempts"] == 3 and first["lastStatus"] == 200
    receiver.fail_first = 100
    bwp_mock.control("POST", "/__mock__/inventory/H100-HELMET", json={"buyable": 11})
    assert _wait(lambda: _deliveries(bwp_mock)[1]["status"] == "failed")
    parked = _deliveries(bwp_mock)[1]
    assert parked["attempts"] == 3 and "HTTP 503" in parked["lastError"]
    receiver.fail_first = 0
    assert bwp_mock.control("POST", "/__mock__/deliveries/retry").json() == {"requeued": 1}
    assert _wait(lambda: _deliveries(bwp_mock)[1]["status"] == "delivered")
    assert len(receiver.received) == 2


def test_unreachable_endpoint_is_recorded_with_the_reason(bwp_mock):
    bwp_mock.control("POST", "/__mock__/subscriptions", json={"url": "http://127.0.0.1:9/nothing"})
    bwp_mock.control("POST", "/__mock__/inventory/H100-HELMET", json={"buyable": 1})
    assert _wait(lambda: _deliveries(bwp_mock) and _deliveries(bwp_mock)[0]["status"] == "failed")
    assert "ConnectionError" in _deliveries(bwp_mock)[0]["lastError"]


@pytest.mark.parametrize("subscription, fragment", [
    ({"url": "ftp://x"}, "'url' must be an http(s) URL"),
    ({"url": "http://x", "form": "sqs"}, "'form' must be one of"),
    ({"url": "http://x", "event_types": ["ORDER_EXPLODED"]}, "unknown event type"),
    ({"url": "http://x", "auth": {"digest": "x"}}, "'auth' must be"),
    ({"url": "http://x", "colour": "red"}, "unknown subscription field"),
])
def test_bad_subscriptions_are_rejected(bwp_mock, subscription, fragment):
    response = bwp_mock.control("POST", "/__mock__/subscriptions", json=subscription)
    assert response.status_code == 400 and fragment in response.json()["error"]


def test_graphql_event_subscriptions(bwp_mock, gql, receiver):
    create = """mutation($in: CreateEventSubscriptionInput!) { createEventSubscription(input: $in) { subscriptionId } }"""
    webhook = {"eventType": "PACKAGE_DELIVERY_IN_TRANSIT", "destination": {"webhook": {"url": receiver.url}}}
    sub_id = gql.data(create, {"in": webhook})["createEventSubscription"]["subscriptionId"]
    duplicate = gql(create, {"in": webhook}).json()
    assert duplicate["errors"][0]["extensions"]["classification"]["code"] == "SubscriptionAlreadyExists"
    bridge = {"eventType": "REFUND_REQUESTED", "destination": {"eventBridge": {
        "region": "us-east-1", "partnerEventSource": {"account": "111122223333", "name": "my-source"}}}}
    gql.data(create, {"in": bridge})
    bad_region = dict(bridge, destination={"eventBridge": dict(bridge["destination"]["eventBridge"], region="mars")})
    assert gql(create, {"in": bad_region}).json()["errors"][0]["extensions"]["classification"]["code"] == "InvalidDestination"
    listed = gql.data("{ eventSubscriptions { subscriptionId eventType destinationType } }")["eventSubscriptions"]
    assert {s["destinationType"] for s in listed} == {"WEBHOOK", "EVENT_BRIDGE"}
    order = gql.data(CREATE_ORDER, {"input": order_input()})["createOrder"]["order"]
    _advance(bwp_mock, order["id"], "in_transit")
    (delivery,) = receiver.wait_for(1)
    assert delivery["json"]["subscriptionId"] == sub_id
    _advance(bwp_mock, order["id"], "cancel_package", reason="UNDELIVERABLE")
    assert _wait(lambda: any(d["status"] == "recorded" and d["eventType"] == "REFUND_REQUESTED"
                             for d in _deliveries(bwp_mock)))
    deleted = gql.data("mutation($id: String!) { deleteEventSubscription(subscriptionId: $id) { subscriptionId } }",
                       {"id": sub_id})
    assert deleted["deleteEventSubscription"]["subscriptionId"] == sub_id
