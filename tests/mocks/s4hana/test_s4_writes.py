"""Writes: deep insert (JSON and Atom), payload checks, ETag/If-Match, PUT/PATCH/MERGE/DELETE."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from lxml import etree

from s4_support import SALES_ORDER

ATOM = "http://www.w3.org/2005/Atom"
M = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"
D = "http://schemas.microsoft.com/ado/2007/08/dataservices"
SO = "API_SALES_ORDER_SRV"


def test_deep_insert_assigns_numbers_and_derives_data(s4: Any) -> None:
    client = s4.client(SO)
    response = client.post("A_SalesOrder", SALES_ORDER)
    order = client.d(response)
    assert response.status_code == 201 and response.headers["Location"].endswith(f"A_SalesOrder('{order['SalesOrder']}')")
    assert order["SalesOrder"] == "5000101"                              # from the number range
    assert order["TotalNetAmount"] == "2379.700"                         # 2 x 1100.00 (given PPR0) + 3 x 59.90
    assert [i["SalesOrderItem"] for i in order["to_Item"]["results"]] == ["10", "20"]
    prices = order["to_Item"]["results"][0]["to_PricingElement"]["results"]          # deep answer, as posted
    assert [(p["ConditionType"], p["ConditionAmount"]) for p in prices] == [("PPR0", "2200.000")]
    assert order["to_Item"]["results"][1]["RequestedQuantityUnit"] == "PC"   # base unit defaulted
    partners = {p["PartnerFunction"]: p["Customer"] for p in order["to_Partner"]["results"]}
    assert partners == {"SH": "17100001", "SP": "17100010"}                # SP added from SoldToParty
    assert order["OverallDeliveryStatus"] == "A" and order["OverallSDProcessStatus"] == "A"
    lines = s4.rows(SO, "A_SalesOrderScheduleLine")
    assert any(l["SalesOrder"] == "5000101" and l["ConfdOrderQtyByMatlAvailCheck"] == "3.000" for l in lines)
    text = client.d(client.get("A_SalesOrderText(SalesOrder='5000101',Language='EN',LongTextID='0001')"))
    assert text["LongText"] == "AMZ-TEST-1"


def test_deep_insert_in_atom_like_the_odata_adapter(s4: Any) -> None:
    client = s4.client(SO, fmt="atom")
    entry = f"""<entry xmlns="{ATOM}" xmlns:m="{M}" xmlns:d="{D}">
      <content type="application/xml"><m:properties>
        <d:SalesOrderType>OR1</d:SalesOrderType><d:SalesOrganization>1710</d:SalesOrganization>
        <d:DistributionChannel>10</d:DistributionChannel><d:OrganizationDivision>00</d:OrganizationDivision>
        <d:SoldToParty>17100010</d:SoldToParty><d:PurchaseOrderByCustomer>AMZ-ATOM</d:PurchaseOrderByCustomer>
        <d:RequestedDeliveryDate>2026-02-01T00:00:00</d:RequestedDeliveryDate>
      </m:properties></content>
      <link rel="http://schemas.microsoft.com/ado/2007/08/dataservices/related/to_Item" type="application/atom+xml;type=feed">
        <m:inline><feed><entry><content type="application/xml"><m:properties>
          <d:Material>MZ-FG-M500</d:Material><d:RequestedQuantity>1</d:RequestedQuantity>
        </m:properties></content></entry></feed></m:inline>
      </link>
    </entry>"""
    response = client.post("A_SalesOrder", entry, headers={"Content-Type": "application/atom+xml"})
    assert response.status_code == 201, response.text
    created = etree.fromstring(response.content)
    props = created.find(f"{{{ATOM}}}content/{{{M}}}properties")
    assert props.findtext(f"{{{D}}}PurchaseOrderByCustomer") == "AMZ-ATOM"
    assert props.findtext(f"{{{D}}}RequestedDeliveryDate") == "2026-02-01T00:00:00"
    assert props.findtext(f"{{{D}}}TotalNetAmount") == "980.000"


@pytest.mark.parametrize("change, message", [
    ({"Bogus": "x"}, "Property 'Bogus' is invalid"),
    ({"SoldToParty": 17100010}, "expected a JSON string"),
    ({"PurchaseOrderByCustomer": "x" * 36}, "longer than 35"),
    ({"SalesOrderDate": "yesterday"}, "Invalid value 'yesterday'"),
    ({"SalesOrganization": "9999"}, "Sales area 9999/10/00 is not defined"),
    ({"SoldToParty": "99999999"}, "Sold-to party 99999999 not maintained"),
    ({"SalesOrderType": ""}, "Enter a value for SalesOrderType"),
    ({"to_Item": {"results": []}}, "contains no items"),
    ({"to_Item": {"results": [{"Material": "NOPE", "RequestedQuantity": "1"}]}}, "Material NOPE is not defined"),
    ({"to_Item": {"results": [{"Material": "MZ-FG-C900", "RequestedQuantity": "abc"}]}}, "expected a decimal number"),
    ({"to_Item": {"results": [{"Material": "MZ-FG-C900", "RequestedQuantity": "1.23456"}]}}, "more than 3 decimals"),
    ({"to_Item": {"results": [{"Material": "MZ-FG-C900", "RequestedQuantity": "0"}]}}, "greater than zero"),
    ({"to_Item": {"results": [{"Material": "MZ-FG-C900", "RequestedQuantity": "1", "RequestedQuantityUnit": "KG"}]}},
     "Unit KG is not defined for material"),
    ({"to_Item": "oops"}, "expects {\"results\": [...]}"),
])
def test_invalid_sales_orders_are_rejected_and_nothing_is_stored(s4: Any, change: dict[str, Any], message: str) -> None:
    client = s4.client(SO)
    before = len(s4.rows(SO, "A_SalesOrderItem"))
    body = {**copy.deepcopy(SALES_ORDER), **change}
    response = client.post("A_SalesOrder", body)
    assert response.status_code == 400, response.text
    assert message in response.json()["error"]["message"]["value"]
    assert len(s4.rows(SO, "A_SalesOrder")) == 6 and len(s4.rows(SO, "A_SalesOrderItem")) == before


def test_read_only_properties_are_ignored_with_a_warning(s4: Any) -> None:
    client = s4.client(SO)
    response = client.post("A_SalesOrder", {**SALES_ORDER, "TotalNetAmount": "1.00", "OverallSDProcessStatus": "C"})
    order = client.d(response)
    assert order["TotalNetAmount"] == "2379.700" and order["OverallSDProcessStatus"] == "A"
    warning = json.loads(response.headers["sap-message"])
    assert warning["severity"] == "warning" and "TotalNetAmount" in json.dumps(warning)


def test_patch_needs_if_match_and_rejects_stale_etags(s4: Any) -> None:
    client = s4.client(SO)
    path = "A_SalesOrder('5000001')"
    missing = client.patch(path, {"DeliveryBlockReason": "01"})
    assert missing.status_code == 428 and missing.json()["error"]["code"] == "/IWBEP/CM_MGW_RT/191"
    etag = client.etag(path)
    assert client.patch(path, {"DeliveryBlockReason": "01"}, etag=etag).status_code == 204
    stale = client.patch(path, {"DeliveryBlockReason": ""}, etag=etag)
    assert stale.status_code == 412 and "has changed since it was read" in stale.json()["error"]["message"]["value"]
    fresh = client.etag(path)
    assert fresh != etag
    assert client.d(client.get(path))["DeliveryBlockReason"] == "01"
    assert client.patch(path, {"DeliveryBlockReason": ""}, etag="*").status_code == 204


def test_merge_by_method_tunnelling_and_put_replaces(s4: Any) -> None:
    client = s4.client(SO)
    path = "A_SalesOrder('5000006')"
    merged = client.write("POST", path, {"CustomerPaymentTerms": "0002"}, etag=client.etag(path),
                          headers={"X-HTTP-Method": "MERGE"})
    assert merged.status_code == 204
    order = client.d(client.get(path))
    assert order["CustomerPaymentTerms"] == "0002" and order["PurchaseOrderByCustomer"] == "PO-17100002-6"
    partial = client.write("PUT", path, {"SalesOrder": "5000006", "CustomerPaymentTerms": "0003"}, etag=client.etag(path))
    assert partial.status_code == 400 and "Sold-to party (empty)" in partial.text   # PUT clears what it omits
    full = {"SalesOrder": "5000006", "SalesOrderType": "OR", "SalesOrganization": "1710", "DistributionChannel": "10",
            "OrganizationDivision": "00", "SoldToParty": "17100002", "CustomerPaymentTerms": "0003"}
    replaced = client.write("PUT", path, full, etag=client.etag(path))
    assert replaced.status_code == 204
    order = client.d(client.get(path))
    assert order["CustomerPaymentTerms"] == "0003" and order["PurchaseOrderByCustomer"] == ""  # PUT replaces all


def test_deep_update_is_rejected(s4: Any) -> None:
    client = s4.client(SO)
    path = "A_SalesOrder('5000006')"
    response = client.patch(path, {"to_Item": {"results": []}}, etag="*")
    assert response.status_code == 400 and "deep update is not supported" in response.text


def test_post_through_navigation_creates_a_text_of_that_order(s4: Any) -> None:
    client = s4.client(SO)
    response = client.post("A_SalesOrder('5000006')/to_Text", {"Language": "EN", "LongTextID": "Z002", "LongText": "hello"})
    assert client.d(response)["SalesOrder"] == "5000006"
    duplicate = client.post("A_SalesOrder('5000006')/to_Text", {"Language": "EN", "LongTextID": "Z002", "LongText": "again"})
    assert duplicate.status_code == 400 and "already exists" in duplicate.text
    assert client.post("A_SalesOrderText", {"SalesOrder": "9999999", "LongTextID": "0001", "LongText": "x"}).status_code == 400


def test_text_patch_and_delete(s4: Any) -> None:
    client = s4.client(SO)
    path = "A_SalesOrderText(SalesOrder='5000001',Language='EN',LongTextID='0001')"
    assert client.patch(path, {"LongText": "AMZ-ORDER-0001 shipped"}).status_code == 204   # texts have no ETag
    assert client.d(client.get(path))["LongText"] == "AMZ-ORDER-0001 shipped"
    assert client.write("DELETE", path).status_code == 204
    assert client.get(path).status_code == 404


def test_entity_sets_that_are_not_creatable_answer_501(s4: Any) -> None:
    client = s4.client("API_OUTBOUND_DELIVERY_SRV;v=0002")
    response = client.post("A_OutbDeliveryItem", {"DeliveryDocument": "80000101"})
    assert response.status_code == 501
    assert "A_OUTBDELIVERYITEM_CREATE_ENTITY" in response.json()["error"]["message"]["value"]
    billing = s4.client("API_BILLING_DOCUMENT_SRV")
    assert billing.patch("A_BillingDocument('90000101')", {"PurchaseOrderByCustomer": "x"}, etag="*").status_code == 501


def test_unsupported_media_type_and_broken_bodies(s4: Any) -> None:
    client = s4.client(SO)
    assert client.post("A_SalesOrder", b"SalesOrderType=OR", headers={"Content-Type": "text/plain"}).status_code == 415
    broken = client.post("A_SalesOrder", b"{not json", headers={"Content-Type": "application/json"})
    assert broken.status_code == 400 and "not valid JSON" in broken.text
    xml = client.post("A_SalesOrder", b"<entry", headers={"Content-Type": "application/atom+xml"})
    assert xml.status_code == 400 and "not well-formed" in xml.text
