"""Event intake, SP-API classification, FBA inventory mapping, token handling and payload logging,
on both runtimes."""

from __future__ import annotations

import copy
import json
import random
import re

import pytest

from groovy_helpers import data_json, expect_failure, validate
from groovy_samples import CREDENTIALS, EVENTBRIDGE_DELIVERED, VALUE_MAPPINGS

# ---- event intake -------------------------------------------------------------------------


def test_eventbridge_envelope(run) -> None:
    r = run("bwpEventIntake", EVENTBRIDGE_DELIVERED)
    assert r.exception is None, r.exception
    event = r.json()
    validate(event, "canonical-event")
    assert event["eventType"] == "PACKAGE_DELIVERED" and event["channel"] == "eventbridge"
    assert event["idempotencyKey"] == "idem-0001" and event["category"] == "DELIVERY"
    assert event["resource"] == {"path": EVENTBRIDGE_DELIVERED["resources"][0], "businessProductId": "amzn1.bp.42",
                                 "orderId": "322-ABC1-AAAAAA", "deliveryId": "D-77"}
    assert r.properties["BwpOrderId"] == "322-ABC1-AAAAAA" and r.properties["DeliveryId"] == "D-77"
    assert r.properties["EventKnown"] == "true" and r.properties["IdempotencyKey"] == "idem-0001"


def test_webhook_detail_with_deprecated_name_and_refund_data(run) -> None:
    detail = {"idempotencyKey": "idem-7", "eventDescriptor": "RETURN_DELIVERY_COMPLETED",
              "resources": ["businessProduct/bp/order/322-X/return/RET-1"], "eventId": "e-7",
              "apiVersion": "2024-11-01", "eventTime": "2026-02-01T08:00:00Z",
              "data": {"order": {"id": "322-X", "aliases": [{"aliasId": "12345", "aliasType": "EXTERNAL_ID"}]}}}
    r = run("bwpEventIntake", detail)
    event = r.json()
    validate(event, "canonical-event")
    assert (event["eventType"], event["receivedEventType"], event["deprecated"]) == (
        "RETURN_PACKAGE_DELIVERED", "RETURN_DELIVERY_COMPLETED", True)
    assert event["channel"] == "webhook" and event["resource"]["returnId"] == "RET-1"
    assert event["data"]["order"]["aliases"][0]["aliasId"] == "12345"


@pytest.mark.parametrize(("name", "path", "field", "value"), [
    ("PACKAGE_TRACKER_MILESTONE_CHANGED", "businessProduct/bp/carrier/UPS/tracker/1Z999", "trackingNumber", "1Z999"),
    ("REFUND_REQUESTED", "businessProduct/bp/order/322-X/refund/RF-1", "refundId", "RF-1"),
    ("INVENTORY_CHANGED", "businessProduct/bp/item-quantities/ITEM%2F42", "inventoryItemId", "ITEM/42"),
    ("DELIVERY_CANCELLED", "businessProduct/bp/order/322-X/delivery/D-1", "deliveryId", "D-1"),
])
def test_resource_paths_of_every_kind(run, name, path, field, value) -> None:
    envelope = copy.deepcopy(EVENTBRIDGE_DELIVERED)
    envelope["detail-type"] = name
    envelope["detail"] = {}  # v2024-01-01: nothing but the envelope
    envelope["resources"] = [path]
    event = run("bwpEventIntake", envelope).json()
    validate(event, "canonical-event")
    assert event["resource"][field] == value
    assert event["idempotencyKey"] == envelope["id"]


def test_unknown_event_is_kept_for_parking(run) -> None:
    detail = {"idempotencyKey": "k", "eventDescriptor": "SOMETHING_NEW", "resources": ["businessProduct/bp/order/1"]}
    r = run("bwpEventIntake", detail)
    assert r.json()["category"] == "UNKNOWN" and r.properties["EventKnown"] == "false"


@pytest.mark.parametrize(("body", "fragment"), [
    ({"detail": {"resources": ["businessProduct/b"]}}, "event name missing"),
    ({"eventDescriptor": "PACKAGE_DELIVERED", "resources": ["businessProduct/b"]}, "no idempotency key"),
    ({"eventDescriptor": "PACKAGE_DELIVERED", "idempotencyKey": "k", "resources": []}, "resources must be a non-empty list"),
    ({"eventDescriptor": "PACKAGE_DELIVERED", "idempotencyKey": "k", "resources": ["businessProduct/b/order"]}, "name/id pairs"),
    ({"eventDescriptor": "PACKAGE_DELIVERED", "idempotencyKey": "k", "resources": ["shop/1"]}, "unknown segment 'shop'"),
    ([1, 2], "must be a JSON object"),
])
def test_malformed_events_are_refused_naming_the_field(run, body, fragment) -> None:
    expect_failure(run("bwpEventIntake", body), fragment)


# ---- SP-API classification ----------------------------------------------------------------

QUOTA = {"errors": [{"code": "QuotaExceeded", "message": "You exceeded your quota for the requested resource.", "details": ""}]}


@pytest.mark.parametrize(("status", "body", "outcome", "retryable"), [
    (200, {"payload": {"inventorySummaries": []}, "pagination": {}}, "OK", "false"),
    (202, {"reportId": "ID323"}, "OK", "false"),
    (429, QUOTA, "THROTTLED", "true"),
    (400, {"errors": [{"code": "InvalidInput", "message": "Invalid Input"}]}, "INVALID_INPUT", "false"),
    (403, {"errors": [{"code": "Unauthorized", "message": "Access to requested resource is denied.",
                       "details": "The access token you provided is revoked, malformed or invalid."}]}, "UNAUTHORIZED", "true"),
    (403, {"errors": [{"code": "Unauthorized", "message": "Access to requested resource is denied."}]}, "ACCESS_DENIED", "false"),
    (404, {"errors": [{"code": "NotFound", "message": "x"}]}, "NOT_FOUND", "false"),
    (503, "Service Unavailable", "SERVER_ERROR", "true"),
])
def test_spapi_outcomes(run, status, body, outcome, retryable) -> None:
    r = run("spapiReadResponse", body, headers={"CamelHttpResponseCode": status, "x-amzn-RequestId": "rid-1"})
    assert r.exception is None, r.exception
    assert (r.properties["SpApiOutcome"], r.properties["SpApiRetryable"]) == (outcome, retryable)
    assert r.properties["SpApiRequestId"] == "rid-1"


def test_spapi_backoff_grows_and_honours_retry_after(run) -> None:
    delays = [run("spapiReadResponse", QUOTA, headers={"CamelHttpResponseCode": 429},
                  properties={"SpApiAttempt": str(a)}).properties["SpApiRetryAfterSeconds"] for a in (0, 1, 3, 12)]
    assert delays == [2, 4, 16, 480]
    told = run("spapiReadResponse", QUOTA, headers={"CamelHttpResponseCode": 429, "Retry-After": "7"})
    assert told.properties["SpApiRetryAfterSeconds"] == 7
    assert run("spapiReadResponse", QUOTA, headers={"CamelHttpResponseCode": 429}).properties["SpApiErrorCode"] == "QuotaExceeded"
    expect_failure(run("spapiReadResponse", QUOTA, headers={"CamelHttpResponseCode": 429},
                       properties={"SpApiAttempt": "two"}), "SpApiAttempt must be a whole number")
    expect_failure(run("spapiReadResponse", "<html/>", headers={"CamelHttpResponseCode": 200}), "not JSON")


# ---- FBA inventory -> stock adjustment ------------------------------------------------------

def test_inventory_adjustment_against_s4_stock(run) -> None:
    s4 = {"stock": [{"sku": "SAP-MAT-100045", "quantity": "90", "unit": "PC"},
                    {"sku": "SAP-MAT-100046", "quantity": "7", "unit": "EA"}]}
    r = run("fbaInventoryToStockAdjustment", data_json("fba_inventory.json"),
            properties={"S4Stock": json.dumps(s4), "MapSkus": "true"}, value_mappings=VALUE_MAPPINGS)
    assert r.exception is None, r.exception
    adjustment = r.json()
    validate(adjustment, "stock-adjustment")
    assert adjustment["lines"] == [{"sku": "SAP-MAT-100045", "delta": "10", "unit": "PC",
                                    "amazonQuantity": "100", "s4Quantity": "90"}]
    assert r.properties["InventorySkuCount"] == 3 and r.properties["StockAdjustmentCount"] == 1


def test_inventory_feeds_material_document(run) -> None:
    adjustment = run("fbaInventoryToStockAdjustment", data_json("fba_inventory.json"))
    document = run("s4MaterialDocumentRequest", adjustment.text)
    assert document.exception is None, document.exception
    types = [i["GoodsMovementType"] for i in document.json()["to_MaterialDocumentItem"]["results"]]
    assert types == ["561", "561"]  # no S/4 stock given: both SKUs with stock are receipts


def test_inventory_errors_name_the_field(run) -> None:
    bad = data_json("fba_inventory.json")
    del bad["payload"]["inventorySummaries"][1]["sellerSku"]
    expect_failure(run("fbaInventoryToStockAdjustment", bad), "inventorySummaries[1].sellerSku is required")
    expect_failure(run("fbaInventoryToStockAdjustment", {"payload": {}}), "payload.inventorySummaries")
    expect_failure(run("fbaInventoryToStockAdjustment", data_json("fba_inventory.json"), properties={"S4Stock": "[1]"}),
                   "property S4Stock must be")


def test_large_inventory_payload(run) -> None:
    rng = random.Random(7)
    summaries = [{"sellerSku": f"SKU-{i:06d}", "totalQuantity": rng.randint(0, 50),
                  "inventoryDetails": {"fulfillableQuantity": rng.randint(0, 50)}} for i in range(20_000)]
    s4 = {"stock": [{"sku": f"SKU-{i:06d}", "quantity": str(s["inventoryDetails"]["fulfillableQuantity"]), "unit": "PC"}
                    for i, s in enumerate(summaries) if i % 2 == 0]}
    r = run("fbaInventoryToStockAdjustment", {"payload": {"inventorySummaries": summaries}},
            properties={"S4Stock": json.dumps(s4)})
    assert r.exception is None, r.exception
    lines = r.json()["lines"]
    expected = sum(1 for i, s in enumerate(summaries) if i % 2 and s["inventoryDetails"]["fulfillableQuantity"])
    assert len(lines) == expected and all(line["s4Quantity"] == "0" for line in lines)


# ---- tokens ------------------------------------------------------------------------------

LWA_PROPS = {"LwaCredentialAlias": "LWA_CLIENT", "LwaRefreshTokenAlias": "LWA_REFRESH"}


def test_lwa_token_request_then_cache_with_skew(host, run) -> None:
    props = dict(LWA_PROPS, LwaCredentialAlias=f"LWA_CLIENT_{host.version}")
    creds = {f"LWA_CLIENT_{host.version}": CREDENTIALS["LWA_CLIENT"], "LWA_REFRESH": CREDENTIALS["LWA_REFRESH"]}
    first = run("lwaToken", function="prepareRequest", properties=props, credentials=creds)
    assert first.exception is None, first.exception
    form = dict(pair.split("=", 1) for pair in first.text.split("&"))
    assert form == {"grant_type": "refresh_token", "refresh_token": "Atzr%7CIwEBIrefreshtokenvalue",
                    "client_id": "amzn1.application-oa2-client.abc", "client_secret": "lwa-client-secret-value"}
    assert first.properties["LwaTokenCached"] == "false"
    assert not any("secret" in str(v) for v in first.properties.values())
    # a token that expires inside the skew (30 s < 60 s) is not reused
    short = run("lwaToken", {"access_token": "Atza|short", "expires_in": 30}, function="readResponse", properties=props)
    assert short.header("x-amz-access-token") == "Atza|short"
    again = run("lwaToken", function="prepareRequest", properties=props, credentials=creds)
    assert again.properties["LwaTokenCached"] == "false"
    run("lwaToken", {"access_token": "Atza|long", "token_type": "bearer", "expires_in": 3600},
        function="readResponse", properties=props)
    cached = run("lwaToken", function="prepareRequest", properties=props)  # no credentials needed now
    assert cached.exception is None and cached.properties["LwaTokenCached"] == "true"
    assert cached.header("x-amz-access-token") == "Atza|long"


def test_lwa_error_response_names_the_lwa_error(run) -> None:
    r = run("lwaToken", {"error": "invalid_grant", "error_description": "The request has an invalid grant parameter : refresh_token"},
            function="readResponse", headers={"CamelHttpResponseCode": 400}, properties=LWA_PROPS)
    expect_failure(r, "invalid_grant")
    assert r.properties["LwaError"] == "invalid_grant"
    expect_failure(run("lwaToken", function="prepareRequest", properties={"LwaCredentialAlias": "NOPE",
                                                                           "LwaRefreshTokenAlias": "NOPE2"}),
                   "NOPE")


def test_bwp_token_and_api_headers(host, run) -> None:
    alias = f"BWP_{host.version}"
    props = {"BwpCredentialAlias": alias, "BwpTargetId": "bp-target-1"}
    first = run("bwpToken", function="prepareRequest", properties=props, credentials={alias: CREDENTIALS["BWP_CLIENT"]})
    assert "grant_type=client_credentials" in first.text and first.properties["BwpTokenCached"] == "false"
    read = run("bwpToken", {"access_token": "bwp-access", "expires_in": 900}, function="readResponse", properties=props)
    assert read.header("Authorization") == "Bearer bwp-access"
    assert read.header("x-api-target-id") == "bp-target-1" and read.header("x-api-version") == "2024-11-01"
    cached = run("bwpToken", function="prepareRequest", properties=props)
    assert cached.properties["BwpTokenCached"] == "true" and cached.header("Authorization") == "Bearer bwp-access"
    expect_failure(run("bwpToken", {"error": "invalid_client"}, function="readResponse", properties=props), "invalid_client")


# ---- payload logging ---------------------------------------------------------------------

SECRET_JSON = json.dumps({"access_token": "Atza|IwEBIsecret", "refresh_token": "Atzr|x", "client_secret": "cs",
                          "order": "12345", "nested": {"password": "p\"w"}, "note": "Bearer abc.def"})


def test_log_payload_masks_secrets(run) -> None:
    r = run("logPayload", SECRET_JSON, headers={"Content-Type": "application/json; charset=utf-8"},
            properties={"LogPayload": "true", "LogPayloadName": "request"})
    [attachment] = r.log_attachments
    assert attachment.name == "request" and attachment.media_type == "application/json"
    logged = json.loads(attachment.text)
    assert logged["access_token"] == logged["refresh_token"] == logged["client_secret"] == "***"
    assert logged["nested"]["password"] == "***" and logged["order"] == "12345"
    assert logged["note"] == "Bearer ***"
    assert r.text == SECRET_JSON  # the message itself is untouched


def test_log_payload_masks_xml_and_forms_and_cuts_long_bodies(run) -> None:
    xml = "<Auth><ns:password xmlns:ns='x'>hunter2</ns:password><User>u</User></Auth>"
    r = run("logPayload", xml, properties={"LogPayload": "true"})
    assert "hunter2" not in r.log_attachments[0].text and "<User>u</User>" in r.log_attachments[0].text
    form = run("logPayload", "grant_type=refresh_token&refresh_token=Atzr%7Cabc&client_secret=s3", properties={"LogPayload": "true"})
    assert form.log_attachments[0].text == "grant_type=refresh_token&refresh_token=***&client_secret=***"
    long = run("logPayload", "é" * 50, properties={"LogPayload": "true", "LogPayloadMaxChars": "10"})
    assert re.match(r"^é{10}\n\[\.\.\. cut after 10 of 50 characters\]$", long.log_attachments[0].text)


def test_log_payload_only_when_asked_and_never_at_level_none(run) -> None:
    assert run("logPayload", "x").log_attachments == []
    assert run("logPayload", "x", properties={"SAP_MPL_LogLevel_Overall": "DEBUG"}).log_attachments != []
    assert run("logPayload", "x", properties={"LogPayload": "true"}, log_level="NONE").log_attachments == []
