"""Sender and receiver adapters against real loopback servers."""

from __future__ import annotations

import base64
import json

import pytest
from lxml import etree
from werkzeug.wrappers import Response

from harness.emulator.runtime import COMPLETED, FAILED
from harness.emulator.runtime_port import Principal, SecurityMaterial

from builder import (FlowBuilder, http_receiver, https_sender, odata_receiver, pd_receiver, pd_sender,
                     soap_receiver, soap_sender)
from runtime_helpers import SENDER, post


def call_flow(runtime, channel, *, path="/c", artifact="C", before=(), after=()):
    b = FlowBuilder(artifact, allowed_headers="X-.*|If-Match")
    p = b.process()
    start, end = p.message_start(), p.message_end()
    pre = [f(p) for f in before]
    call = p.request_reply(channel)
    post_ = [f(p) for f in after]
    p.chain(start, *pre, call, *post_, end)
    b.sender(start, https_sender(path))
    return b


# --- HTTP receiver --------------------------------------------------------------------------------
def test_http_receiver_address_query_headers_and_response(runtime, receiver):
    receiver.respond(lambda r: Response('{"ok": true}', status=201, headers={"X-Trace": "t1", "X-Other": "o"},
                                        content_type="application/json"))
    b = call_flow(runtime, http_receiver(receiver.url + "/orders/${header.X-Id}", query="src=${property.src}",
                                         request_headers="X-Id", response_headers="X-Trace"),
                  before=[lambda p: p.content_modifier(properties=[{"Action": "Create", "Type": "constant",
                                                                    "Value": "s4", "Name": "src"}])])
    runtime.deploy("C", "1", b.zip())
    status, headers, body = post(runtime, "/http/c", "<o/>", {"Content-Type": "application/xml", "X-Id": "7",
                                                              "X-Secret": "no"})
    call = receiver.calls()[0]
    assert (call.method, call.path, call.query_string) == ("POST", "/orders/7", "src=s4")
    assert call.headers.get("X-Id") == "7" and "X-Secret" not in call.headers
    assert call.body == b"<o/>"
    assert status == 201                       # CamelHttpResponseCode from the receiver reaches the sender
    assert headers["X-Trace"] == "t1" and "X-Other" not in headers
    assert json.loads(body) == {"ok": True}


def test_http_receiver_error_becomes_exception_with_tenant_text(runtime, receiver, sink):
    receiver.fail(404, body={"message": "no such order"})
    runtime.deploy("C", "1", call_flow(runtime, http_receiver(receiver.url + "/x", method="GET")).zip())
    status, _, body = post(runtime, "/http/c", "")
    assert status == 500
    text = body.decode()
    assert text.startswith("An internal server error occured: org.apache.camel.component.ahc.AhcOperationFailedException: "
                           f"HTTP operation failed invoking {receiver.url}/x with statusCode: 404")
    record = sink.for_flow("C")[0]
    assert record.status == FAILED
    assert record.attachment("HTTP_Receiver_Adapter_Response_Body") == '{"message": "no such order"}'
    assert f"The MPL ID for the failed message is : {record.mpl_id}" in text


def test_http_receiver_without_throw_keeps_response_code(runtime, receiver):
    receiver.fail(409)
    flow = call_flow(runtime, http_receiver(receiver.url, throw="false"),
                     after=[lambda p: p.content_modifier(body="code=${header.CamelHttpResponseCode}",
                                                         body_type="expression")])
    runtime.deploy("C", "1", flow.zip())
    status, _, body = post(runtime, "/http/c", "x")
    assert body == b"code=409" and status == 409


def test_http_receiver_retries_listed_codes_honouring_retry_after(runtime, receiver, sink):
    receiver.fail(429, times=2, retry_after=2)
    runtime.deploy("C", "1", call_flow(runtime, http_receiver(receiver.url, retry=True, retry_codes="429,503",
                                                              iterations="3", interval="5")).zip())
    status, _, _ = post(runtime, "/http/c", "x")
    assert status == 200
    assert [c.status for c in receiver.calls()] == [429, 429, 200]
    assert sink.for_flow("C")[0].status == COMPLETED


def test_http_receiver_basic_and_oauth2_client_credentials(runtime, receiver):
    tokens = []

    def handler(request):
        if request.path == "/token":
            assert request.form["grant_type"] == "client_credentials"
            assert (request.form["client_id"], request.form["client_secret"]) == ("cid", "csecret-123")
            tokens.append("tok-abc-123")
            return Response(json.dumps({"access_token": "tok-abc-123", "expires_in": 3600}),
                            content_type="application/json")
        return Response(request.headers.get("Authorization", ""), content_type="text/plain")

    receiver.respond(handler)
    security = SecurityMaterial(user_credentials={"S4": {"user": "bob", "password": "pw-secret-1"}},
                                oauth2_credentials={"LWA": {"token_url": receiver.url + "/token", "client_id": "cid",
                                                            "client_secret": "csecret-123"}})
    runtime.deploy("Basic", "1", call_flow(runtime, http_receiver(receiver.url + "/b", auth="Basic", credential="S4"),
                                           path="/basic", artifact="Basic").zip(), security=security)
    runtime.deploy("OAuth", "1", call_flow(runtime, http_receiver(receiver.url + "/o", auth="OAuth2 Client Credentials",
                                                                  credential="LWA"),
                                           path="/oauth", artifact="OAuth").zip())
    assert post(runtime, "/http/basic", "")[2] == b"Basic " + base64.b64encode(b"bob:pw-secret-1")
    assert post(runtime, "/http/oauth", "")[2] == b"Bearer tok-abc-123"
    assert post(runtime, "/http/oauth", "")[2] == b"Bearer tok-abc-123"
    assert len(tokens) == 1                         # cached until it expires
    assert runtime.masker("leak pw-secret-1 tok-abc-123") == "leak ******** ********"


def test_unknown_credential_fails_message_and_unsupported_auth_fails_deploy(runtime, receiver, sink):
    from harness.emulator.runtime import DeployError

    runtime.deploy("C", "1", call_flow(runtime, http_receiver(receiver.url, auth="Basic", credential="NOPE")).zip())
    status, _, body = post(runtime, "/http/c", "")
    assert status == 500 and b"Could not fetch the credential for alias NOPE" in body
    with pytest.raises(DeployError, match="authentication 'Client Certificate' is not supported"):
        runtime.deploy("D", "1", call_flow(runtime, http_receiver(receiver.url, auth="Client Certificate"),
                                           path="/d").zip())


# --- OData V2 receiver ---------------------------------------------------------------------------
EDMX = b"""<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx"
 xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">
<edmx:DataServices m:DataServiceVersion="2.0"><Schema Namespace="API_SO" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">
<EntityType Name="A_SalesOrderType"><Key><PropertyRef Name="SalesOrder"/></Key>
 <Property Name="SalesOrder" Type="Edm.String"/><Property Name="Blocked" Type="Edm.Boolean"/>
 <Property Name="Count" Type="Edm.Int32"/><Property Name="Amount" Type="Edm.Decimal"/>
 <NavigationProperty Name="to_Item" Relationship="API_SO.assoc_Item" FromRole="H" ToRole="I"/></EntityType>
<EntityType Name="A_SalesOrderItemType"><Key><PropertyRef Name="Item"/></Key><Property Name="Item" Type="Edm.String"/>
 <Property Name="Qty" Type="Edm.Decimal"/></EntityType>
<Association Name="assoc_Item"><End Type="API_SO.A_SalesOrderType" Multiplicity="1" Role="H"/>
 <End Type="API_SO.A_SalesOrderItemType" Multiplicity="*" Role="I"/></Association>
<EntityContainer Name="API_SO_Entities" m:IsDefaultEntityContainer="true">
 <EntitySet Name="A_SalesOrder" EntityType="API_SO.A_SalesOrderType"/>
 <EntitySet Name="A_SalesOrderItem" EntityType="API_SO.A_SalesOrderItemType"/></EntityContainer>
</Schema></edmx:DataServices></edmx:Edmx>"""


class Gateway:
    """A small SAP Gateway: $metadata, CSRF bound to a session cookie, ETags on A_SalesOrder."""

    def __init__(self) -> None:
        self.token = "tok-1"
        self.etag = 'W/"\'0001\'"'
        self.created: list[dict] = []

    def __call__(self, request):
        path = request.path.removeprefix("/sap/opu/odata/sap/API_SO")
        if path == "/$metadata":
            return Response(EDMX, content_type="application/xml")
        if request.headers.get("X-CSRF-Token", "").lower() == "fetch":
            response = Response("", status=200)
            response.headers["x-csrf-token"] = self.token
            response.set_cookie("SAP_SESSIONID", "s-" + self.token)
            return response
        if request.method in ("POST", "PATCH", "PUT", "DELETE", "MERGE"):
            if (request.headers.get("X-CSRF-Token") != self.token
                    or request.cookies.get("SAP_SESSIONID") != "s-" + self.token):
                response = Response("CSRF token validation failed", status=403)
                response.headers["x-csrf-token"] = "Required"
                return response
        if request.method == "GET" and path.startswith("/A_SalesOrder('1')"):
            body = {"d": {"__metadata": {"type": "API_SO.A_SalesOrderType", "etag": self.etag},
                          "SalesOrder": "1", "Blocked": False, "Count": 3, "Amount": "10.50",
                          "CreationDate": "/Date(1523232000000)/",
                          "to_Item": {"results": [{"__metadata": {"type": "API_SO.A_SalesOrderItemType"},
                                                   "Item": "10", "Qty": "2.000"}]},
                          "to_Partner": {"__deferred": {"uri": "x"}}}}
            return Response(json.dumps(body), content_type="application/json", headers={"ETag": self.etag})
        if request.method == "GET" and path.startswith("/A_SalesOrder"):
            feed = f"""<feed xmlns="http://www.w3.org/2005/Atom" xmlns:m="{etree.QName('http://schemas.microsoft.com/ado/2007/08/dataservices/metadata', 'x').namespace}"
 xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices"><entry><content type="application/xml"><m:properties>
<d:SalesOrder>1</d:SalesOrder></m:properties></content></entry><entry><content type="application/xml"><m:properties>
<d:SalesOrder>2</d:SalesOrder></m:properties></content></entry></feed>"""
            return Response(feed, content_type="application/atom+xml")
        if request.method == "POST" and path == "/A_SalesOrder":
            self.created.append(json.loads(request.get_data()))
            created = {"d": {**self.created[-1], "SalesOrder": "4711", "to_Item": None}}
            return Response(json.dumps(created), status=201, content_type="application/json")
        if request.method == "PATCH" and path == "/A_SalesOrder('1')":
            if not request.headers.get("If-Match"):
                return Response(json.dumps({"error": {"code": "428", "message": {"lang": "en", "value":
                                "Precondition required"}}}), status=428, content_type="application/json")
            if request.headers["If-Match"] != self.etag:
                return Response(json.dumps({"error": {"code": "412", "message": {"lang": "en", "value":
                                "ETag mismatch"}}}), status=412, content_type="application/json")
            self.etag = 'W/"\'0002\'"'
            return Response(status=204)
        return Response(json.dumps({"error": {"code": "404", "message": {"lang": "en", "value": "not found"}}}),
                        status=404, content_type="application/json")


@pytest.fixture
def gateway(receiver):
    gw = Gateway()
    receiver.respond(gw)
    gw.root = receiver.url + "/sap/opu/odata/sap/API_SO"
    gw.receiver = receiver
    return gw


def test_odata_read_json_to_adapter_xml(runtime, gateway):
    runtime.deploy("C", "1", call_flow(runtime, odata_receiver(gateway.root, "A_SalesOrder('1')", operation="Read(GET)",
                                                               query="$expand=to_Item",
                                                               response_headers="ETag")).zip())
    status, headers, body = post(runtime, "/http/c", "")
    root = etree.fromstring(body)
    assert root.tag == "A_SalesOrder"
    order = root.find("A_SalesOrderType")
    assert order.findtext("SalesOrder") == "1" and order.findtext("Blocked") == "false"
    assert order.findtext("CreationDate") == "2018-04-09T00:00:00.000"
    assert order.findtext("to_Item/A_SalesOrderItemType/Qty") == "2.000"
    assert order.find("to_Partner") is None
    assert headers["ETag"] == gateway.etag
    paths = [c.path + ("?" + c.query_string if c.query_string else "") for c in gateway.receiver.calls()]
    assert paths == ["/sap/opu/odata/sap/API_SO/$metadata", "/sap/opu/odata/sap/API_SO/A_SalesOrder('1')?$expand=to_Item"]


def test_odata_query_atom_feed(runtime, gateway):
    runtime.deploy("C", "1", call_flow(runtime, odata_receiver(gateway.root, "A_SalesOrder", query="$top=2",
                                                               content_type="application/atom+xml")).zip())
    root = etree.fromstring(post(runtime, "/http/c", "")[2])
    assert [e.findtext("SalesOrder") for e in root.findall("A_SalesOrderType")] == ["1", "2"]
    assert gateway.receiver.calls()[-1].headers["Accept"] == "application/atom+xml"


def test_odata_create_converts_xml_with_types_and_fetches_csrf(runtime, gateway):
    runtime.deploy("C", "1", call_flow(runtime, odata_receiver(gateway.root, "A_SalesOrder",
                                                               operation="Create(POST)")).zip())
    body = ("<A_SalesOrder><A_SalesOrderType><Blocked>true</Blocked><Count>2</Count><Amount>1.50</Amount>"
            "<to_Item><A_SalesOrderItemType><Item>10</Item><Qty>1</Qty></A_SalesOrderItemType>"
            "<A_SalesOrderItemType><Item>20</Item><Qty>2</Qty></A_SalesOrderItemType></to_Item>"
            "</A_SalesOrderType></A_SalesOrder>")
    status, _, reply = post(runtime, "/http/c", body, {"Content-Type": "application/xml"})
    assert status == 201
    assert gateway.created == [{"Blocked": True, "Count": 2, "Amount": "1.50",
                                "to_Item": {"results": [{"Item": "10", "Qty": "1"}, {"Item": "20", "Qty": "2"}]}}]
    assert etree.fromstring(reply).findtext("A_SalesOrderType/SalesOrder") == "4711"
    methods = [(c.method, c.headers.get("X-Csrf-Token")) for c in gateway.receiver.calls()]
    assert ("GET", "Fetch") in methods and methods[-1] == ("POST", "tok-1")


def test_odata_csrf_expiry_refetches_once(runtime, gateway):
    runtime.deploy("C", "1", call_flow(runtime, odata_receiver(gateway.root, "A_SalesOrder",
                                                               operation="Create(POST)")).zip())
    xml = "<A_SalesOrder><A_SalesOrderType><Count>1</Count></A_SalesOrderType></A_SalesOrder>"
    assert post(runtime, "/http/c", xml)[0] == 201
    gateway.token = "tok-2"                                 # the session expired on the server
    assert post(runtime, "/http/c", xml)[0] == 201
    statuses = [(c.method, c.status) for c in gateway.receiver.calls() if c.method == "POST"]
    assert statuses == [("POST", 201), ("POST", 403), ("POST", 201)]


def test_odata_patch_sends_if_match_and_surfaces_412(runtime, gateway, sink):
    runtime.deploy("C", "1", call_flow(runtime, odata_receiver(gateway.root, "A_SalesOrder('1')",
                                                               operation="Patch(PATCH)")).zip())
    xml = "<A_SalesOrder><A_SalesOrderType><Blocked>false</Blocked></A_SalesOrderType></A_SalesOrder>"
    status, _, body = post(runtime, "/http/c", xml)
    assert status == 500 and b"OsciException: Precondition Required : 428 : HTTP/1.1 428" in body
    status, _, _ = post(runtime, "/http/c", xml, {"Content-Type": "application/xml", "If-Match": gateway.etag})
    assert status == 204 or status == 200
    status, _, body = post(runtime, "/http/c", xml, {"If-Match": 'W/"\'0001\'"'})
    assert status == 500 and b": 412 :" in body and b"ETag mismatch" in body
    assert sink.for_flow("C")[-1].attachment("OData_Receiver_Error_Response") is not None


def test_odata_batch_is_refused_at_deploy(runtime, gateway):
    from harness.emulator.runtime import DeployError

    channel = odata_receiver(gateway.root, "A_SalesOrder", operation="Create(POST)")
    channel["enableBatchProcessing"] = "1"
    with pytest.raises(DeployError, match=r"\$batch processing .* is not supported"):
        runtime.deploy("C", "1", call_flow(runtime, channel).zip())


# --- SOAP ------------------------------------------------------------------------------------------
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"


def test_soap_sender_and_receiver_round_trip(runtime, receiver):
    def service(request):
        envelope = etree.fromstring(request.get_data())
        payload = envelope.find(f"{{{SOAP_NS}}}Body")[0]
        if payload.findtext("Id") == "bad":
            return Response(f'<s:Envelope xmlns:s="{SOAP_NS}"><s:Body><s:Fault><faultcode>s:Client</faultcode>'
                            "<faultstring>Invalid id</faultstring></s:Fault></s:Body></s:Envelope>", status=500,
                            content_type="text/xml")
        return Response(f'<s:Envelope xmlns:s="{SOAP_NS}"><s:Body><Confirm><Id>{payload.findtext("Id")}</Id>'
                        "</Confirm></s:Body></s:Envelope>", content_type="text/xml")

    receiver.respond(service)
    b = FlowBuilder("Soap")
    p = b.process()
    start, end = p.message_start(), p.message_end()
    call = p.request_reply(soap_receiver(receiver.url + "/sap/bc/srt/credit"))
    p.chain(start, call, end)
    b.sender(start, soap_sender("/refunds"))
    runtime.deploy("Soap", "1", b.zip())
    request = f'<s:Envelope xmlns:s="{SOAP_NS}"><s:Body><Refund><Id>9</Id></Refund></s:Body></s:Envelope>'
    status, headers, body = post(runtime, "/cxf/refunds", request, {"Content-Type": "text/xml"})
    assert status == 200
    assert etree.fromstring(body).findtext(f"{{{SOAP_NS}}}Body/Confirm/Id") == "9"
    sent = etree.fromstring(receiver.calls()[0].body)
    assert sent.findtext(f"{{{SOAP_NS}}}Body/Refund/Id") == "9"           # the payload was re-wrapped
    status, _, body = post(runtime, "/cxf/refunds", request.replace(">9<", ">bad<"), {"Content-Type": "text/xml"})
    assert status == 500
    assert etree.fromstring(body).findtext(f"{{{SOAP_NS}}}Body/{{{SOAP_NS}}}Fault/faultstring") == \
        "org.apache.cxf.binding.soap.SoapFault: Invalid id"
    assert post(runtime, "/cxf/refunds", "not xml", {"Content-Type": "text/xml"})[0] == 400


# --- ProcessDirect ----------------------------------------------------------------------------------
def test_process_direct_between_flows_and_missing_consumer(runtime, sink):
    callee = FlowBuilder("Callee")
    p = callee.process()
    start, end = p.message_start(), p.message_end()
    cm = p.content_modifier(body="callee saw ${in.body} p=${property.secret}", body_type="expression",
                            headers=[{"Action": "Create", "Type": "constant", "Value": "yes", "Name": "X-From-Callee"}])
    p.chain(start, cm, end)
    callee.sender(start, pd_sender("/common/echo"))
    runtime.deploy("Callee", "1", callee.zip())
    caller = call_flow(runtime, pd_receiver("{{Target}}"), artifact="Caller",
                       before=[lambda p: p.content_modifier(properties=[{"Action": "Create", "Type": "constant",
                                                                         "Value": "s", "Name": "secret"}])])
    runtime.deploy("Caller", "1", caller.zip(parameters={"Target": "/common/echo"}))
    status, headers, body = post(runtime, "/http/c", "hi")
    assert body == b"callee saw hi p=" and headers["X-From-Callee"] == "yes"   # properties do not cross
    assert {r.artifact_id for r in sink.records.values()} == {"Caller", "Callee"}
    assert len({r.correlation_id for r in sink.records.values()}) == 1
    runtime.undeploy("Callee")
    status, _, body = post(runtime, "/http/c", "hi")
    assert status == 500
    assert b"DirectVmConsumerNotAvailableException: No consumers available on endpoint: direct-vm://common/echo" in body


# --- HTTPS sender ------------------------------------------------------------------------------------
def test_https_sender_roles_csrf_size_and_unknown_path(runtime):
    b = FlowBuilder("Secure")
    p = b.process()
    start, end = p.message_start(), p.message_end()
    p.chain(start, end)
    b.sender(start, https_sender("/secure/*", role="Custom.Role", csrf=True, max_mb="0.001"))
    runtime.deploy("Secure", "1", b.zip())
    user = Principal("ann", frozenset({"Custom.Role"}))
    assert post(runtime, "/http/secure/a", "x", principal=None)[0] == 401
    assert post(runtime, "/http/secure/a", "x", principal=SENDER)[0] == 403
    status, headers, _ = post(runtime, "/http/secure/a", "x", principal=user)
    assert status == 403 and headers["X-CSRF-Token"] == "Required"
    status, headers, _ = runtime.handle_http("GET", "/http/secure/a", {"X-CSRF-Token": "Fetch"}, b"", user)
    token = headers["X-CSRF-Token"]
    assert status == 200 and token
    status, _, body = post(runtime, "/http/secure/a/b?q=1", "small", {"X-CSRF-Token": token}, principal=user)
    assert (status, body) == (200, b"small")
    assert post(runtime, "/http/secure/a", "x" * 2000, {"X-CSRF-Token": token}, principal=user)[0] == 413
    assert post(runtime, "/http/nothing", "x")[0] == 404


def test_endpoint_conflicts_fail_deploy(runtime):
    from harness.emulator.runtime import DeployError

    for name in ("One", "Two"):
        b = FlowBuilder(name)
        p = b.process()
        start, end = p.message_start(), p.message_end()
        p.chain(start, end)
        b.sender(start, https_sender("/same"))
        if name == "One":
            runtime.deploy(name, "1", b.zip())
        else:
            with pytest.raises(DeployError, match="already used by One"):
                runtime.deploy(name, "1", b.zip())
