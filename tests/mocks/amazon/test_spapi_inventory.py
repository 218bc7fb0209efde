"""FBA Inventory getInventorySummaries: parameters, details, pagination and expiring nextToken."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

BASE = "/fba/inventory/v1/summaries"
Q = {"granularityType": "Marketplace", "granularityId": "ATVPDKIKX0DER", "marketplaceIds": "ATVPDKIKX0DER"}


@pytest.fixture()
def sp1(spapi_mock, sp):
    spapi_mock.control("POST", "/__mock__/throttle", json={"enabled": False})
    return sp


def test_summaries_without_details_list_every_sku_sorted(sp1):
    body = sp1("GET", BASE, params=Q).json()
    summaries = body["payload"]["inventorySummaries"]
    assert [s["sellerSku"] for s in summaries] == sorted(s["sellerSku"] for s in summaries)
    assert len(summaries) == 6 and "pagination" not in body
    assert all("inventoryDetails" not in s for s in summaries)
    c900 = next(s for s in summaries if s["sellerSku"] == "C900-BIKE")
    assert c900["asin"] == "B0S4AC9001" and c900["fnSku"] == "X00S4C9001" and c900["condition"] == "NewItem"
    assert c900["totalQuantity"] == 40 + 10 + 2 + 1 + 1  # fulfillable, inbound shipped/receiving, reserved, damaged
    assert body["payload"]["granularity"] == {"granularityType": "Marketplace", "granularityId": "ATVPDKIKX0DER"}


def test_details_break_quantities_down(sp1):
    body = sp1("GET", BASE, params={**Q, "details": "true", "sellerSku": "H100-HELMET"}).json()
    (summary,) = body["payload"]["inventorySummaries"]
    details = summary["inventoryDetails"]
    assert details["fulfillableQuantity"] == 300
    assert details["reservedQuantity"] == {"totalReservedQuantity": 4, "pendingCustomerOrderQuantity": 0,
                                           "pendingTransshipmentQuantity": 4, "fcProcessingQuantity": 0}
    assert details["unfulfillableQuantity"]["totalUnfulfillableQuantity"] == 3
    assert {e["name"] for e in details["researchingQuantity"]["researchingQuantityBreakdown"]} == {
        "researchingQuantityInShortTerm", "researchingQuantityInMidTerm", "researchingQuantityInLongTerm"}


def test_seller_skus_filter_and_start_date_time_overrides_it(sp1):
    chosen = sp1("GET", BASE, params={**Q, "sellerSkus": "C900-BIKE,M500-BIKE"}).json()
    assert [s["sellerSku"] for s in chosen["payload"]["inventorySummaries"]] == ["C900-BIKE", "M500-BIKE"]
    since = (datetime.now(timezone.utc) - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    recent = sp1("GET", BASE, params={**Q, "startDateTime": since, "sellerSkus": "C950-BIKE"}).json()
    # C950 was updated 10 days ago: ignored sellerSkus, only SKUs changed in the last 3 days
    assert sorted(s["sellerSku"] for s in recent["payload"]["inventorySummaries"]) == \
        ["C900-BIKE", "H100-HELMET", "M500-BIKE"]


def test_pagination_and_the_30_second_next_token(spapi_mock, sp1):
    spapi_mock.service.backend.inventory.page_size = 4
    first = sp1("GET", BASE, params=Q).json()
    token = first["pagination"]["nextToken"]
    second = sp1("GET", BASE, params={**Q, "nextToken": token}).json()
    assert len(first["payload"]["inventorySummaries"]) == 4 and len(second["payload"]["inventorySummaries"]) == 2
    assert "pagination" not in second
    again = sp1("GET", BASE, params=Q).json()["pagination"]["nextToken"]
    spapi_mock.control("POST", "/__mock__/clock", json={"advance": 31})
    expired = sp1("GET", BASE, params={**Q, "nextToken": again})
    assert expired.status_code == 400
    assert expired.json()["errors"][0] == {"code": "InvalidInput", "message": "Next token is invalid or expired",
                                           "details": ""}
    assert sp1("GET", BASE, params={**Q, "nextToken": "made-up"}).status_code == 400


def test_next_token_belongs_to_its_query(spapi_mock, sp1):
    spapi_mock.service.backend.inventory.page_size = 2
    token = sp1("GET", BASE, params=Q).json()["pagination"]["nextToken"]
    other = sp1("GET", BASE, params={**Q, "sellerSkus": "C900-BIKE,M500-BIKE,R100-BIKE", "nextToken": token})
    assert other.status_code == 400


@pytest.mark.parametrize("params, fragment", [
    ({"granularityType": "Marketplace", "granularityId": "ATVPDKIKX0DER"}, "[marketplaceIds] is required"),
    ({**Q, "granularityType": "Store"}, "[granularityType] is invalid"),
    ({**Q, "marketplaceIds": "ATVPDKIKX0DER,A2EUQ1WTGCTBG2"}, "[marketplaceIds] is invalid"),
    ({**Q, "details": "yes"}, "not a valid boolean"),
    ({**Q, "startDateTime": "last tuesday"}, "[startDateTime] value is not a valid ISO date-time object"),
    ({**Q, "startDateTime": "2020-01-01T00:00:00Z"}, "18 months"),
    ({**Q, "marketplaceIds": "A1PA6795UKMFR9", "granularityId": "A1PA6795UKMFR9"}, "not a marketplace of this seller"),
    ({**Q, "granularityId": "A2EUQ1WTGCTBG2"}, "granularityId"),
    ({**Q, "sellerSkus": ",".join(f"S{i}" for i in range(51))}, "[sellerSkus] is invalid"),
])
def test_bad_parameters_are_invalid_input_naming_the_parameter(sp1, params, fragment):
    response = sp1("GET", BASE, params=params)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == "InvalidInput" and fragment in error["message"]
    assert response.headers["x-amzn-RateLimit-Limit"] == "2.0"


def test_control_route_sets_quantities(spapi_mock, sp1):
    assert spapi_mock.control("POST", "/__mock__/inventory/B200-BOTTLE", json={"fulfillable": 7}).status_code == 200
    body = sp1("GET", BASE, params={**Q, "details": "true", "sellerSku": "B200-BOTTLE"}).json()
    assert body["payload"]["inventorySummaries"][0]["inventoryDetails"]["fulfillableQuantity"] == 7
    bad = spapi_mock.control("POST", "/__mock__/inventory/B200-BOTTLE", json={"fulfilable": 7})
    assert bad.status_code == 400 and "fulfilable" in bad.json()["error"]
