"""Buy with Prime GraphQL builders and the response reader, on both Groovy runtimes.

Requests are held against the Buy with Prime schema the mock serves (harness/mocks/bwp/schema.graphql,
written from the FACTS, its inferred parts marked): the document must validate and the variables must
coerce to the declared input types, so a request that passes here is one the contract mock accepts."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest
from graphql import build_schema, parse, validate
from graphql.execution.values import get_variable_values

from groovy_helpers import expect_failure
from groovy_samples import CANONICAL_ORDER, GRAPHQL_CREATED, VALUE_MAPPINGS

SCHEMA = build_schema((Path(__file__).resolve().parents[2] / "harness" / "mocks" / "bwp" / "schema.graphql")
                      .read_text(encoding="utf-8"))


def assert_valid_request(request: dict) -> dict:
    """The request's document validates and its variables coerce; returns the coerced variables."""
    document = parse(request["query"])
    errors = validate(SCHEMA, document)
    assert not errors, errors
    operation = document.definitions[0]
    coerced = get_variable_values(SCHEMA, operation.variable_definitions, request["variables"])
    assert not isinstance(coerced, list), f"variables do not match the schema: {coerced}"
    return coerced


# ---- createOrder -------------------------------------------------------------------------

def test_create_order_request_carries_sap_numbers_prices_and_offer(run) -> None:
    r = run("bwpCreateOrderRequest", CANONICAL_ORDER)
    assert r.exception is None, r.exception
    request = r.json()
    assert_valid_request(request)
    order = request["variables"]["input"]
    assert order["aliases"] == [{"aliasType": "EXTERNAL_ID", "aliasId": "12345"},
                                {"aliasType": "EXTERNAL_DISPLAY_ID", "aliasId": "WEB-98765"}]
    assert order["desiredExecutionState"] == "STARTED"
    first, second = order["lineItems"]
    assert first["product"] == {"identifier": {"sku": "SAP-MAT-100045"}, "title": "Widget, blue ★",
                                "price": {"amount": 19.99, "currencyCode": "USD"}}
    assert first["amount"] == {"value": 2, "unit": "ONE"}
    assert first["aliases"] == [{"aliasType": "EXTERNAL_ID", "aliasId": "12345-10"}]
    assert first["selectedDeliveryOffer"]["details"] == {
        "deliveryProvider": "AMAZON", "id": "5060887210", "deliveryPreviewId": "SIP-8676502-0261200",
        "deliveryTerms": {"isPrimeEligible": True, "deliverySpeed": "STANDARD"}}
    assert first["taxes"] == [{"type": "JR1", "amount": {"amount": 3.2, "currencyCode": "USD"}}]
    assert second["discounts"] == [{"code": "DM01", "amount": {"amount": 1.0, "currencyCode": "USD"}}]
    assert Decimal(str(order["totalPrice"]["value"]["amount"])) == Decimal("54.97")
    assert order["recipient"]["deliveryAddress"] == {"name": "Zoë Ångström", "streetAddress": "410 Terry Ave N",
                                                     "locality": "Seattle", "region": "WA", "countryCode": "US",
                                                     "postalCode": "98109"}
    assert order["customer"] == {"contact": {"emailData": {"name": "Zoë Ångström", "email": "zoe@example.com"}}}
    assert r.properties["BwpAlias"] == "12345" and r.properties["BwpLineItemCount"] == 2
    assert r.header("Content-Type") == "application/json"


def test_delivery_block_creates_the_order_not_started(run) -> None:
    order = copy.deepcopy(CANONICAL_ORDER)
    order["deliveryBlock"] = "01"
    r = run("bwpCreateOrderRequest", order)
    assert r.json()["variables"]["input"]["desiredExecutionState"] == "NOT_STARTED"


def test_rejected_lines_are_left_out_and_optional_fields_may_be_missing(run) -> None:
    order = copy.deepcopy(CANONICAL_ORDER)
    order["items"][1]["rejectionReason"] = "Z1"
    for field in ("customerReference", "discounts", "taxes", "texts", "totals", "externalIds", "salesArea"):
        order.pop(field)
    order["recipient"].pop("email")
    order["recipient"].pop("region")
    order["items"][0].pop("description")
    order["items"][0].pop("taxes")
    r = run("bwpCreateOrderRequest", order)
    assert r.exception is None, r.exception
    request = r.json()
    assert_valid_request(request)
    body = request["variables"]["input"]
    assert len(body["lineItems"]) == 1 and "customer" not in body
    assert body["aliases"] == [{"aliasType": "EXTERNAL_ID", "aliasId": "12345"}]
    assert body["totalPrice"]["value"]["amount"] == 39.98


@pytest.mark.parametrize(("mutate", "fragment"), [
    (lambda o: o.pop("orderId"), "orderId is required"),
    (lambda o: o["items"][0].pop("sku"), "items[0].sku is required"),
    (lambda o: o["items"][1].update(quantity="1.5"), "items[1].quantity must be a positive whole number"),
    (lambda o: o["items"][0].update(unitPrice="12,50"), "items[0].unitPrice is not a decimal number"),
    (lambda o: o["deliveryOffer"].pop("previewId"), "deliveryOffer.previewId are required"),
    (lambda o: o["recipient"].pop("postalCode"), "recipient.postalCode is required"),
    (lambda o: o.update(items=[]), "items must hold at least one line"),
])
def test_create_order_rejects_bad_input_naming_the_field(run, mutate, fragment) -> None:
    order = copy.deepcopy(CANONICAL_ORDER)
    mutate(order)
    expect_failure(run("bwpCreateOrderRequest", order), fragment)


def test_more_lines_than_buy_with_prime_takes(run) -> None:
    order = copy.deepcopy(CANONICAL_ORDER)
    order["items"] = [dict(order["items"][0], itemId=str(10 * (i + 1))) for i in range(21)]
    expect_failure(run("bwpCreateOrderRequest", order), "21 open lines", "at most 20")


def test_merchant_delivery_needs_no_offer_id(run) -> None:
    order = copy.deepcopy(CANONICAL_ORDER)
    order["deliveryOffer"] = {"provider": "MERCHANT", "speed": "STANDARD", "primeEligible": False,
                              "offerId": None, "previewId": None}
    r = run("bwpCreateOrderRequest", order)
    details = assert_valid_request(r.json())["input"]["lineItems"][0]["selectedDeliveryOffer"]["details"]
    assert details == {"deliveryProvider": "MERCHANT",
                       "deliveryTerms": {"isPrimeEligible": False, "deliverySpeed": "STANDARD"}}


def test_large_order_body_with_many_texts(run) -> None:
    order = copy.deepcopy(CANONICAL_ORDER)
    order["texts"] = [{"id": f"Z{i:03d}", "language": "EN", "text": "ä" * 2000} for i in range(500)]
    r = run("bwpCreateOrderRequest", order)
    assert r.exception is None and len(r.json()["variables"]["input"]["lineItems"]) == 2


# ---- response reader ---------------------------------------------------------------------

def _error(type_: str, code: str | None = None, message: str = "boom", path: list | None = None) -> dict:
    classification = {"type": type_}
    if code:
        classification["code"] = code
    return {"errors": [{"message": message, "path": path or ["createOrder"],
                        "extensions": {"classification": classification}}], "data": None}


@pytest.mark.parametrize(("body", "status", "outcome", "retryable"), [
    (GRAPHQL_CREATED, 200, "OK", "false"),
    (_error("ConflictError", "AliasValueAlreadyExists"), 200, "ALREADY_EXISTS", "false"),
    (_error("ValidationError", "AliasValueAlreadyExists"), 200, "ALREADY_EXISTS", "false"),
    (_error("ThrottlingError"), 200, "THROTTLED", "true"),
    (_error("ValidationError", "InvalidAddress", "The address is not valid", ["createOrder", "input", "recipient"]),
     200, "VALIDATION", "false"),
    (_error("ResourceNotFoundError"), 200, "NOT_FOUND", "false"),
    (_error("AccessDeniedError"), 200, "ACCESS_DENIED", "false"),
    (_error("InternalServerError"), 200, "SERVER_ERROR", "true"),
    ("Too Many Requests", 429, "THROTTLED", "true"),
    ('{"message":"Unauthorized"}', 401, "UNAUTHORIZED", "true"),
    ("", 503, "SERVER_ERROR", "true"),
])
def test_read_response_classifies_the_outcome(run, body, status, outcome, retryable) -> None:
    r = run("bwpReadResponse", body, headers={"CamelHttpResponseCode": status})
    assert r.exception is None, r.exception
    assert r.properties["BwpOutcome"] == outcome
    assert r.properties["BwpRetryable"] == retryable


def test_read_response_details_of_a_validation_error_and_of_success(run) -> None:
    r = run("bwpReadResponse", _error("ValidationError", "InvalidAddress", "The address is not valid",
                                      ["createOrder", "input", "recipient"]))
    assert r.properties["BwpErrorCode"] == "InvalidAddress"
    assert r.properties["BwpErrorMessage"] == "The address is not valid"
    assert r.properties["BwpErrorPath"] == "createOrder.input.recipient"
    ok = run("bwpReadResponse", GRAPHQL_CREATED)
    assert ok.properties["BwpOrderId"] == "322-ABC1-AAAAAA"
    assert ok.properties["BwpExecutionState"] == "STARTED"
    assert "BwpErrorCode" not in ok.properties
    assert ok.json() == GRAPHQL_CREATED  # body kept


@pytest.mark.parametrize(("body", "fragment"), [
    ("<html>bad gateway</html>", "not JSON"),
    ("", "empty response body"),
    ("[1, 2]", "must be a JSON object"),
    ('{"extensions": {}}', "neither data nor errors"),
])
def test_read_response_rejects_malformed_bodies(run, body, fragment) -> None:
    expect_failure(run("bwpReadResponse", body, headers={"CamelHttpResponseCode": 200}), fragment)


# ---- cancel, update, order, products ------------------------------------------------------

def test_cancel_maps_the_sap_reason_through_the_value_mapping(run) -> None:
    r = run("bwpCancelOrderRequest", properties={"BwpOrderId": "322-ABC1-AAAAAA", "RejectionReason": "Z1"},
            value_mappings=VALUE_MAPPINGS)
    request = r.json()
    variables = assert_valid_request(request)
    assert variables["orderIdentifier"] == {"orderId": "322-ABC1-AAAAAA"}
    assert request["variables"]["input"] == {"reason": "OUT_OF_STOCK"}
    assert r.properties["BwpCancelReasonMapped"] == "true"


def test_cancel_with_an_unmapped_reason_falls_back_to_other_and_says_so(run) -> None:
    r = run("bwpCancelOrderRequest", properties={"BwpAliasId": "12345", "RejectionReason": "Z9",
                                                 "CancelComment": "Kunde storniert – danke"},
            value_mappings=VALUE_MAPPINGS)
    request = r.json()
    assert_valid_request(request)
    assert request["variables"]["orderIdentifier"] == {"alias": {"aliasType": "EXTERNAL_ID", "aliasId": "12345"}}
    assert request["variables"]["input"] == {"reason": "OTHER",
                                             "additionalComments": "SAP rejection reason Z9; Kunde storniert – danke"}
    assert r.properties["BwpCancelReasonMapped"] == "false"


@pytest.mark.parametrize(("properties", "fragment"), [
    ({"RejectionReason": "Z1"}, "BwpOrderId or BwpAliasId is required"),
    ({"BwpOrderId": "x"}, "RejectionReason"),
    ({"BwpOrderId": "x", "BwpCancelReason": "BORED"}, "BwpCancelReason must be one of"),
])
def test_cancel_rejects_incomplete_input(run, properties, fragment) -> None:
    expect_failure(run("bwpCancelOrderRequest", properties=properties), fragment)


def test_update_order_release_refund_return_and_package(run) -> None:
    update = {"alias": {"id": "12345"}, "executionState": "STARTED",
              "packages": [{"id": "P-1", "alias": "80000123"}],
              "returns": [{"alias": "RET-12345-1", "returnId": "R-1", "state": "COMPLETED"}],
              "refunds": [{"alias": "CM-90000001", "state": "SUCCESS", "amount": "19.99", "currency": "USD",
                           "lineItemIds": ["LI-1"]}]}
    r = run("bwpUpdateOrderRequest", update)
    assert r.exception is None, r.exception
    variables = assert_valid_request(r.json())
    assert variables["input"]["desiredExecutionState"] == "STARTED"
    assert variables["input"]["refunds"]["details"][0]["refundTotal"]["totalAmount"] == {"amount": 19.99, "currencyCode": "USD"}
    assert r.properties["BwpUpdateKinds"] == "desiredExecutionState,packageInformation,returns,refunds"


@pytest.mark.parametrize(("update", "fragment"), [
    ({"executionState": "STARTED"}, "orderId or alias.id is required"),
    ({"orderId": "o"}, "nothing to update"),
    ({"orderId": "o", "executionState": "NOT_STARTED"}, "can only be set to STARTED"),
    ({"orderId": "o", "refunds": [{"state": "DONE", "amount": "1", "currency": "USD"}]}, "refunds[0].state must be one of"),
    ({"orderId": "o", "refunds": [{"state": "SUCCESS", "amount": "1,00", "currency": "USD"}]}, "refunds[0].amount is not a decimal"),
    ({"orderId": "o", "packages": [{"alias": "80000123"}]}, "packages[0].id is required"),
    ({"orderId": "o", "packages": [{"id": "P-1"}]}, "packages[0] carries nothing to update"),
])
def test_update_order_rejects_bad_input(run, update, fragment) -> None:
    expect_failure(run("bwpUpdateOrderRequest", update), fragment)


def test_order_query_by_id_and_by_alias(run) -> None:
    by_id = run("bwpOrderQuery", properties={"BwpOrderId": "322-ABC1-AAAAAA"}).json()
    assert assert_valid_request(by_id)["orderIdentifier"] == {"orderId": "322-ABC1-AAAAAA"}
    by_alias = run("bwpOrderQuery", properties={"BwpAliasId": "12345", "BwpAliasType": "EXTERNAL_DISPLAY_ID"}).json()
    assert by_alias["variables"]["orderIdentifier"] == {"alias": {"aliasType": "EXTERNAL_DISPLAY_ID", "aliasId": "12345"}}
    expect_failure(run("bwpOrderQuery"), "BwpOrderId or BwpAliasId is required")


def test_products_query_pages(run) -> None:
    r = run("bwpProductsQuery", properties={"BwpPageSize": "5", "BwpCursor": "catalogid#42",
                                           "BwpProductFilter": "sku.value==SAP*"})
    variables = assert_valid_request(r.json())
    assert variables == {"first": 5, "after": "catalogid#42", "filter": {"rsql": "sku.value==SAP*"}}
    expect_failure(run("bwpProductsQuery", properties={"BwpPageSize": "50"}), "from 1 to 20")
