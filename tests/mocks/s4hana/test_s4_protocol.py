"""OData V2 protocol behaviour: logon, client, CSRF, formats, query options, errors."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
from lxml import etree

from s4_support import OAUTH, PASSWORD, USER

ATOM = "{http://www.w3.org/2005/Atom}"
M = "{http://schemas.microsoft.com/ado/2007/08/dataservices/metadata}"
D = "{http://schemas.microsoft.com/ado/2007/08/dataservices}"
SO = "API_SALES_ORDER_SRV"


def sap_error(response: requests.Response) -> dict[str, Any]:
    """The JSON error body, checked for SAP's structure."""
    error = response.json()["error"]
    assert re.match(r"^[\w/]+/\w+$", error["code"])
    assert error["message"]["lang"] == "en" and error["message"]["value"]
    assert set(error["innererror"]) >= {"application", "transactionid", "timestamp", "errordetails"}
    return error


# --- logon, client, CSRF ------------------------------------------------------------------------
def test_requests_without_or_with_wrong_credentials_are_refused(s4: Any) -> None:
    url = s4.client(SO).root + "A_SalesOrder"
    anonymous = requests.get(url)
    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"].startswith("Basic realm=")
    assert requests.get(url, auth=(USER, "wrong")).status_code == 401
    assert requests.get(url, auth=("SOMEONE", PASSWORD)).status_code == 401
    assert requests.get(url, auth=(USER, PASSWORD)).status_code == 200


def test_wrong_sap_client_is_refused(s4: Any) -> None:
    url = s4.client(SO).root + "A_SalesOrder"
    assert requests.get(url + "?sap-client=100", auth=(USER, PASSWORD)).status_code == 200
    wrong = requests.get(url + "?sap-client=200", auth=(USER, PASSWORD))
    assert wrong.status_code == 401 and "client 200" in wrong.text


def test_oauth_client_credentials_token_is_accepted_and_bad_tokens_are_not(s4: Any) -> None:
    token_url = s4.odata_url + "/sap/bc/sec/oauth2/token"
    assert requests.post(token_url, data={"grant_type": "client_credentials"}, auth=(OAUTH[0], "nope")).status_code == 401
    unsupported = requests.post(token_url, data={"grant_type": "password"}, auth=OAUTH)
    assert unsupported.status_code == 400 and unsupported.json()["error"] == "unsupported_grant_type"
    issued = requests.post(token_url, data={"grant_type": "client_credentials"}, auth=OAUTH).json()
    assert issued["token_type"] == "Bearer" and issued["expires_in"] == 3600
    url = s4.client(SO).root + "A_SalesOrder('5000001')"
    assert requests.get(url, headers={"Authorization": f"Bearer {issued['access_token']}"}).status_code == 200
    assert requests.get(url, headers={"Authorization": "Bearer forged"}).status_code == 401


def test_modifying_request_without_csrf_token_is_forbidden(s4: Any) -> None:
    client = s4.client(SO)
    body = {"SalesOrder": "5000001", "Language": "EN", "LongTextID": "Z001", "LongText": "x"}
    missing = client.session.post(client.root + "A_SalesOrderText", json=body)
    assert missing.status_code == 403
    assert missing.headers["x-csrf-token"] == "Required" and missing.text == "CSRF token validation failed"
    client.fetch_token()
    other = requests.Session()
    other.auth = (USER, PASSWORD)
    foreign = other.post(client.root + "A_SalesOrderText", json=body, headers={"X-CSRF-Token": client.token})
    assert foreign.status_code == 403, "a token is bound to the session cookie that fetched it"
    ok = client.post("A_SalesOrderText", body)
    assert ok.status_code == 201, ok.text
    assert s4.rows(SO, "A_SalesOrderText")[-1]["LongTextID"] == "Z001"


def test_csrf_fetch_sets_the_sap_session_cookies(s4: Any) -> None:
    client = s4.client(SO)
    response = client.session.get(client.root + "$metadata", headers={"X-CSRF-Token": "Fetch"})
    assert response.status_code == 200 and len(response.headers["x-csrf-token"]) >= 20
    assert {"SAP_SESSIONID_S4H_100", "sap-usercontext"} <= set(response.cookies.keys())


# --- documents and formats -----------------------------------------------------------------------
def test_service_document_and_unknown_service(s4: Any) -> None:
    client = s4.client(SO)
    document = client.session.get(client.root, headers={"Accept": "application/json"}).json()
    assert "A_SalesOrder" in document["d"]["EntitySets"]
    unknown = client.session.get(s4.odata_url + "/sap/opu/odata/sap/API_NOT_THERE_SRV/A_X",
                                 headers={"Accept": "application/json"})
    assert unknown.status_code == 404 and sap_error(unknown)["code"] == "/IWFND/MED/170"


def test_json_entity_has_metadata_etag_dates_and_decimal_strings(s4: Any) -> None:
    client = s4.client(SO)
    response = client.get("A_SalesOrder('5000005')")
    entity = client.d(response)
    assert entity["__metadata"]["type"] == "API_SALES_ORDER_SRV.A_SalesOrderType"
    assert entity["__metadata"]["uri"].endswith("/API_SALES_ORDER_SRV/A_SalesOrder('5000005')")
    assert re.fullmatch(r"W/\"datetimeoffset'\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\d\.\d{7}Z'\"", entity["__metadata"]["etag"])
    assert response.headers["ETag"] == entity["__metadata"]["etag"]
    assert re.fullmatch(r"/Date\(\d+\)/", entity["CreationDate"])
    assert entity["TotalNetAmount"] == "1259.900"  # Decimal(16,3) as a string with its scale
    assert entity["to_Item"] == {"__deferred": {"uri": entity["__metadata"]["uri"] + "/to_Item"}}


def test_atom_feed_with_count_inline_expand_and_typed_properties(s4: Any) -> None:
    client = s4.client(SO, fmt="atom")
    response = client.get("A_SalesOrder?$filter=SalesOrder eq '5000001'&$expand=to_Item/to_ScheduleLine&$inlinecount=allpages")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/atom+xml")
    feed = etree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed" and feed.findtext(f"{M}count") == "1"
    entry = feed.find(f"{ATOM}entry")
    assert entry.get(f"{M}etag").startswith('W/"datetimeoffset')
    props = entry.find(f"{ATOM}content/{M}properties")
    assert props.findtext(f"{D}SalesOrder") == "5000001"
    assert props.find(f"{D}TotalNetAmount").get(f"{M}type") == "Edm.Decimal"
    link = [l for l in entry.findall(f"{ATOM}link") if l.get("title") == "to_Item"][0]
    items = link.findall(f"{M}inline/{ATOM}feed/{ATOM}entry")
    assert len(items) == 2
    lines = items[0].findall(f"{ATOM}link/{M}inline/{ATOM}feed/{ATOM}entry")
    assert lines and lines[0].find(f"{ATOM}content/{M}properties").findtext(f"{D}ScheduleLine") == "1"


def test_format_option_overrides_accept(s4: Any) -> None:
    client = s4.client(SO, fmt="atom")
    assert client.get("A_SalesOrder('5000001')?$format=json").json()["d"]["SalesOrder"] == "5000001"
    bad = client.get("A_SalesOrder?$format=csv")
    assert bad.status_code == 400 and b"<error" in bad.content


# --- query options --------------------------------------------------------------------------------
@pytest.mark.parametrize("expression, expected", [
    ("SoldToParty eq '17100010'", {"5000001", "5000002", "5000004", "5000005"}),
    ("SoldToParty ne '17100010'", {"5000003", "5000006"}),
    ("SoldToParty eq '17100010' and OverallDeliveryStatus eq 'C'", {"5000004", "5000005"}),
    ("(SalesOrder eq '5000001' or SalesOrder eq '5000003') and not (SoldToParty eq '17100001')", {"5000001"}),
    ("SalesOrder gt '5000004'", {"5000005", "5000006"}),
    ("SalesOrder le '5000002'", {"5000001", "5000002"}),
    ("TotalNetAmount ge 1259.9M", {"5000001", "5000003", "5000005", "5000006"}),
    ("substringof('ORDER-000', PurchaseOrderByCustomer)", {"5000001", "5000002", "5000004", "5000005"}),
    ("startswith(PurchaseOrderByCustomer, 'PO-')", {"5000003", "5000006"}),
    ("DeliveryBlockReason ne ''", {"5000002"}),
    ("CreationDate ge datetime'2000-01-01T00:00:00'", {f"500000{i}" for i in range(1, 7)}),
])
def test_filter(s4: Any, expression: str, expected: set[str]) -> None:
    client = s4.client(SO)
    results = client.d(client.get("A_SalesOrder", params={"$filter": expression, "$select": "SalesOrder,TotalNetAmount"}))
    assert {r["SalesOrder"] for r in results["results"]} == expected


@pytest.mark.parametrize("expression, message", [
    ("Nonsense eq 'x'", "Property 'Nonsense' not found"),
    ("SalesOrder eq", "Unexpected end"),
    ("SalesOrder eq 5000001", "does not fit property 'SalesOrder'"),
    ("contains(SalesOrder, '1')", "Function 'contains' is not supported"),
    ("TotalNetAmount add 1 eq 2", "Operator 'add' is not supported"),
    ("to_Item/Material eq 'X'", "Navigation path"),
    ("SalesOrder eq 'x' or", "Unexpected end"),
])
def test_unsupported_or_malformed_filter_is_rejected_with_sap_error(s4: Any, expression: str, message: str) -> None:
    client = s4.client(SO)
    response = client.get("A_SalesOrder", params={"$filter": expression})
    assert response.status_code == 400
    assert message in sap_error(response)["message"]["value"]


def test_select_expand_top_skip_orderby_inlinecount(s4: Any) -> None:
    client = s4.client(SO)
    page = client.d(client.get("A_SalesOrder", params={
        "$select": "SalesOrder,to_Item/Material", "$expand": "to_Item", "$orderby": "SalesOrder desc",
        "$top": "2", "$skip": "1", "$inlinecount": "allpages"}))
    assert page["__count"] == "6"
    assert [r["SalesOrder"] for r in page["results"]] == ["5000005", "5000004"]
    first = page["results"][0]
    assert set(first) == {"__metadata", "SalesOrder", "to_Item"}
    assert [set(i) for i in first["to_Item"]["results"]] == [{"__metadata", "Material"}] * 2
    assert client.get("A_SalesOrder", params={"$top": "-1"}).status_code == 400
    assert client.get("A_SalesOrder", params={"$inlinecount": "maybe"}).status_code == 400
    assert client.get("A_SalesOrder", params={"$expand": "to_Nothing"}).status_code == 400
    assert client.get("A_SalesOrder", params={"$search": "bike"}).status_code == 400


def test_navigation_count_property_and_value(s4: Any) -> None:
    client = s4.client(SO)
    items = client.d(client.get("A_SalesOrder('5000001')/to_Item"))["results"]
    assert [i["SalesOrderItem"] for i in items] == ["10", "20"]
    count = client.get("A_SalesOrder('5000001')/to_Item/$count")
    assert count.text == "2" and count.headers["Content-Type"].startswith("text/plain")
    one = client.d(client.get("A_SalesOrderItem(SalesOrder='5000001',SalesOrderItem='20')/to_SalesOrder"))
    assert one["SalesOrder"] == "5000001"
    assert client.d(client.get("A_SalesOrder('5000001')/SalesOrderType")) == {"SalesOrderType": "OR1"}
    assert client.get("A_SalesOrder('5000001')/SalesOrderType/$value").text == "OR1"
    assert client.get("A_SalesOrder('5000001')/to_Item(SalesOrder='5000001',SalesOrderItem='10')").status_code == 200


@pytest.mark.parametrize("path, status", [
    ("A_SalesOrder('9999999')", 404),
    ("A_NoSuchSet", 404),
    ("A_SalesOrder('5000001')/to_Nothing", 404),
    ("A_SalesOrderItem('5000001')", 400),            # composite key needs names
    ("A_SalesOrder(SalesOrder='5000001'", 400),      # unbalanced
    ("A_SalesOrder('12345678901')", 400),            # longer than MaxLength 10
])
def test_bad_resource_paths(s4: Any, path: str, status: int) -> None:
    response = s4.client(SO).get(path)
    assert response.status_code == status
    sap_error(response)


def test_missing_entity_error_in_xml_for_atom_clients(s4: Any) -> None:
    response = s4.client(SO, fmt="atom").get("A_SalesOrder('9999999')")
    error = etree.fromstring(response.content)
    assert response.status_code == 404 and error.tag == f"{M}error"
    assert error.findtext(f"{M}code") == "/IWBEP/CM_MGW_RT/020"
    assert "A_SalesOrderType" in error.findtext(f"{M}message")
    assert error.find(f"{M}innererror/{M}application/{M}service_id").text == SO


def test_server_paging_with_skiptoken(s4: Any) -> None:
    s4.odata.page_size = 4
    client = s4.client(SO)
    first = client.d(client.get("A_SalesOrder", params={"$select": "SalesOrder"}))
    assert len(first["results"]) == 4 and "$skiptoken=4" in first["__next"]
    second = client.session.get(first["__next"], headers={"Accept": "application/json"}).json()["d"]
    assert [r["SalesOrder"] for r in second["results"]] == ["5000005", "5000006"] and "__next" not in second


def test_injected_fault_uses_sap_error_body_and_retry_after(s4: Any) -> None:
    requests.post(s4.odata_url + "/__mock__/faults", json={"status": 503, "retry_after": 2, "times": 1})
    client = s4.client(SO)
    response = client.get("A_SalesOrder('5000001')")
    assert response.status_code == 503 and response.headers["Retry-After"] == "2"
    assert sap_error(response)["message"]["value"].startswith("Injected fault")
    assert client.get("A_SalesOrder('5000001')").status_code == 200
