"""The "Fulfill with Amazon" module's own scripts, on both runtimes: the decision per sales order,
failure classification, outcome checks, text write-back planning, cancellation and the scan
watermark. Requests are held against the Buy with Prime schema the mock serves, OData bodies against
the real EDMX (field names and creatable flags)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from graphql import build_schema, parse, validate
from graphql.execution.values import get_variable_values
from lxml import etree

from groovy_edmx import check_payload, load_edmx
from groovy_helpers import expect_failure, validate as validate_schema
from groovy_samples import BWP_ORDER, CANONICAL_ORDER, S4_ORDER_TEXTS, VALUE_MAPPINGS
from harness.scripthost import CaughtException

SCHEMA = build_schema((Path(__file__).resolve().parents[2] / "harness" / "mocks" / "bwp" / "schema.graphql")
                      .read_text(encoding="utf-8"))
CONFIG = {"AmazonOrderTypes": "OR1", "AmazonPlant": "1710", "AmazonOrderTextId": "0001"}


def canonical(**changes) -> dict:
    order = copy.deepcopy(CANONICAL_ORDER)
    for item in order["items"]:
        item["plant"] = "1710"
    order.update(changes)
    return order


def amazon(**changes) -> dict:
    order = copy.deepcopy(BWP_ORDER)
    order.update(changes)
    return order


def decide(run, order: dict, found: dict | None, **props):
    properties = {**CONFIG, "CanonicalOrder": json.dumps(order), **props}
    if found is None:
        properties["BwpOutcome"] = "NOT_FOUND"
    else:
        properties.update(BwpOutcome="OK", BwpOrder=json.dumps(found))
    return run("fulfillmentDecision", "{}", properties=properties)


# ---- decision ------------------------------------------------------------------------------

def test_new_order_is_created_with_the_amazon_plant_lines_only(run) -> None:
    order = canonical()
    order["items"][1]["plant"] = "1010"
    r = decide(run, order, None)
    assert r.exception is None, r.exception
    assert r.properties["FulfillmentAction"] == "CREATE"
    assert r.properties["SAP_MessageProcessingLogCustomStatus"] == "CREATE"
    body = r.json()
    validate_schema(body, "canonical-order")
    assert [i["itemId"] for i in body["items"]] == ["10"]
    assert "12345" in r.properties["FulfillmentReason"] and "STARTED" in r.properties["FulfillmentReason"]
    assert "BwpOrderId" not in r.properties


@pytest.mark.parametrize(("change", "fragment"), [
    ({"orderType": "OR"}, "order type OR is not one of OR1"),
    ({"deliveryStatus": "C"}, "already (partly) delivered"),
])
def test_orders_that_are_not_for_amazon_are_left_alone(run, change, fragment) -> None:
    r = decide(run, canonical(**change), None)
    assert r.properties["FulfillmentAction"] == "NONE"
    assert fragment in r.properties["FulfillmentReason"]


def test_other_plant_and_missing_control_text_are_not_relevant(run) -> None:
    order = canonical()
    for item in order["items"]:
        item["plant"] = "1010"
    assert "plant 1710" in decide(run, order, None).properties["FulfillmentReason"]
    r = decide(run, canonical(), None, ControlTextId="ZAMZ")
    assert r.properties["FulfillmentAction"] == "NONE" and "ZAMZ" in r.properties["FulfillmentReason"]
    flagged = canonical(texts=[{"id": "ZAMZ", "language": "EN", "text": "X"}])
    assert decide(run, flagged, None, ControlTextId="ZAMZ").properties["FulfillmentAction"] == "CREATE"


def test_an_order_rejected_before_it_reached_amazon_is_not_created(run) -> None:
    order = canonical()
    for item in order["items"]:
        item["rejectionReason"] = "Z1"
    r = decide(run, order, None)
    assert r.properties["FulfillmentAction"] == "NONE" and "rejected" in r.properties["FulfillmentReason"]


def test_known_order_without_the_id_in_s4_is_written_back(run) -> None:
    r = decide(run, canonical(), amazon())
    assert r.properties["FulfillmentAction"] == "WRITE_BACK"
    assert r.header("S4AMZ_BwpOrderId") == "322-ABC1-AAAAAA"
    assert r.properties["BwpOrderId"] == "322-ABC1-AAAAAA"
    assert r.json()["orderId"] == "12345"


def test_known_order_with_the_id_in_s4_is_up_to_date(run) -> None:
    order = canonical(texts=[{"id": "0001", "language": "EN", "text": "322-ABC1-AAAAAA"}])
    r = decide(run, order, amazon())
    assert r.properties["FulfillmentAction"] == "NONE"
    assert "up to date" in r.properties["FulfillmentReason"]


def test_delivery_block_removed_releases_a_not_started_order(run) -> None:
    order = canonical(texts=[{"id": "0001", "language": "EN", "text": "322-ABC1-AAAAAA"}])
    started = amazon(metadata={"executionState": "NOT_STARTED"})
    r = decide(run, order, started)
    assert r.properties["FulfillmentAction"] == "RELEASE"
    assert r.json() == {"salesOrder": "12345", "orderId": "322-ABC1-AAAAAA"}
    blocked = decide(run, dict(order, deliveryBlock="01"), started)
    assert blocked.properties["FulfillmentAction"] == "NONE"


def test_fully_rejected_order_is_cancelled_until_the_outcome_is_recorded(run) -> None:
    order = canonical(texts=[{"id": "0001", "language": "EN", "text": "322-ABC1-AAAAAA"}])
    for item in order["items"]:
        item["rejectionReason"] = "Z3"
    r = decide(run, order, amazon())
    assert r.properties["FulfillmentAction"] == "CANCEL"
    assert r.json() == {"salesOrder": "12345", "orderId": "322-ABC1-AAAAAA", "rejectionReason": "Z3"}
    assert (r.header("S4AMZ_SalesOrder"), r.header("S4AMZ_BwpOrderId"), r.header("S4AMZ_RejectionReason")) == \
        ("12345", "322-ABC1-AAAAAA", "Z3")
    pending = amazon(cancellations={"details": [{"id": "CN-1", "state": "PENDING"}]})
    # pending in Amazon but not yet recorded in S/4HANA: the cancel flow records it (no second request)
    assert decide(run, order, pending).properties["FulfillmentAction"] == "CANCEL"
    for status, cancellation, fragment in (("PENDING CN-1", pending, "pending; the outcome poll"),
                                           ("SUCCESS CN-1", amazon(), "outcome is recorded"),
                                           ("REJECTED shipped: package PKG-1 is IN_TRANSIT", amazon(), "outcome is recorded")):
        recorded = copy.deepcopy(order)
        recorded["texts"].append({"id": "Z002", "language": "EN", "text": status})
        again = decide(run, recorded, cancellation)
        assert again.properties["FulfillmentAction"] == "NONE", status
        assert fragment in again.properties["FulfillmentReason"]


def test_partial_rejection_after_creation_needs_a_person(run) -> None:
    order = canonical(texts=[{"id": "0001", "language": "EN", "text": "322-ABC1-AAAAAA"}])
    order["items"][1]["rejectionReason"] = "Z3"
    r = decide(run, order, amazon())
    assert r.properties["FulfillmentAction"] == "REVIEW"
    assert "item(s) 20" in r.properties["FulfillmentReason"] and "whole orders" in r.properties["FulfillmentReason"]


def test_a_line_rejected_before_creation_does_not_count(run) -> None:
    order = canonical(texts=[{"id": "0001", "language": "EN", "text": "322-ABC1-AAAAAA"}])
    order["items"][1]["rejectionReason"] = "Z3"
    only_first = amazon(lineItems=[BWP_ORDER["lineItems"][0]])
    assert decide(run, order, only_first).properties["FulfillmentAction"] == "NONE"


@pytest.mark.parametrize(("props", "fragment"), [
    ({"CanonicalOrder": "{}"}, "CanonicalOrder must hold"),
    ({"BwpOutcome": "THROTTLED"}, "BwpOutcome must be OK or NOT_FOUND"),
    ({"BwpOutcome": "OK", "BwpOrder": "{}"}, "BwpOrder holds no order"),
])
def test_decision_rejects_incomplete_input(run, props, fragment) -> None:
    properties = {**CONFIG, "CanonicalOrder": json.dumps(canonical()), "BwpOutcome": "NOT_FOUND", **props}
    expect_failure(run("fulfillmentDecision", "{}", properties=properties), fragment)


# ---- outcome check -------------------------------------------------------------------------

def test_check_outcome_passes_accepted_outcomes(run) -> None:
    r = run("bwpCheckOutcome", "x", properties={"BwpOutcome": "NOT_FOUND", "BwpAcceptOutcomes": "OK, NOT_FOUND"})
    assert r.exception is None and r.text == "x"


def test_check_outcome_throttling_is_retried(run) -> None:
    r = run("bwpCheckOutcome", properties={"BwpOutcome": "THROTTLED", "BwpRetryable": "true",
                                           "BwpErrorType": "ThrottlingError", "BwpErrorMessage": "Rate exceeded",
                                           "BwpOperation": "createOrder", "SalesOrder": "5000101"})
    expect_failure(r, "createOrder for sales order 5000101 failed", "THROTTLED (ThrottlingError)", "Rate exceeded",
                   "retried")
    assert r.exception.class_name == "java.lang.IllegalStateException"


def test_check_outcome_rejected_data_is_permanent(run) -> None:
    r = run("bwpCheckOutcome", properties={"BwpOutcome": "VALIDATION", "BwpRetryable": "false",
                                           "BwpErrorType": "ValidationError", "BwpErrorCode": "ItemDoesNotExist",
                                           "BwpErrorPath": "createOrder", "BwpOperation": "createOrder",
                                           "BwpErrorMessage": "lineItems[0].product does not exist in the catalog.",
                                           "SalesOrder": "5000101"})
    expect_failure(r, "sales order 5000101 was rejected", "ItemDoesNotExist", "lineItems[0].product")
    assert r.exception.class_name == "java.lang.IllegalArgumentException"


def test_check_outcome_retry_outcomes_override_the_kind(run) -> None:
    r = run("bwpCheckOutcome", properties={"BwpOutcome": "ALREADY_EXISTS", "BwpRetryOutcomes": "ALREADY_EXISTS",
                                           "BwpErrorCode": "CancellationAlreadyRequested"})
    assert r.exception.class_name == "java.lang.IllegalStateException"


@pytest.mark.parametrize(("outcome", "cls"), [("NOT_FOUND", "java.lang.IllegalArgumentException"),
                                               ("VALIDATION", "java.lang.IllegalArgumentException"),
                                               ("THROTTLED", "java.lang.IllegalStateException"),
                                               ("SERVER_ERROR", "java.lang.IllegalStateException")])
def test_s4_check_outcome(run, outcome, cls) -> None:
    r = run("s4CheckOutcome", properties={"S4Outcome": outcome, "S4HttpStatus": "404", "S4ErrorCode": "V1/302",
                                          "S4ErrorMessage": "Sales document 5000999 is not in the database",
                                          "S4Operation": "read sales order", "SalesOrder": "5000999"})
    expect_failure(r, "S/4HANA read sales order for sales order 5000999", outcome, "V1/302")
    assert r.exception.class_name == cls
    assert run("s4CheckOutcome", "x", properties={"S4Outcome": "OK"}).exception is None
    expect_failure(run("s4CheckOutcome"), "S4Outcome is missing")


def test_check_outcome_access_problems_are_retried_not_parked(run) -> None:
    r = run("bwpCheckOutcome", properties={"BwpOutcome": "ACCESS_DENIED", "BwpRetryable": "false"})
    assert r.exception.class_name == "java.lang.IllegalStateException"
    expect_failure(run("bwpCheckOutcome"), "BwpOutcome is missing")


# ---- failure classification ----------------------------------------------------------------

@pytest.mark.parametrize(("caught", "expected"), [
    (CaughtException("java.lang.IllegalArgumentException",
                     "bwpCreateOrderRequest: sales order 5000101 item 10 (items[0].sku): material MZ-X has no seller SKU"),
     "PERMANENT"),
    (CaughtException("org.apache.camel.component.ahc.AhcOperationFailedException",
                     "HTTP operation failed invoking http://s4/x with statusCode: 503", status_code=503), "TRANSIENT"),
    (CaughtException("java.lang.IllegalStateException", "bwpCheckOutcome: ... THROTTLED"), "TRANSIENT"),
    ("java.lang.IllegalArgumentException: s4SalesOrderToCanonical: d.to_Partner.to_Address.StreetName is required",
     "PERMANENT"),
    ("com.sap.gateway.core.ip.component.odata.exception.OsciException: Service Unavailable : 503 : HTTP/1.1 503",
     "TRANSIENT"),
])
def test_failure_classification(run, caught, expected) -> None:
    r = run("fulfillmentFailure", "<original/>",
            properties={"CamelExceptionCaught": caught, "SalesOrder": "5000101", "OriginalRequest": "<req/>",
                        "Source": "SOAP"})
    assert r.exception is None, r.exception
    assert r.properties["FailureClass"] == expected
    assert r.properties["FailureReason"].startswith("sales order 5000101")
    assert "Exception:" not in r.properties["FailureReason"]
    if expected == "PERMANENT":
        record = r.json()
        assert record["salesOrder"] == "5000101" and record["request"] == "<req/>" and record["source"] == "SOAP"
        assert record["reason"] == r.properties["FailureReason"]
        assert r.properties["SAP_MessageProcessingLogCustomStatus"] == "Parked"
    else:
        assert r.text == "<original/>"
    if isinstance(caught, CaughtException) and caught.status_code:
        assert r.properties["FailureStatusCode"] == "503"


# ---- write-back: text targets and plan -----------------------------------------------------

def test_text_targets_name_the_order_and_each_line(run) -> None:
    r = run("bwpOrderTextTargets", properties={"BwpOrder": json.dumps(BWP_ORDER), "SalesOrder": "12345"})
    assert r.exception is None, r.exception
    assert json.loads(r.properties["TextTargets"]) == [
        {"id": "0001", "text": "322-ABC1-AAAAAA"},
        {"item": "10", "id": "Z001", "text": "LI-AAAAAAAAAAA1"},
        {"item": "20", "id": "Z001", "text": "LI-AAAAAAAAAAA2"}]
    assert r.properties["BwpLineItemIds"] == "10=LI-AAAAAAAAAAA1,20=LI-AAAAAAAAAAA2"
    no_items = run("bwpOrderTextTargets", properties={"BwpOrder": json.dumps(BWP_ORDER), "SalesOrder": "12345",
                                                      "AmazonLineItemTextId": ""})
    assert len(json.loads(no_items.properties["TextTargets"])) == 1
    expect_failure(run("bwpOrderTextTargets", properties={"SalesOrder": "1"}), "BwpOrder is required")


def _writes(r) -> list[dict]:
    root = etree.fromstring(r.body)
    writes = []
    for write in root.findall("TextWrite"):
        payload = write.find("Payload")[0]
        entity = payload[0]
        writes.append({"op": write.findtext("Operation"), "set": write.findtext("EntitySet"),
                       "resource": write.findtext("Resource"), "root": payload.tag, "type": entity.tag,
                       "fields": {c.tag: c.text or "" for c in entity}})
    return writes


@pytest.fixture(scope="module")
def sales_edmx(reference):
    return load_edmx(reference / "s4hana" / "odata" / "API_SALES_ORDER_SRV.edmx")


def test_text_plan_creates_missing_patches_changed_and_skips_equal_texts(run, sales_edmx) -> None:
    targets = [{"id": "0001", "text": "322-ABC1-AAAAAA"}, {"item": "10", "id": "Z001", "text": "LI-1"},
               {"item": "000020", "id": "Z001", "text": "LI-2"}, {"id": "Z002", "text": "PENDING CN-1 – ü"}]
    r = run("s4SalesOrderTextPlan", S4_ORDER_TEXTS,
            properties={"SalesOrder": "12345", "TextTargets": json.dumps(targets, ensure_ascii=False)})
    assert r.exception is None, r.exception
    writes = _writes(r)
    assert [(w["op"], w["set"]) for w in writes] == [("PATCH", "A_SalesOrderText"), ("CREATE", "A_SalesOrderItemText"),
                                                     ("CREATE", "A_SalesOrderText")]
    header, item, status = writes
    assert header["resource"] == "A_SalesOrderText(SalesOrder='12345',Language='EN',LongTextID='0001')"
    assert header["fields"] == {"LongText": "322-ABC1-AAAAAA"}
    assert item["resource"] == ("A_SalesOrderItemText(SalesOrder='12345',SalesOrderItem='10',Language='EN',"
                                "LongTextID='Z001')")
    assert item["root"] == "A_SalesOrderItemText" and item["type"] == "A_SalesOrderItemTextType"
    assert status["fields"]["LongText"] == "PENDING CN-1 – ü"
    for write in writes:
        check_payload(sales_edmx, write["set"], write["fields"], creating=write["op"] == "CREATE")
    assert r.properties["TextWriteCount"] == 3
    assert "unchanged item 20 Z001" in r.properties["TextWriteSummary"]


def test_text_plan_of_a_replay_writes_nothing(run) -> None:
    targets = [{"item": "20", "id": "Z001", "text": "LI-2"}]
    r = run("s4SalesOrderTextPlan", S4_ORDER_TEXTS, properties={"SalesOrder": "12345", "TextTargets": json.dumps(targets)})
    assert r.properties["TextWriteCount"] == 0 and _writes(r) == []


@pytest.mark.parametrize(("props", "body", "fragment"), [
    ({"TextTargets": "[]"}, None, "property SalesOrder is required"),
    ({"SalesOrder": "12345"}, None, "TextTargets is required"),
    ({"SalesOrder": "12345", "TextTargets": '[{"id": "TOOLONG", "text": "x"}]'}, None, "at most 4 characters"),
    ({"SalesOrder": "12345", "TextTargets": '[{"item": "90", "id": "Z001", "text": "x"}]'}, None,
     "item 90 is not an item of sales order 12345"),
    ({"SalesOrder": "999", "TextTargets": "[]"}, None, "holds sales order 12345"),
    ({"SalesOrder": "12345", "TextTargets": "[]"}, {"d": {"SalesOrder": "12345", "to_Text": {"__deferred": {}}}},
     "to_Text is not expanded"),
])
def test_text_plan_rejects_bad_input(run, props, body, fragment) -> None:
    expect_failure(run("s4SalesOrderTextPlan", body or S4_ORDER_TEXTS, properties=props), fragment)


# ---- cancellation ----------------------------------------------------------------------------

def _cancel_props(order: dict) -> dict:
    return {"BwpOrder": json.dumps(order), "SalesOrder": "12345", "BwpOrderId": order["id"]}


def test_eligibility_of_an_order_whose_packages_are_pending(run) -> None:
    r = run("fulfillmentCancellation", function="checkEligibility", properties=_cancel_props(BWP_ORDER))
    assert r.exception is None, r.exception
    assert r.properties["CancelEligibility"] == "ELIGIBLE"
    assert "TextTargets" not in r.properties


@pytest.mark.parametrize(("change", "eligibility", "text"), [
    ({"packageInformation": {"details": [{"id": "PKG-1", "state": "IN_TRANSIT"}]}}, "SHIPPED",
     "REJECTED shipped: package PKG-1 is IN_TRANSIT"),
    ({"cancellations": {"details": [{"id": "CN-7", "state": "PENDING"}]}}, "PENDING", "PENDING CN-7"),
    ({"cancellations": {"details": [{"id": "CN-6", "state": "REJECTED"}, {"id": "CN-7", "state": "SUCCESS"}]}},
     "CANCELLED", "SUCCESS CN-7"),
])
def test_eligibility_says_why_not(run, change, eligibility, text) -> None:
    r = run("fulfillmentCancellation", function="checkEligibility",
            properties={**_cancel_props(amazon(**change)), "CancelStatusTextId": "Z009"})
    assert r.properties["CancelEligibility"] == eligibility
    assert r.properties["CancelStatusText"] == text
    assert json.loads(r.properties["TextTargets"]) == [{"id": "Z009", "text": text}]


def test_cancellation_answer_and_pending_record(run) -> None:
    r = run("fulfillmentCancellation", function="readCancellation",
            properties={**_cancel_props(BWP_ORDER), "BwpCancellationId": "CN-9", "BwpCancellationState": "PENDING"})
    assert r.properties["CancelStatusText"] == "PENDING CN-9"
    record = etree.fromstring(r.body)
    assert (record.findtext("SalesOrder"), record.findtext("OrderId"), record.findtext("CancellationId")) == \
        ("12345", "322-ABC1-AAAAAA", "CN-9")


@pytest.mark.parametrize(("state", "decided"), [("PENDING", "false"), ("SUCCESS", "true"), ("REJECTED", "true")])
def test_outcome_of_a_pending_cancellation(run, state, decided) -> None:
    order = amazon(cancellations={"details": [{"id": "CN-9", "state": state}]})
    r = run("fulfillmentCancellation", function="readOutcome", properties={**_cancel_props(order), "CancellationId": "CN-9"})
    assert r.properties["CancellationDecided"] == decided
    assert r.properties["CancelStatusText"] == f"{state} CN-9"
    missing = run("fulfillmentCancellation", function="readOutcome",
                  properties={**_cancel_props(BWP_ORDER), "CancellationId": "CN-9"})
    expect_failure(missing, "has no cancellation CN-9")


# ---- watermark -------------------------------------------------------------------------------

def test_first_scan_starts_from_the_initial_watermark_or_the_lookback(run) -> None:
    r = run("fulfillmentWatermark", "", function="readWatermark", properties={"InitialWatermark": "2026-01-15T09:00:00Z"})
    assert r.properties["Watermark"] == "2026-01-15T09:00:00.0000000Z"
    assert r.properties["WatermarkLiteral"] == "datetimeoffset'2026-01-15T09:00:00.0000000Z'"
    assert r.properties["ScanFilter"] == "LastChangeDateTime gt datetimeoffset'2026-01-15T09:00:00.0000000Z'"
    typed = run("fulfillmentWatermark", "", function="readWatermark",
                properties={"InitialWatermark": "2026-01-15T09:00:00+01:00", "AmazonOrderTypes": "OR1, Z'OR"})
    assert typed.properties["ScanFilter"] == ("LastChangeDateTime gt datetimeoffset'2026-01-15T08:00:00.0000000Z' "
                                              "and (SalesOrderType eq 'OR1' or SalesOrderType eq 'Z''OR')")
    lookback = run("fulfillmentWatermark", "", function="readWatermark", properties={"InitialLookbackMinutes": "60"})
    assert lookback.properties["Watermark"].endswith("Z")
    expect_failure(run("fulfillmentWatermark", "", function="readWatermark", properties={"InitialLookbackMinutes": "1h"}),
                   "whole number of minutes")


def test_stored_watermark_wins(run) -> None:
    r = run("fulfillmentWatermark", "<Watermark>2026-02-01T10:11:12.1234567Z</Watermark>", function="readWatermark",
            properties={"InitialWatermark": "2020-01-01T00:00:00Z"})
    assert r.properties["Watermark"] == "2026-02-01T10:11:12.1234567Z"


SCAN = ("<A_SalesOrder>"
        "<A_SalesOrderType><SalesOrder>5000101</SalesOrder><LastChangeDateTime>2026-02-01T10:00:00.0000010Z</LastChangeDateTime></A_SalesOrderType>"
        "<A_SalesOrderType><SalesOrder>5000102</SalesOrder><LastChangeDateTime>2026-02-01T10:00:05.5000000Z</LastChangeDateTime></A_SalesOrderType>"
        "<A_SalesOrderType><SalesOrder>5000103</SalesOrder><LastChangeDateTime>2026-02-01T10:00:05.5000000Z</LastChangeDateTime></A_SalesOrderType>"
        "</A_SalesOrder>")


def test_next_watermark_is_the_newest_change_read(run) -> None:
    r = run("fulfillmentWatermark", SCAN, function="nextWatermark", properties={"Watermark": "2026-02-01T09:00:00.0000000Z"})
    assert r.properties["NextWatermark"] == "2026-02-01T10:00:05.5000000Z"
    assert r.properties["OrderCount"] == 3
    assert r.text == SCAN


def test_full_page_keeps_the_watermark_below_the_newest_timestamp(run) -> None:
    r = run("fulfillmentWatermark", SCAN, function="nextWatermark",
            properties={"Watermark": "2026-02-01T09:00:00.0000000Z", "ScanPageSize": "3"})
    assert r.properties["NextWatermark"] == "2026-02-01T10:00:00.0000010Z"


def test_empty_scan_keeps_the_watermark_and_it_never_goes_back(run) -> None:
    empty = run("fulfillmentWatermark", "<A_SalesOrder/>", function="nextWatermark",
                properties={"Watermark": "2026-02-01T09:00:00.0000000Z"})
    assert empty.properties["NextWatermark"] == "2026-02-01T09:00:00.0000000Z" and empty.properties["OrderCount"] == 0
    older = run("fulfillmentWatermark", SCAN, function="nextWatermark", properties={"Watermark": "2026-03-01T00:00:00Z"})
    assert older.properties["NextWatermark"] == "2026-03-01T00:00:00.0000000Z"
    expect_failure(run("fulfillmentWatermark", SCAN, function="nextWatermark"), "Watermark is missing")
    expect_failure(run("fulfillmentWatermark", "<A_SalesOrder><A_SalesOrderType><LastChangeDateTime>yesterday"
                                               "</LastChangeDateTime></A_SalesOrderType></A_SalesOrder>",
                       function="nextWatermark", properties={"Watermark": "2026-02-01T09:00:00Z"}),
                   "LastChangeDateTime is not a timestamp")


# ---- create request: SKUs and payments ---------------------------------------------------------

def assert_valid_request(request: dict) -> dict:
    document = parse(request["query"])
    assert not validate(SCHEMA, document)
    coerced = get_variable_values(SCHEMA, document.definitions[0].variable_definitions, request["variables"])
    assert not isinstance(coerced, list), coerced
    return coerced


def test_create_maps_materials_to_seller_skus_and_sends_authorized_payments(run) -> None:
    order = canonical(payments=[
        {"type": "DPVI", "amount": "54.97", "currency": "USD", "authorizationResult": "C", "provider": "VISA"},
        {"type": "DPVI", "amount": "9.99", "currency": "USD", "authorizationResult": "A", "provider": None},
        {"type": "INVO", "amount": "1.00", "currency": "USD", "authorizationResult": "C", "provider": None}])
    r = run("bwpCreateOrderRequest", order, properties={"SkuSource": "value_mapping"}, value_mappings=VALUE_MAPPINGS)
    assert r.exception is None, r.exception
    request = r.json()
    assert_valid_request(request)
    data = request["variables"]["input"]
    assert [line["product"]["identifier"] for line in data["lineItems"]] == [{"sku": "AMZ-100045"}, {"sku": "AMZ-100046"}]
    assert data["payments"] == [{"paymentMethod": "CARD", "amount": {"amount": 54.97, "currencyCode": "USD"}}]
    assert "lineItems" in request["query"] and "aliases" in request["query"]


def test_unmapped_material_names_order_item_and_material(run) -> None:
    order = canonical()
    order["items"][1]["sku"] = "MZ-UNKNOWN"
    r = run("bwpCreateOrderRequest", order, properties={"SkuSource": "value_mapping"}, value_mappings=VALUE_MAPPINGS)
    expect_failure(r, "sales order 12345 item 20", "items[1].sku", "material MZ-UNKNOWN has no seller SKU")
    assert r.exception.class_name == "java.lang.IllegalArgumentException"
    fallback = run("bwpCreateOrderRequest", order, properties={"SkuSource": "value_mapping_or_material"},
                   value_mappings=VALUE_MAPPINGS)
    assert fallback.json()["variables"]["input"]["lineItems"][1]["product"]["identifier"] == {"sku": "MZ-UNKNOWN"}
    expect_failure(run("bwpCreateOrderRequest", order, properties={"SkuSource": "catalog"}), "SkuSource must be one of")


def test_canonical_order_carries_payments_and_statuses(run) -> None:
    from groovy_helpers import data_json

    order = data_json("sales_order.json")
    order["d"]["OverallSDDocumentRejectionSts"] = "B"
    order["d"]["OverallDeliveryStatus"] = "A"
    order["d"]["to_PaymentPlanItemDetails"] = {"results": [
        {"SalesOrder": "12345", "PaymentPlanItem": "000001", "ElectronicPaymentType": "DPVI",
         "ElectronicPayment": "4111-XXXX-XXXX-1111", "AuthorizedAmountInAuthznCrcy": "54.970",
         "AuthorizationCurrency": "USD", "EPaytAuthorizationResult": "C", "PaymentServiceProvider": "VISA"}]}
    r = run("s4SalesOrderToCanonical", order, properties={"DeliveryOfferId": "1", "DeliveryPreviewId": "2"})
    assert r.exception is None, r.exception
    canonical_order = r.json()
    validate_schema(canonical_order, "canonical-order")
    assert canonical_order["rejectionStatus"] == "B" and canonical_order["deliveryStatus"] == "A"
    assert canonical_order["payments"] == [{"type": "DPVI", "amount": "54.97", "currency": "USD",
                                            "authorizationResult": "C", "provider": "VISA"}]
    assert "4111" not in r.text   # the card reference never leaves S/4HANA


# ---- alias types are the merchant's choice ---------------------------------------------------------

def test_alias_types_follow_the_parameters(run) -> None:
    order = canonical()
    r = run("bwpCreateOrderRequest", order, properties={"OrderAliasType": "SELLER_ID", "DisplayAliasType": ""})
    data = r.json()["variables"]["input"]
    assert data["aliases"] == [{"aliasType": "SELLER_ID", "aliasId": "12345"}]
    assert data["lineItems"][0]["aliases"] == [{"aliasType": "SELLER_ID", "aliasId": "12345-10"}]
    seller = amazon(lineItems=[dict(line, aliases=[{"aliasType": "SELLER_ID", "aliasId": line["aliases"][0]["aliasId"]}])
                               for line in BWP_ORDER["lineItems"]])
    targets = run("bwpOrderTextTargets", properties={"BwpOrder": json.dumps(seller), "SalesOrder": "12345",
                                                     "OrderAliasType": "SELLER_ID"})
    assert len(json.loads(targets.properties["TextTargets"])) == 3
    default = run("bwpOrderTextTargets", properties={"BwpOrder": json.dumps(seller), "SalesOrder": "12345"})
    assert len(json.loads(default.properties["TextTargets"])) == 1      # EXTERNAL_ID lines only: none here
    rejected = canonical(texts=[{"id": "0001", "language": "EN", "text": "322-ABC1-AAAAAA"}])
    for item in rejected["items"]:
        item["rejectionReason"] = "Z3"
    assert decide(run, rejected, seller, OrderAliasType="SELLER_ID").properties["FulfillmentAction"] == "CANCEL"
