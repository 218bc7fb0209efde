"""OData V2 receiver, operation FunctionImport, against the S/4HANA mock: the parameters come from
Query Options, and the message's If-Match header goes along (delivery actions need the ETag)."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
import requests

from harness.emulator.runtime import COMPLETED, FAILED
from harness.emulator.runtime_port import Principal, SecurityMaterial
from harness.mocks.core import serve
from harness.mocks.s4hana import S4HanaOData

from builder import FlowBuilder, https_sender, odata_receiver

DLV = "/sap/opu/odata/sap/API_OUTBOUND_DELIVERY_SRV;v=0002"
CALLER = Principal("tester", frozenset({"ESBMessaging.send"}))


@pytest.fixture
def s4():
    service = S4HanaOData({"system": "RTFI", "user": "U", "password": "P"})
    server = serve(service)
    yield server.url
    server.stop()


def _s4_session(url: str) -> requests.Session:
    session = requests.Session()
    session.auth = ("U", "P")
    token = session.get(url + DLV + "/", headers={"X-CSRF-Token": "Fetch"}).headers["x-csrf-token"]
    session.headers.update({"X-CSRF-Token": token, "Accept": "application/json"})
    return session


def _picked_delivery(url: str) -> tuple[str, str]:
    """A delivery of sales order 5000001, picked and confirmed, and its current ETag."""
    session = _s4_session(url)
    created = session.post(url + DLV + "/A_OutbDeliveryHeader", json={"to_DeliveryDocumentItem": {"results": [
        {"ReferenceSDDocument": "5000001", "ReferenceSDDocumentItem": "10"}]}})
    assert created.status_code == 201, created.text
    delivery = created.json()["d"]["DeliveryDocument"]
    for function in ("PickAllItems", "ConfirmPickingAllItems"):
        etag = session.get(f"{url}{DLV}/A_OutbDeliveryHeader('{delivery}')").headers["ETag"]
        assert session.post(f"{url}{DLV}/{function}?DeliveryDocument='{delivery}'",
                            headers={"If-Match": etag}).status_code == 200
    return delivery, session.get(f"{url}{DLV}/A_OutbDeliveryHeader('{delivery}')").headers["ETag"]


def test_function_import_sends_query_parameters_and_if_match(runtime, s4, sink):
    b = FlowBuilder("GI", allowed_headers="X-.*|If-Match")
    p = b.process()
    start, end = p.message_start(), p.message_end()
    call = p.request_reply(odata_receiver(s4 + DLV, "PostGoodsIssue", operation="FunctionImport",
                                          query="DeliveryDocument='${header.X-Delivery}'", auth="Basic",
                                          credential="S4"))
    p.chain(start, call, end)
    b.sender(start, https_sender("/gi"))
    runtime.deploy("GI", "1", b.zip(), security=SecurityMaterial(user_credentials={"S4": {"user": "U", "password": "P"}}))
    delivery, etag = _picked_delivery(s4)

    status, _, body = runtime.handle_http("POST", "/http/gi", {"X-Delivery": delivery}, b"", CALLER)
    assert status == 500 and b": 428 :" in body                       # no If-Match: S/4 refuses the action
    status, _, body = runtime.handle_http("POST", "/http/gi", {"X-Delivery": delivery, "If-Match": etag}, b"", CALLER)
    assert status == 200, body
    assert [r.status for r in sink.for_flow("GI")] == [FAILED, COMPLETED]
    header = requests.get(f"{s4}{DLV}/A_OutbDeliveryHeader('{delivery}')?$format=json", auth=("U", "P")).json()["d"]
    assert header["OverallGoodsMovementStatus"] == "C"
    calls = [c for c in requests.get(s4 + "/__mock__/requests").json()
             if c["path"].endswith("/PostGoodsIssue")]
    assert [(c["method"], unquote(c["query_string"]), c["status"]) for c in calls[-2:]] == [
        ("POST", f"DeliveryDocument='{delivery}'", 428), ("POST", f"DeliveryDocument='{delivery}'", 200)]
    assert calls[-1]["headers"].get("If-Match") == etag
