"""Buy with Prime control routes for scenario setup: webhook destinations arranged once for the
landscape (URL and auth profile, kept across resets; subscriptions name them), and orders created
without a token but checked exactly as createOrder checks them."""

from __future__ import annotations

import base64

from amazon_support import CREATE_ORDER, TARGET, order_input


def test_a_subscription_naming_a_destination_delivers_there_with_its_auth(bwp_mock, gql, receiver):
    put = bwp_mock.control("PUT", "/__mock__/destinations/cpi-events", json={
        "url": receiver.url, "auth": {"basic": {"username": "cpi", "password": "s3cret"}}})
    assert put.status_code == 200, put.text
    assert bwp_mock.control("GET", "/__mock__/destinations").json() == {
        "cpi-events": {"url": receiver.url, "auth": ["basic"]}}            # no secret shown
    added = bwp_mock.control("POST", "/__mock__/subscriptions", json={
        "destination": "cpi-events", "form": "webhook", "event_types": ["PACKAGE_DELIVERY_IN_TRANSIT"]})
    assert added.status_code == 201, added.text
    order = gql.data(CREATE_ORDER, {"input": order_input()})["createOrder"]["order"]
    assert bwp_mock.control("POST", f"/__mock__/orders/{order['id']}/advance", json={"step": "in_transit"}).status_code == 200
    (delivery,) = receiver.wait_for(1)
    assert delivery["json"]["eventDescriptor"] == "PACKAGE_DELIVERY_IN_TRANSIT"
    assert delivery["headers"]["Authorization"] == "Basic " + base64.b64encode(b"cpi:s3cret").decode()
    bwp_mock.control("DELETE", "/__mock__/destinations/cpi-events")


def test_destinations_survive_a_reset_and_subscriptions_do_not(bwp_mock, receiver):
    bwp_mock.control("PUT", "/__mock__/destinations/cpi-events", json={"url": receiver.url})
    bwp_mock.control("POST", "/__mock__/subscriptions", json={"destination": "cpi-events"})
    assert bwp_mock.control("POST", "/__mock__/reset").status_code == 200
    assert bwp_mock.control("GET", "/__mock__/subscriptions").json() == []
    assert list(bwp_mock.control("GET", "/__mock__/destinations").json()) == ["cpi-events"]
    assert bwp_mock.control("DELETE", "/__mock__/destinations/cpi-events").json() == {"deleted": True}
    assert bwp_mock.control("GET", "/__mock__/destinations").json() == {}


def test_bad_destinations_and_subscriptions_are_refused(bwp_mock, receiver):
    unknown = bwp_mock.control("POST", "/__mock__/subscriptions", json={"destination": "nowhere"})
    assert unknown.status_code == 400 and "unknown destination 'nowhere'" in unknown.json()["error"]
    bwp_mock.control("PUT", "/__mock__/destinations/d", json={"url": receiver.url})
    both = bwp_mock.control("POST", "/__mock__/subscriptions", json={"destination": "d", "url": receiver.url})
    assert both.status_code == 400 and "either a destination or its own url" in both.json()["error"]
    bad = bwp_mock.control("PUT", "/__mock__/destinations/x", json={"url": "ftp://x"})
    assert bad.status_code == 400 and "'url' must be an http(s) URL" in bad.json()["error"]
    bwp_mock.control("DELETE", "/__mock__/destinations/d")


def test_orders_created_by_control_are_checked_like_create_order(bwp_mock, gql, receiver):
    bwp_mock.control("POST", "/__mock__/subscriptions", json={"url": receiver.url, "event_types": ["INVENTORY_CHANGED"]})
    created = bwp_mock.control("POST", "/__mock__/orders", json=order_input(alias="5000042", quantity=2))
    assert created.status_code == 201, created.text
    order = created.json()
    assert order["aliases"] == [{"aliasType": "EXTERNAL_ID", "aliasId": "5000042"}]
    assert order["metadata"]["executionState"] == "STARTED" and order["lineItems"][0]["amount"]["value"] == 2
    assert order["packageInformation"]["details"][0]["state"] == "PENDING"
    read = gql.data("query($id: String!) { order(orderIdentifier: {orderId: $id}) { id } }", {"id": order["id"]})
    assert read["order"]["id"] == order["id"]
    (event,) = receiver.wait_for(1)                                    # buyable units changed, as with createOrder
    assert event["json"]["resources"] == [f"businessProduct/{TARGET}/item-quantities/X00S4C9001"]
    again = bwp_mock.control("POST", "/__mock__/orders", json=order_input(alias="5000042"))
    assert again.status_code == 400 and again.json()["errors"][0]["extensions"]["classification"]["code"] == \
        "AliasValueAlreadyExists"
    wrong = bwp_mock.control("POST", "/__mock__/orders", json={**order_input(), "lineItems": [{"amount": {"value": "x"}}]})
    assert wrong.status_code == 400 and "lineItems" in wrong.json()["errors"][0]["message"]


def test_waiting_for_event_deliveries(bwp_mock, gql, receiver):
    receiver.fail_first = 1                                          # the first attempt fails, the retry lands
    bwp_mock.control("POST", "/__mock__/subscriptions", json={"url": receiver.url,
                                                             "event_types": ["PACKAGE_DELIVERY_IN_TRANSIT"]})
    order = gql.data(CREATE_ORDER, {"input": order_input()})["createOrder"]["order"]
    bwp_mock.control("POST", f"/__mock__/orders/{order['id']}/advance", json={"step": "in_transit"})
    answer = bwp_mock.control("POST", "/__mock__/deliveries/wait", params={"timeout_s": 10})
    assert answer.status_code == 200 and answer.json()["settled"] is True
    assert answer.json()["delivered"] == 1 and answer.json()["pending"] == 0
    assert len(receiver.received) == 1                               # delivered before the answer, no polling
