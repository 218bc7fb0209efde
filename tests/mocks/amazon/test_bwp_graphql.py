"""Buy with Prime: token endpoint, required headers, schema validation, orders, catalog, inventory."""

from __future__ import annotations

import pytest
import requests

from amazon_support import BWP_CLIENT, CREATE_ORDER, TARGET, GraphQL, order_input

ORDER_BY_ALIAS = """
query($alias: String!) {
  order(orderIdentifier: {alias: {aliasType: "EXTERNAL_ID", aliasId: $alias}}) {
    id metadata { executionState } cancellations { details { state } }
    packageInformation { summary { state } details { id state reason packageTracker { packageTrackerIdentifier { trackingNumber carrierCode } } } }
    refunds { details { state refundRequestReason refundTotal { totalAmount { amount currencyCode } } } }
  }
}"""


def test_token_endpoint_issues_15_minute_bearer_tokens(bwp_mock):
    form = requests.post(bwp_mock.url + "/token", data={"grant_type": "client_credentials", "client_id": BWP_CLIENT[0],
                                                        "client_secret": BWP_CLIENT[1]}, timeout=10)
    basic = requests.post(bwp_mock.url + "/token", data={"grant_type": "client_credentials"}, auth=BWP_CLIENT, timeout=10)
    for response in (form, basic):
        assert response.status_code == 200
        assert response.json()["expires_in"] == 900 and response.json()["token_type"] == "Bearer"
    wrong = requests.post(bwp_mock.url + "/token", data={"grant_type": "client_credentials", "client_id": BWP_CLIENT[0],
                                                         "client_secret": "nope"}, timeout=10)
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    grant = requests.post(bwp_mock.url + "/token", data={"grant_type": "password"}, auth=BWP_CLIENT, timeout=10)
    assert grant.status_code == 400 and grant.json()["error"] == "unsupported_grant_type"


@pytest.mark.parametrize("drop, status, code", [
    ("Authorization", 401, "MissingAccessToken"),
    ("x-api-version", 400, "MissingApiVersion"),
    ("x-api-target-id", 400, "MissingTargetId"),
])
def test_required_headers(gql, drop, status, code):
    headers = {k: v for k, v in gql.headers.items() if k != drop}
    response = requests.post(gql.url + "/graphql", json={"query": "{ eventSubscriptions { subscriptionId } }"},
                             headers=headers, timeout=10)
    assert response.status_code == status
    assert response.json()["errors"][0]["extensions"]["classification"]["code"] == code


def test_wrong_target_unsupported_version_and_bad_token(gql):
    query = "{ eventSubscriptions { subscriptionId } }"
    assert gql(query, **{"x-api-target-id": "bp-someone-else"}).status_code == 403
    version = gql(query, **{"x-api-version": "2023-01-01"})
    assert version.status_code == 400 and "not supported" in version.json()["errors"][0]["message"]
    forged = gql(query, Authorization="Bearer bwp|eyJ4IjoxfQ.c2ln")
    assert forged.status_code == 401
    assert forged.json()["errors"][0]["extensions"]["classification"]["type"] == "AccessDeniedError"


def test_token_expires_after_15_minutes(bwp_mock, gql):
    assert gql("{ eventSubscriptions { subscriptionId } }").status_code == 200
    bwp_mock.control("POST", "/__mock__/clock", json={"advance": 901})
    expired = gql("{ eventSubscriptions { subscriptionId } }")
    assert expired.status_code == 401
    assert expired.json()["errors"][0]["extensions"]["classification"]["code"] == "ExpiredAccessToken"


@pytest.mark.parametrize("query, variables, fragment", [
    ("{ order(orderIdentifier: {orderId: \"1\"}) { id status } }", None, "Cannot query field 'status' on type 'Order'"),
    ("{ order { id } }", None, "argument 'orderIdentifier' of type 'OrderIdentifierInput!' is required"),
    ("mutation($in: CreateOrderInput!) { createOrder(input: $in) { order { id } } }",
     {"in": {"lineItems": [], "unknownField": 1}}, "unknownField"),
    ("mutation($in: CreateOrderInput!) { createOrder(input: $in) { order { id } } }",
     {"in": {"lineItems": [{"amount": {"value": "two"}}]}}, "Int cannot represent"),
    ("mutation { createOrder(input: {lineItems: [], desiredExecutionState: RUNNING}) { order { id } } }", None,
     "Value 'RUNNING' does not exist in 'OrderExecutionStateInput' enum"),
    ("{ order(orderIdentifier: {orderId: \"1\"}) { id ", None, "Syntax Error"),
])
def test_schema_violations_are_rejected_before_execution(bwp_mock, gql, query, variables, fragment):
    response = gql(query, variables)
    body = response.json()
    assert response.status_code == 200 and body.get("data") is None
    assert any(fragment in error["message"] for error in body["errors"]), body
    assert body["errors"][0]["extensions"]["classification"]["type"] == "ValidationError"
    assert bwp_mock.control("GET", "/__mock__/state").json()["orders"] == {}


def test_create_order_and_query_by_id_and_alias(gql):
    order = gql.data(CREATE_ORDER, {"input": order_input()})["createOrder"]["order"]
    assert order["id"].startswith("322-") and len(order["id"]) == 15
    assert order["metadata"]["executionState"] == "STARTED"
    assert order["packageInformation"]["summary"]["state"] == "PENDING"
    by_id = gql.data("query($id: String!) { order(orderIdentifier: {orderId: $id}) { id lineItems { product { sku } } } }",
                     {"id": order["id"]})["order"]
    by_alias = gql.data(ORDER_BY_ALIAS, {"alias": "5000001"})["order"]
    assert by_id["id"] == by_alias["id"] == order["id"]
    assert by_id["lineItems"][0]["product"]["sku"] == "C900-BIKE"


def test_duplicate_alias_is_a_conflict_and_creates_nothing(bwp_mock, gql):
    gql.data(CREATE_ORDER, {"input": order_input()})
    body = gql(CREATE_ORDER, {"input": order_input()}).json()
    assert body["data"] == {"createOrder": None}
    classification = body["errors"][0]["extensions"]["classification"]
    assert (classification["type"], classification["code"]) == ("ConflictError", "AliasValueAlreadyExists")
    assert len(bwp_mock.control("GET", "/__mock__/state").json()["orders"]) == 1


@pytest.mark.parametrize("mutate, code", [
    (lambda i: i["lineItems"][0]["product"]["identifier"].update(sku="NO-SUCH-SKU"), "ItemDoesNotExist"),
    (lambda i: i["lineItems"][0]["amount"].update(value=41), "ItemAmountUnavailable"),
    (lambda i: i.update(aliases=[{"aliasType": "T", "aliasId": str(n)} for n in range(6)]), "AliasLimitExceeded"),
    (lambda i: i.pop("recipient"), "InvalidAddress"),
    (lambda i: i["lineItems"][0]["selectedDeliveryOffer"]["details"].pop("deliveryPreviewId"), "InvalidDeliveryOffer"),
])
def test_create_order_business_rules(gql, mutate, code):
    data = order_input()
    mutate(data)
    body = gql(CREATE_ORDER, {"input": data}).json()
    classification = body["errors"][0]["extensions"]["classification"]
    assert (classification["type"], classification["code"]) == ("ValidationError", code)


def test_not_started_order_waits_until_update_starts_it(bwp_mock, gql):
    order = gql.data(CREATE_ORDER, {"input": order_input(started=False)})["createOrder"]["order"]
    blocked = bwp_mock.control("POST", f"/__mock__/orders/{order['id']}/advance", json={"step": "in_transit"})
    assert blocked.status_code == 409 and "NOT_STARTED" in blocked.json()["error"]
    updated = gql.data("""mutation($id: String!) { updateOrder(orderIdentifier: {orderId: $id},
                           input: {desiredExecutionState: STARTED, aliases: [{aliasType: "SAP_DELIVERY", aliasId: "80000101"}]})
                           { order { metadata { executionState } aliases { aliasId } } } }""", {"id": order["id"]})
    assert updated["updateOrder"]["order"]["metadata"]["executionState"] == "STARTED"
    assert [a["aliasId"] for a in updated["updateOrder"]["order"]["aliases"]] == ["5000001", "80000101"]
    assert bwp_mock.control("POST", f"/__mock__/orders/{order['id']}/advance", json={"step": "in_transit"}).status_code == 200


def test_cancel_is_pending_then_succeeds_with_a_refund(bwp_mock, gql):
    gql.data(CREATE_ORDER, {"input": order_input()})
    cancel = gql.data("""mutation { cancelOrder(orderIdentifier: {alias: {aliasType: "EXTERNAL_ID", aliasId: "5000001"}},
                          input: {reason: ORDERED_BY_MISTAKE}) { cancellation { id state reason requestedBy } } }""")
    assert cancel["cancelOrder"]["cancellation"]["state"] == "PENDING"
    again = gql("""mutation { cancelOrder(orderIdentifier: {alias: {aliasType: "EXTERNAL_ID", aliasId: "5000001"}}) {
                   cancellation { id } } }""").json()
    assert again["errors"][0]["extensions"]["classification"]["type"] == "ConflictError"
    bwp_mock.control("POST", "/__mock__/clock", json={"advance": 3})
    order = gql.data(ORDER_BY_ALIAS, {"alias": "5000001"})["order"]
    assert order["cancellations"]["details"][0]["state"] == "SUCCESS"
    assert order["packageInformation"]["summary"]["state"] == "CANCELLED"
    assert order["packageInformation"]["details"][0]["reason"] == "CUSTOMER_REQUESTED"
    refund = order["refunds"]["details"][0]
    assert refund["state"] == "PENDING" and refund["refundRequestReason"] == "CANCELLED_ORDER"
    assert refund["refundTotal"]["totalAmount"] == {"amount": 1200.0, "currencyCode": "USD"}


def test_cancel_is_rejected_once_a_package_shipped(bwp_mock, gql):
    order = gql.data(CREATE_ORDER, {"input": order_input()})["createOrder"]["order"]
    gql.data("""mutation { cancelOrder(orderIdentifier: {alias: {aliasType: "EXTERNAL_ID", aliasId: "5000001"}}) {
                cancellation { state } } }""")
    bwp_mock.control("POST", f"/__mock__/orders/{order['id']}/advance", json={"step": "in_transit"})
    bwp_mock.control("POST", f"/__mock__/orders/{order['id']}/advance", json={"step": "resolve_cancellation"})
    result = gql.data(ORDER_BY_ALIAS, {"alias": "5000001"})["order"]
    assert result["cancellations"]["details"][0]["state"] == "REJECTED"
    assert result["packageInformation"]["summary"]["state"] == "IN_TRANSIT"


def test_cancellation_is_decided_in_real_time_too(bwp_mock, gql):
    bwp_mock.service.backend.cancellation_delay = 0.2
    gql.data(CREATE_ORDER, {"input": order_input()})
    gql.data("""mutation { cancelOrder(orderIdentifier: {alias: {aliasType: "EXTERNAL_ID", aliasId: "5000001"}}) {
                cancellation { state } } }""")
    import time
    deadline = time.monotonic() + 5
    state = "PENDING"
    while state == "PENDING" and time.monotonic() < deadline:
        time.sleep(0.05)
        state = gql.data(ORDER_BY_ALIAS, {"alias": "5000001"})["order"]["cancellations"]["details"][0]["state"]
    assert state == "SUCCESS"


def test_refund_sync_through_update_order(gql, bwp_mock):
    order = gql.data(CREATE_ORDER, {"input": order_input()})["createOrder"]["order"]
    bwp_mock.control("POST", f"/__mock__/orders/{order['id']}/advance", json={"step": "cancel_package", "reason": "UNFULFILLABLE"})
    refund_id = gql.data("query($id: String!) { order(orderIdentifier: {orderId: $id}) { refunds { details { id } } } }",
                         {"id": order["id"]})["order"]["refunds"]["details"][0]["id"]
    synced = gql.data("""mutation($id: String!, $rid: String!) { updateOrder(orderIdentifier: {orderId: $id},
        input: {refunds: {details: [{id: $rid, state: SUCCESS, aliases: [{aliasType: "SAP_CREDIT_MEMO", aliasId: "70000101"}]}]}})
        { order { refunds { details { id state aliases { aliasId } } } } } }""", {"id": order["id"], "rid": refund_id})
    refund = synced["updateOrder"]["order"]["refunds"]["details"][0]
    assert refund["state"] == "SUCCESS" and refund["aliases"] == [{"aliasId": "70000101"}]
    missing = gql("""mutation($id: String!) { updateOrder(orderIdentifier: {orderId: $id},
        input: {refunds: {details: [{id: "RF-NOPE", state: SUCCESS}]}}) { order { id } } }""", {"id": order["id"]}).json()
    assert missing["errors"][0]["extensions"]["classification"]["type"] == "ResourceNotFoundError"


def test_unknown_order_is_resource_not_found(gql):
    body = gql("{ order(orderIdentifier: {orderId: \"322-NONE-NONEXX\"}) { id } }").json()
    assert body["data"] == {"order": None}
    assert body["errors"][0]["extensions"]["classification"]["type"] == "ResourceNotFoundError"
    both = gql("""{ order(orderIdentifier: {orderId: "x", alias: {aliasType: "A", aliasId: "B"}}) { id } }""").json()
    assert both["errors"][0]["extensions"]["classification"]["code"] == "InvalidOrderIdentifier"


def test_products_paginate_and_filter(gql):
    first = gql.data("{ products(first: 4) { pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }")["products"]
    assert len(first["edges"]) == 4 and first["pageInfo"]["hasNextPage"]
    rest = gql.data("query($after: String) { products(first: 20, after: $after) { pageInfo { hasNextPage } edges { node { id } } } }",
                    {"after": first["pageInfo"]["endCursor"]})["products"]
    assert len(rest["edges"]) == 2 and not rest["pageInfo"]["hasNextPage"]
    filtered = gql.data("""{ products(filter: {rsql: "sku.value==H100-HELMET"}) { edges { node {
                           ... on Product { sku { value } externalId { value } amazonSku { value } offerPrime } } } } }""")
    node = filtered["products"]["edges"][0]["node"]
    assert node == {"sku": {"value": "H100-HELMET"}, "externalId": {"value": "MZ-FG-H100"},
                    "amazonSku": {"value": "B0S4AH1001"}, "offerPrime": True}
    too_many = gql("{ products(first: 21) { edges { cursor } } }").json()
    assert too_many["errors"][0]["extensions"]["classification"]["type"] == "ValidationError"


def test_inventory_item_buyable_quantity_tracks_orders(gql):
    query = "query($id: String!) { inventoryItem(inventoryItemId: $id) { inventoryItemId buyableQuantity { unit amount } } }"
    assert gql.data(query, {"id": "X00S4C9001"})["inventoryItem"]["buyableQuantity"] == {"unit": "UNIT", "amount": 40}
    gql.data(CREATE_ORDER, {"input": order_input(quantity=3)})
    assert gql.data(query, {"id": "X00S4C9001"})["inventoryItem"]["buyableQuantity"]["amount"] == 37
    too_long = gql(query, {"id": "X" * 15}).json()
    assert too_long["errors"][0]["extensions"]["classification"]["code"] == "InvalidInventoryItemId"


def test_permissions_limit_what_a_token_may_do(bwp_mock):
    service = bwp_mock.service
    service.clients["reader"] = {"client_id": "reader", "client_secret": "r", "permissions": ["READ_ORDER"]}
    token = requests.post(bwp_mock.url + "/token", data={"grant_type": "client_credentials"}, auth=("reader", "r"),
                          timeout=10).json()["access_token"]
    reader = GraphQL(bwp_mock.url, token)
    body = reader(CREATE_ORDER, {"input": order_input()}).json()
    assert body["errors"][0]["extensions"]["classification"]["type"] == "AccessDeniedError"


def test_injected_throttling_is_a_graphql_throttling_error(bwp_mock, gql):
    bwp_mock.control("POST", "/__mock__/faults", json={"status": 429, "retry_after": 1, "times": 1, "path": "graphql"})
    throttled = gql("{ eventSubscriptions { subscriptionId } }")
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "1"
    assert throttled.json()["errors"][0]["extensions"]["classification"]["type"] == "ThrottlingError"
    assert gql("{ eventSubscriptions { subscriptionId } }").status_code == 200


def test_get_and_unknown_paths(bwp_mock, gql):
    assert requests.get(bwp_mock.url + "/graphql", headers=gql.headers, timeout=10).status_code == 405
    assert requests.post(bwp_mock.url + "/v1/orders", headers=gql.headers, timeout=10).status_code == 404
    not_json = requests.post(bwp_mock.url + "/graphql", data="query", headers={**gql.headers, "Content-Type": "application/json"},
                             timeout=10)
    assert not_json.status_code == 400
    assert TARGET in gql.headers["x-api-target-id"]
