"""The SOAP mock: BDwReferenceRequest_In received into the shared system, SalesOrderBulkReplication
sent to a receiver, and what each rejects."""

from __future__ import annotations

import base64
from typing import Any

import requests
from lxml import etree

from s4_support import PASSWORD, USER
from harness.mocks.s4hana_soap.schemas import SALES_ORDER_REPLICATION, schema

BDW_PATH = "/sap/bc/srt/xip/sap/bdwreferencerequest_in/100/bdwref/bdwrefbinding"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
CMR = "API_CREDIT_MEMO_REQUEST_SRV"
BIL = "API_BILLING_DOCUMENT_SRV"


def bdw(reference: str, message_id: str, category: str = "K", namespace: str = SOAP11, extra: str = "") -> bytes:
    return f"""<env:Envelope xmlns:env="{namespace}" xmlns:bil="http://sap.com/xi/SD-BIL"><env:Header/><env:Body>
      <bil:BDwReferenceRequest><MessageHeader><ID>{message_id}</ID>
      <CreationDateTime>2026-01-31T12:00:00Z</CreationDateTime></MessageHeader>{extra}
      <ReferenceDocument><ReferenceDocument>{reference}</ReferenceDocument>
      <ReferenceDocumentCategory>{category}</ReferenceDocumentCategory></ReferenceDocument>
      </bil:BDwReferenceRequest></env:Body></env:Envelope>""".encode()


def post_bdw(s4: Any, body: bytes, path: str = BDW_PATH, auth: Any = (USER, PASSWORD),
             content_type: str = "text/xml; charset=utf-8") -> requests.Response:
    return requests.post(s4.soap_url + path, data=body, auth=auth, headers={
        "Content-Type": content_type,
        "SOAPAction": "http://sap.com/xi/SD-BIL/BDwReferenceRequest_In/BDwReferenceRequest_InRequest"})


def credit_memo_request(s4: Any) -> str:
    client = s4.client(CMR)
    created = client.d(client.post("A_CreditMemoRequest", {
        "CreditMemoRequestType": "CR", "ReferenceSDDocument": "90000101", "SDDocumentReason": "009",
        "to_Item": {"results": [{"ReferenceSDDocument": "90000101", "ReferenceSDDocumentItem": "10",
                                 "RequestedQuantity": "1"}]},
        "to_Text": {"results": [{"Language": "EN", "LongTextID": "0001", "LongText": "AMZ-REFUND-1"}]}}))
    assert created["HeaderBillingBlockReason"] == "08" and created["SoldToParty"] == "17100010"
    return created["CreditMemoRequest"]


def inbound(s4: Any) -> list[dict[str, Any]]:
    return requests.get(s4.soap_url + "/__mock__/messages").json()["inbound"]


def test_refund_round_trip_odata_and_soap_share_one_system(s4: Any) -> None:
    """Receive Refund Notification: credit memo request, billing block removal, BDwReference billing."""
    number = credit_memo_request(s4)
    blocked = post_bdw(s4, bdw(number, "MSG-1"))
    assert blocked.status_code == 202 and blocked.content == b""          # asynchronous: accepted
    assert inbound(s4)[-1]["status"] == "error" and "blocked for billing" in inbound(s4)[-1]["errors"][0]["error"]
    billing = s4.client(BIL)
    assert billing.d(billing.get("A_BillingDocument", params={"$filter": "BillingDocumentType eq 'G2'"}))["results"] == []

    client = s4.client(CMR)
    path = f"A_CreditMemoRequest('{number}')"
    assert client.patch(path, {"HeaderBillingBlockReason": ""}, etag=client.etag(path)).status_code == 204
    assert post_bdw(s4, bdw(number, "MSG-2")).status_code == 202
    result = inbound(s4)[-1]
    assert result["status"] == "processed" and result["results"][0]["reference"] == number
    document = result["results"][0]["billing_documents"][0]

    memo = billing.d(billing.get(f"A_BillingDocument('{document}')?$expand=to_Item"))
    assert memo["BillingDocumentType"] == "G2" and memo["SDDocumentCategory"] == "O"
    assert memo["TotalNetAmount"] == "1200.000" and memo["InvoiceClearingStatus"] == "A"
    assert memo["to_Item"]["results"][0]["ReferenceSDDocument"] == number
    request = client.d(client.get(f"{path}?$expand=to_SubsequentProcFlowDoc"))
    assert request["OverallOrdReltdBillgStatus"] == "C"
    assert request["to_SubsequentProcFlowDoc"]["results"][0]["SubsequentDocument"] == document

    assert post_bdw(s4, bdw(number, "MSG-2")).status_code == 202        # same message again: exactly once
    assert len(inbound(s4)) == 2
    assert post_bdw(s4, bdw(number, "MSG-3")).status_code == 202
    assert "already been billed" in inbound(s4)[-1]["errors"][0]["error"]
    s4.action("clear_billing_document", billing_document=document)
    assert billing.d(billing.get(f"A_BillingDocument('{document}')"))["InvoiceClearingStatus"] == "C"


def test_soap_12_envelopes_are_accepted_and_answered_in_kind(s4: Any) -> None:
    number = credit_memo_request(s4)
    s4.action("remove_billing_block", document=number)
    ok = post_bdw(s4, bdw(number, "MSG-12", namespace=SOAP12), content_type="application/soap+xml; charset=utf-8")
    assert ok.status_code == 202 and inbound(s4)[-1]["status"] == "processed"
    bad = post_bdw(s4, bdw("X" * 11, "MSG-13", namespace=SOAP12), content_type="application/soap+xml")
    fault = etree.fromstring(bad.content)
    assert bad.status_code == 500 and fault.find(f".//{{{SOAP12}}}Fault") is not None
    assert "env:Sender" in bad.text and "greater than 10" in bad.text


def test_inbound_rejections(s4: Any) -> None:
    body = bdw("70000101", "MSG-X")
    assert post_bdw(s4, body, auth=None).status_code == 401
    assert post_bdw(s4, body, auth=(USER, "wrong")).status_code == 401
    assert post_bdw(s4, body, path=BDW_PATH.replace("/100/", "/200/")).status_code == 401
    wrong_root = body.replace(b"BDwReferenceRequest>", b"SomethingElse>")
    fault = post_bdw(s4, wrong_root)
    assert fault.status_code == 500 and "expects {http://sap.com/xi/SD-BIL}BDwReferenceRequest" in fault.text
    missing = body.replace(b"<CreationDateTime>2026-01-31T12:00:00Z</CreationDateTime>", b"")
    fault = post_bdw(s4, missing)
    assert fault.status_code == 500 and "XML validation failed" in fault.text and "soap-env:Client" in fault.text
    bad_time = body.replace(b"2026-01-31T12:00:00Z", b"2026-01-31T12:00:00")
    assert post_bdw(s4, bad_time).status_code == 500
    assert "not well-formed" in post_bdw(s4, b"<not-xml").text
    assert "Expected a SOAP Envelope" in post_bdw(s4, b"<a/>").text
    unknown = post_bdw(s4, body, path="/sap/bc/srt/scs_ext/sap/purchaseorder_in")
    assert unknown.status_code == 404 and "No inbound service 'purchaseorder_in'" in unknown.text
    assert inbound(s4) == []


def test_sales_order_replication_reaches_the_receiver(s4: Any, receiver: Any) -> None:
    config = requests.put(s4.soap_url + "/__mock__/replication",
                          json={"endpoint": receiver.url, "user": "sender", "password": "secret"})
    assert config.json() == {"endpoint": receiver.url, "user": "sender", "password": "***"}
    sent = requests.post(s4.soap_url + "/__mock__/replicate", json={"sales_order": "5000001", "change_type": "create"})
    assert sent.status_code == 200 and sent.json()["http_status"] == 200
    [call] = receiver.requests
    assert call["headers"]["Content-Type"].startswith("text/xml")
    assert call["headers"]["Authorization"] == "Basic " + base64.b64encode(b"sender:secret").decode()
    envelope = etree.fromstring(call["body"])
    payload = envelope.find(f"{{{SOAP11}}}Body")[0]
    assert payload.tag == "{http://sap.com/xi/SD-SLS}SalesOrderBulkReplication"
    assert list(schema(SALES_ORDER_REPLICATION).iter_errors(etree.tostring(payload).decode())) == []
    order = payload.find("SalesOrder")
    assert order.findtext("SalesOrderID") == "5000001" and order.get("deletionIndicator") is None
    assert order.findtext("PurchaseOrderByCustomer") == "AMZ-ORDER-0001"
    assert [i.findtext("Material") for i in order.findall("Item")] == ["MZ-FG-C900", "MZ-FG-H100"]
    assert order.find("Item/RequestedQuantity").get("unitCode") == "PCE"
    ship_to = [p for p in order.findall("Partner") if p.findtext("PartnerFunction") == "SH"][0]
    assert ship_to.findtext("Address/PhysicalAddress/CityName") == "Seattle"
    assert order.findtext("Text/LongText") == "AMZ-ORDER-0001"
    log = requests.get(s4.soap_url + "/__mock__/messages").json()["outbound"]
    assert log[0]["documents"] == ["5000001"] and log[0]["http_status"] == 200
    assert log[0]["message_id"] == payload.findtext("MessageHeader/ID")


def test_replication_reflects_changes_made_through_odata(s4: Any, receiver: Any) -> None:
    client = s4.client("API_SALES_ORDER_SRV")
    created = client.d(client.post("A_SalesOrder", {
        "SalesOrderType": "OR1", "SalesOrganization": "1710", "DistributionChannel": "10",
        "OrganizationDivision": "00", "SoldToParty": "17100001", "PurchaseOrderByCustomer": "NEW-ORDER",
        "to_Item": [{"Material": "MZ-FG-R100", "RequestedQuantity": "1"}]}))
    sent = requests.post(s4.soap_url + "/__mock__/replicate",
                         json={"sales_orders": [created["SalesOrder"]], "endpoint": receiver.url, "change_type": "delete"})
    assert sent.status_code == 200
    order = etree.fromstring(receiver.requests[0]["body"]).find(f"{{{SOAP11}}}Body")[0].find("SalesOrder")
    assert order.findtext("SalesOrderID") == created["SalesOrder"] and order.get("deletionIndicator") == "true"
    assert order.find("TotalNetAmount").text == "650.00"


def test_customer_return_replication(s4: Any, receiver: Any) -> None:
    client = s4.client("API_CUSTOMER_RETURN_SRV")
    created = client.d(client.post("A_CustomerReturn", {
        "CustomerReturnType": "RE", "SalesOrganization": "1710", "DistributionChannel": "10",
        "OrganizationDivision": "00", "SoldToParty": "17100010", "ReferenceSDDocument": "5000004",
        "to_Item": [{"ReferenceSDDocumentItem": "10", "RequestedQuantity": "2", "ReturnReason": "103"}]}))
    sent = requests.post(s4.soap_url + "/__mock__/replicate",
                         json={"customer_return": created["CustomerReturn"], "endpoint": receiver.url})
    assert sent.status_code == 200 and sent.json()["interface"] == "CustomerReturnBulkReplication_Out"
    message = etree.fromstring(receiver.requests[0]["body"]).find(f"{{{SOAP11}}}Body")[0]
    assert message.tag == "{http://sap.com/xi/SD-SLS}CustomerReturnBulkReplication"
    assert message.findtext("CustomerReturn/CustomerReturnID") == created["CustomerReturn"]
    assert message.findtext("CustomerReturn/ReferenceDocument/ReferenceSDDocumentCategory") == "C"
    assert message.find("CustomerReturn/Item/RequestedQuantity").text == "2.000"
    both = requests.post(s4.soap_url + "/__mock__/replicate",
                         json={"customer_return": "1", "sales_order": "2", "endpoint": receiver.url})
    assert both.status_code == 400


def test_replication_failures_are_recorded(s4: Any, receiver: Any) -> None:
    receiver.status = 500
    failed = requests.post(s4.soap_url + "/__mock__/replicate", json={"sales_order": "5000002", "endpoint": receiver.url})
    assert failed.status_code == 200 and failed.json()["http_status"] == 500
    unreachable = requests.post(s4.soap_url + "/__mock__/replicate",
                                json={"sales_order": "5000002", "endpoint": "http://127.0.0.1:9/none"})
    assert unreachable.status_code == 502 and "ConnectionError" in unreachable.json()["error"]
    assert [m["http_status"] for m in requests.get(s4.soap_url + "/__mock__/messages").json()["outbound"]] == [500, None]
    assert requests.post(s4.soap_url + "/__mock__/replicate", json={"sales_order": "5000002"}).status_code == 400
    unknown = requests.post(s4.soap_url + "/__mock__/replicate", json={"sales_order": "1", "endpoint": receiver.url})
    assert unknown.status_code == 400 and "does not exist" in unknown.json()["error"]
    bad_type = requests.post(s4.soap_url + "/__mock__/replicate",
                             json={"sales_order": "5000002", "endpoint": receiver.url, "change_type": "move"})
    assert bad_type.status_code == 400


def test_soap_reset_resets_the_shared_system(s4: Any) -> None:
    credit_memo_request(s4)
    assert len(s4.rows(CMR, "A_CreditMemoRequest")) == 1
    requests.post(s4.soap_url + "/__mock__/reset")
    assert s4.rows(CMR, "A_CreditMemoRequest") == []
