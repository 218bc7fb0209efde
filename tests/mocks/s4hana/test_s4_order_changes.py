"""Changes the fulfillment flows rely on: orders entered through the control route, and the header's
LastChangeDateTime (the ETag and the scan watermark) moving when a user changes an item or a text."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import requests

SO = "API_SALES_ORDER_SRV"
ORDER = {"SalesOrderType": "OR1", "SalesOrganization": "1710", "DistributionChannel": "10",
         "OrganizationDivision": "00", "SoldToParty": "17100010", "PurchaseOrderByCustomer": "WEB-1",
         "to_Item": {"results": [{"Material": "MZ-FG-C900", "RequestedQuantity": "1",
                                  "to_PricingElement": {"results": [{"ConditionType": "DM01",
                                                                     "ConditionRateValue": "-50.00"}]}}]}}


def _header(s4: Any, order: str) -> dict[str, Any]:
    return next(r for r in s4.rows(SO, "A_SalesOrder") if r["SalesOrder"] == order)


def test_create_sales_order_action_runs_the_create_rules(s4: Any) -> None:
    created = s4.action("create_sales_order", order=ORDER)
    assert created["sales_order"] == "5000101"
    header = _header(s4, "5000101")
    assert header["TotalNetAmount"] == "1150.000"             # PPR0 1200.00 added, DM01 -50.00
    bad = requests.post(s4.odata_url + "/__mock__/actions/create_sales_order",
                        json={"order": dict(ORDER, SoldToParty="99999999")})
    assert bad.status_code == 400 and "99999999" in bad.text
    missing = requests.post(s4.odata_url + "/__mock__/actions/create_sales_order", json={})
    assert missing.status_code == 400 and "order" in missing.text


def test_item_rejection_and_text_changes_move_the_header_change_time(s4: Any) -> None:
    client = s4.client(SO)
    before = client.etag("A_SalesOrder('5000006')")
    s4.action("reject_item", sales_order="5000006", item="10", reason="Z1")
    after_reject = client.etag("A_SalesOrder('5000006')")
    assert after_reject != before
    assert client.post("A_SalesOrderText", {"SalesOrder": "5000006", "Language": "EN", "LongTextID": "Z002",
                                            "LongText": "PENDING CN-1"}).status_code == 201
    after_text = client.etag("A_SalesOrder('5000006')")
    assert after_text != after_reject
    path = "A_SalesOrderText(SalesOrder='5000006',Language='EN',LongTextID='Z002')"
    assert client.patch(path, {"LongText": "SUCCESS CN-1"}).status_code == 204
    assert client.etag("A_SalesOrder('5000006')") != after_text
    seeded = re.fullmatch(r"/Date\((\d+)\+0000\)/", _header(s4, "5000001")["LastChangeDateTime"])
    since = datetime.fromtimestamp(int(seeded.group(1)) / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    recent = client.d(client.get(f"A_SalesOrder?$filter=LastChangeDateTime gt datetimeoffset'{since}'&$select=SalesOrder"))
    assert "5000006" in [r["SalesOrder"] for r in recent["results"]]


def test_status_updates_from_follow_on_documents_keep_the_change_time(s4: Any) -> None:
    client = s4.client(SO)
    before = client.etag("A_SalesOrder('5000001')")
    s4.action("deliver", sales_order="5000001")
    assert client.etag("A_SalesOrder('5000001')") == before
