"""Reports 2021-06-30: create and poll, settlement reports, presigned documents."""

from __future__ import annotations

import gzip
from decimal import Decimal

import pytest
import requests

from harness.mocks.spapi.settlement import COLUMNS

REPORTS = "/reports/2021-06-30/reports"
SETTLEMENT = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"


@pytest.fixture()
def rp(spapi_mock, sp):
    spapi_mock.control("POST", "/__mock__/throttle", json={"enabled": False})
    return sp


def _advance(spapi_mock, seconds):
    spapi_mock.control("POST", "/__mock__/clock", json={"advance": seconds})


def _settlement(rp):
    reports = rp("GET", REPORTS, params={"reportTypes": SETTLEMENT}).json()["reports"]
    assert reports, "the seed publishes a settlement report"
    return reports[0]


def test_report_moves_from_queue_to_done_and_its_document_downloads(spapi_mock, rp):
    created = rp("POST", REPORTS, json={"reportType": "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA",
                                        "marketplaceIds": ["ATVPDKIKX0DER"]})
    assert created.status_code == 202
    report_id = created.json()["reportId"]
    assert rp("GET", f"{REPORTS}/{report_id}").json()["processingStatus"] == "IN_QUEUE"
    _advance(spapi_mock, 1.2)
    assert rp("GET", f"{REPORTS}/{report_id}").json()["processingStatus"] == "IN_PROGRESS"
    _advance(spapi_mock, 1.2)
    done = rp("GET", f"{REPORTS}/{report_id}").json()
    assert done["processingStatus"] == "DONE" and done["processingEndTime"] >= done["processingStartTime"]
    document = rp("GET", f"/reports/2021-06-30/documents/{done['reportDocumentId']}").json()
    assert "compressionAlgorithm" not in document
    text = requests.get(document["url"], timeout=10).text
    header, *rows = text.splitlines()
    assert header.split("\t")[:3] == ["sku", "fnsku", "asin"] and len(rows) == 6


def test_a_type_without_data_ends_cancelled(spapi_mock, rp):
    report_id = rp("POST", REPORTS, json={"reportType": "GET_MERCHANT_LISTINGS_ALL_DATA",
                                          "marketplaceIds": ["ATVPDKIKX0DER"]}).json()["reportId"]
    _advance(spapi_mock, 3)
    report = rp("GET", f"{REPORTS}/{report_id}").json()
    assert report["processingStatus"] == "CANCELLED" and "reportDocumentId" not in report


def test_settlement_reports_cannot_be_requested(rp):
    response = rp("POST", REPORTS, json={"reportType": SETTLEMENT, "marketplaceIds": ["ATVPDKIKX0DER"]})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"code": "InvalidInput", "details": "",
                                           "message": f"Request for report type {SETTLEMENT} is not allowed at this time."}]}


def test_seeded_settlement_is_a_v2_flat_file_that_adds_up(rp):
    report = _settlement(rp)
    assert report["processingStatus"] == "DONE" and "marketplaceIds" not in report
    document = rp("GET", f"/reports/2021-06-30/documents/{report['reportDocumentId']}").json()
    response = requests.get(document["url"], timeout=10)
    assert "charset" not in response.headers["Content-Type"]
    lines = response.content.decode("utf-8").splitlines()
    assert tuple(lines[0].split("\t")) == COLUMNS
    summary = dict(zip(COLUMNS, lines[1].split("\t")))
    details = [dict(zip(COLUMNS, line.split("\t"))) for line in lines[2:]]
    assert summary["settlement-id"] == "13938742551" and summary["currency"] == "USD"
    assert Decimal(summary["total-amount"]) == sum(Decimal(d["amount"]) for d in details)
    order_rows = [d for d in details if d["transaction-type"] == "Order"]
    assert {d["merchant-order-id"] for d in order_rows} == {"5000005"}
    assert {d["sku"] for d in order_rows} == {"C900-BIKE", "H100-HELMET"}


def test_marketplace_filter_does_not_find_settlements(rp):
    filtered = rp("GET", REPORTS, params={"reportTypes": SETTLEMENT, "marketplaceIds": "ATVPDKIKX0DER"}).json()
    assert filtered["reports"] == []


def test_published_settlement_with_gzip_and_eu_amounts(spapi_mock, rp):
    spec = {"settlement_id": "24000000001", "start_days_ago": 15, "end_days_ago": 1, "deposit_days_ago": 0,
            "currency": "EUR", "amount_format": "comma", "gzip": True, "marketplace_name": "Amazon.de",
            "transactions": [{"type": "Order", "order_id": "302-1111111-2222222", "merchant_order_id": "5000001",
                              "items": [{"sku": "H100-HELMET", "quantity": 1,
                                         "amounts": [["ItemPrice", "Principal", "95.00"],
                                                     ["ItemFees", "FBAPerUnitFulfillmentFee", "-7.34"]]}]}]}
    published = spapi_mock.control("POST", "/__mock__/settlements", json=spec)
    assert published.status_code == 201
    document = rp("GET", f"/reports/2021-06-30/documents/{published.json()['reportDocumentId']}").json()
    assert document["compressionAlgorithm"] == "GZIP"
    text = gzip.decompress(requests.get(document["url"], timeout=10).content).decode("utf-8")
    rows = [dict(zip(COLUMNS, line.split("\t"))) for line in text.splitlines()[1:]]
    assert rows[0]["total-amount"] == "87,66" and rows[0]["currency"] == "EUR"
    assert [r["amount"] for r in rows[1:]] == ["95,00", "-7,34"]
    duplicate = spapi_mock.control("POST", "/__mock__/settlements", json=spec)
    assert duplicate.status_code == 400 and "already exists" in duplicate.json()["error"]


def test_document_url_expires_after_five_minutes_and_cannot_be_forged(spapi_mock, rp):
    report = _settlement(rp)
    url = rp("GET", f"/reports/2021-06-30/documents/{report['reportDocumentId']}").json()["url"]
    assert requests.get(url.replace("X-Amz-Expires=300", "X-Amz-Expires=9999"), timeout=10).status_code == 403
    _advance(spapi_mock, 301)
    expired = requests.get(url, timeout=10)
    assert expired.status_code == 403 and "<Code>AccessDenied</Code>" in expired.text


def test_get_reports_rules(rp):
    assert rp("GET", REPORTS).status_code == 400  # reportTypes or nextToken is required
    for _ in range(3):
        rp("POST", REPORTS, json={"reportType": "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA", "marketplaceIds": ["ATVPDKIKX0DER"]})
    page = rp("GET", REPORTS, params={"reportTypes": "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA", "pageSize": 2}).json()
    assert len(page["reports"]) == 2 and page["nextToken"]
    mixed = rp("GET", REPORTS, params={"nextToken": page["nextToken"], "pageSize": 2})
    assert mixed.status_code == 400 and "only parameter" in mixed.json()["errors"][0]["message"]
    rest = rp("GET", REPORTS, params={"nextToken": page["nextToken"]}).json()
    assert len(rest["reports"]) == 1 and "nextToken" not in rest
    assert rp("GET", REPORTS, params={"reportTypes": "X", "pageSize": 101}).status_code == 400


def test_cancel_only_in_queue(spapi_mock, rp):
    body = {"reportType": "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA", "marketplaceIds": ["ATVPDKIKX0DER"]}
    first = rp("POST", REPORTS, json=body).json()["reportId"]
    response = rp("DELETE", f"{REPORTS}/{first}")
    assert response.status_code == 200 and response.content == b""
    assert rp("GET", f"{REPORTS}/{first}").json()["processingStatus"] == "CANCELLED"
    second = rp("POST", REPORTS, json=body).json()["reportId"]
    _advance(spapi_mock, 1.5)
    refused = rp("DELETE", f"{REPORTS}/{second}")
    assert refused.status_code == 400 and "IN_PROGRESS" in refused.json()["errors"][0]["message"]
    assert rp("GET", f"{REPORTS}/999").status_code == 404


def test_a_report_can_be_made_to_fail(spapi_mock, rp):
    report_id = rp("POST", REPORTS, json={"reportType": "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA",
                                          "marketplaceIds": ["ATVPDKIKX0DER"]}).json()["reportId"]
    assert spapi_mock.control("POST", f"/__mock__/reports/{report_id}/fatal").json()["processingStatus"] == "FATAL"
    report = rp("GET", f"{REPORTS}/{report_id}").json()
    assert report["processingStatus"] == "FATAL" and "reportDocumentId" not in report
    assert spapi_mock.control("POST", f"/__mock__/reports/{report_id}/fatal").status_code == 400
    assert spapi_mock.control("POST", "/__mock__/reports/nope/fatal").status_code == 404
