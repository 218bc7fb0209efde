"""Every step type on its own, through a deployed flow started by an HTTPS sender."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from harness.emulator.runtime import COMPLETED, ESCALATED, FAILED, DeployError

from builder import FlowBuilder, https_sender, plain_table
from runtime_helpers import post


def deploy_chain(runtime, build, *, path="/t", namespaces="", resources=None, artifact="T"):
    """Deploy ``start -> build(process)... -> message end`` behind POST /http<path>."""
    b = FlowBuilder(artifact, namespaces=namespaces)
    p = b.process()
    start = p.message_start()
    ids = build(p, b)
    end = p.message_end()
    p.chain(start, *ids, end)
    b.sender(start, https_sender(path))
    runtime.deploy(artifact, "1.0.0", b.zip(resources or {}))
    return b


def run(runtime, body, path="/t", headers=None):
    return post(runtime, "/http" + path, body, headers or {"Content-Type": "application/xml"})


# --- Content Modifier -------------------------------------------------------------------------
def test_content_modifier_sources_and_order(runtime):
    deploy_chain(runtime, lambda p, b: [p.content_modifier(
        headers=[{"Action": "Create", "Type": "constant", "Value": "C", "Name": "hConst"},
                 {"Action": "Create", "Type": "xpath", "Value": "/o:Order/o:Id", "Name": "hXpath",
                  "Datatype": "java.lang.String"},
                 {"Action": "Create", "Type": "header", "Value": "Content-Type", "Name": "hCopy"},
                 {"Action": "Create", "Type": "expression", "Value": "${null}", "Name": "hNull", "Default": "dflt"}],
        properties=[{"Action": "Create", "Type": "expression", "Value": "${header.hConst}-${in.body}", "Name": "p1"},
                    {"Action": "Create", "Type": "property", "Value": "p1", "Name": "p2"}],
        body="[${property.p2}] ${date:now:yyyy} ${camelId}", body_type="expression")],
        namespaces="xmlns:o=urn:orders")
    status, headers, body = run(runtime, '<o:Order xmlns:o="urn:orders"><o:Id>42</o:Id></o:Order>')
    assert status == 200
    assert headers["hConst"] == "C" and headers["hXpath"] == "42" and headers["hCopy"] == "application/xml"
    assert headers["hNull"] == "dflt"
    text = body.decode()
    assert text.startswith('[C-<o:Order xmlns:o="urn:orders"><o:Id>42</o:Id></o:Order>] 20')
    assert text.endswith(" T")


def test_content_modifier_constant_body_is_literal_and_empty_body_keeps_message(runtime):
    deploy_chain(runtime, lambda p, b: [
        p.content_modifier(headers=[{"Action": "Create", "Type": "constant", "Value": "x", "Name": "keep"}]),
        p.content_modifier(headers=[{"Action": "Delete", "Name": "ke*"}], body="literal ${header.keep}")])
    status, headers, body = run(runtime, "<a/>")
    assert body == b"literal ${header.keep}"
    assert "keep" not in headers


def test_content_modifier_bad_row_type_fails_deploy(runtime):
    with pytest.raises(DeployError, match="type 'number range' is not supported"):
        deploy_chain(runtime, lambda p, b: [p.content_modifier(
            headers=[{"Action": "Create", "Type": "number range", "Value": "NR", "Name": "n"}])])


# --- Router --------------------------------------------------------------------------------------
def _router_flow(runtime, kind, cond_a, cond_b, throw=False):
    b = FlowBuilder("R")
    p = b.process()
    start = p.message_start()
    gw = p.router(throw=throw)
    outs = []
    for label in ("A", "B", "D"):
        cm = p.content_modifier(body=label)
        end = p.message_end()
        p.chain(cm, end)
        outs.append(cm)
    p.chain(start, gw)
    p.route(gw, outs[0], cond_a, kind=kind, name="A")
    p.route(gw, outs[1], cond_b, kind=kind, name="B")
    p.route(gw, outs[2], None, default=True, name="Default")
    b.sender(start, https_sender("/r"))
    runtime.deploy("R", "1", b.zip())


@pytest.mark.parametrize("header,expected", [("5", b"A"), ("12", b"B"), ("z", b"B"), ("7", b"D")])
def test_router_non_xml(runtime, header, expected):
    _router_flow(runtime, "NonXML", "${header.n} <= 5 and ${header.n} regex '\\d+'",
                 "${header.n} > '10' or ${header.n} in 'y,z'")
    runtime.flows["R"].model.props["allowedHeaderList"] = "n"
    status, _, body = post(runtime, "/http/r", "", {"n": header})
    assert (status, body) == (200, expected)


def test_router_xml_conditions(runtime):
    _router_flow(runtime, "XML", "/Order[Amount > 100]", "count(/Order/Item) &gt; 1".replace("&gt;", ">"))
    assert run(runtime, "<Order><Amount>150</Amount></Order>", "/r")[2] == b"A"
    assert run(runtime, "<Order><Amount>5</Amount><Item/><Item/></Order>", "/r")[2] == b"B"
    assert run(runtime, "<Order><Amount>5</Amount></Order>", "/r")[2] == b"D"


def test_router_default_route_can_throw(runtime, sink):
    _router_flow(runtime, "NonXML", "${header.n} = '1'", "${header.n} = '2'", throw=True)
    status, _, body = run(runtime, "<x/>", "/r")
    assert status == 500 and b"No route of router" in body
    assert sink.for_flow("R")[-1].status == FAILED


def test_router_mixing_condition_types_fails_deploy(runtime):
    b = FlowBuilder("Mix")
    p = b.process()
    start, gw, e1, e2, e3 = p.message_start(), p.router(), p.message_end(), p.message_end(), p.message_end()
    p.chain(start, gw)
    p.route(gw, e1, "/a", kind="XML")
    p.route(gw, e2, "${header.a} = '1'", kind="NonXML")
    p.route(gw, e3, None, default=True)
    b.sender(start, https_sender("/mix"))
    with pytest.raises(DeployError, match="mixes XML and non-XML"):
        runtime.deploy("Mix", "1", b.zip())


# --- local processes --------------------------------------------------------------------------------
def test_process_call_and_looping_process_call(runtime):
    b = FlowBuilder("L")
    lip = b.process("Increment", local=True)
    ls, le = lip.start(), lip.end()
    inc = lip.content_modifier(properties=[{"Action": "Create", "Type": "expression",
                                            "Value": "${property.n}x", "Name": "n"}])
    lip.chain(ls, inc, le)
    p = b.process()
    start = p.message_start()
    call = p.process_call(lip.id)
    loop = p.looping_call(lip.id, "${property.n} != 'xxxx'", maximum=10)
    out = p.content_modifier(body="${property.n}", body_type="expression")
    end = p.message_end()
    p.chain(start, call, loop, out, end)
    b.sender(start, https_sender("/l"))
    runtime.deploy("L", "1", b.zip())
    assert run(runtime, "", "/l")[2] == b"xxxx"


def test_looping_process_call_maximum_throws(runtime, sink):
    b = FlowBuilder("LMax")
    lip = b.process("Body", local=True)
    ls, le = lip.start(), lip.end()
    lip.chain(ls, le)
    p = b.process()
    start, end = p.message_start(), p.message_end()
    loop = p.looping_call(lip.id, "${header.never} = null", maximum=3, post="throwException")
    p.chain(start, loop, end)
    b.sender(start, https_sender("/lmax"))
    runtime.deploy("LMax", "1", b.zip())
    status, _, body = run(runtime, "", "/lmax")
    assert status == 500 and b"maximum number of iterations (3)" in body


def test_process_call_to_missing_process_fails_deploy(runtime):
    with pytest.raises(DeployError, match="not a Local Integration Process"):
        deploy_chain(runtime, lambda p, b: [p.process_call("Process_nope")])


# --- exception subprocess ----------------------------------------------------------------------------
def _failing_flow(runtime, end_kind):
    b = FlowBuilder("E")
    p = b.process()
    start, end = p.message_start(), p.message_end()
    bad = p.generic("Base64 Decode", "1.0.1", encoderType="Base64 Decode")   # fails on non-Base64
    p.chain(start, bad, end)
    sub = p.exception_subprocess()
    es = sub.error_start()
    cm = sub.content_modifier(body="handled: ${exception.message}", body_type="expression",
                              properties=[{"Action": "Create", "Type": "expression",
                                           "Value": "${property.CamelExceptionCaught}", "Name": "caught"}],
                              headers=[{"Action": "Create", "Type": "constant", "Value": "409",
                                        "Name": "CamelHttpResponseCode"}])
    tail = {"message": sub.message_end, "error": sub.error_end, "escalation": sub.escalation_end}[end_kind]()
    sub.chain(es, cm, tail)
    b.sender(start, https_sender("/e"))
    runtime.deploy("E", "1", b.zip())


def test_exception_subprocess_handles_error_with_message_end(runtime, sink):
    _failing_flow(runtime, "message")
    status, _, body = run(runtime, "not base64 !!!", "/e")
    assert status == 409
    assert body.startswith(b"handled: the message body is not Base64")
    record = sink.for_flow("E")[-1]
    assert record.status == COMPLETED
    assert any(s.status == "FAILED" for s in record.steps)


def test_exception_subprocess_error_end_rethrows(runtime, sink):
    _failing_flow(runtime, "error")
    status, _, body = run(runtime, "not base64 !!!", "/e")
    assert status == 500
    assert b"DecodingException: the message body is not Base64" in body
    record = sink.for_flow("E")[-1]
    assert record.status == FAILED and "DecodingException" in record.error_text


def test_exception_subprocess_escalation_end(runtime, sink):
    _failing_flow(runtime, "escalation")
    run(runtime, "not base64 !!!", "/e")
    record = sink.for_flow("E")[-1]
    assert record.status == ESCALATED and "ReceiverNotFound" in record.error_text


def test_terminate_end_stops_processing(runtime, sink):
    b = FlowBuilder("Term")
    lip = b.process("Stop", local=True)
    ls, cm, te = lip.start(), lip.content_modifier(body="stopped"), lip.terminate_end()
    lip.chain(ls, cm, te)
    p = b.process()
    start, end = p.message_start(), p.message_end()
    call, after = p.process_call(lip.id), p.content_modifier(body="after")
    p.chain(start, call, after, end)
    b.sender(start, https_sender("/term"))
    runtime.deploy("Term", "1", b.zip())
    assert run(runtime, "", "/term")[2] == b"stopped"
    assert sink.for_flow("Term")[-1].status == COMPLETED


# --- splitter and gather ---------------------------------------------------------------------------------
ORDERS = b"<Orders><Header>h</Header><Order><Id>1</Id></Order><Order><Id>2</Id></Order><Order><Id>3</Id></Order></Orders>"


def test_general_splitter_keeps_envelope_and_gather_merges_by_xpath(runtime):
    deploy_chain(runtime, lambda p, b: [
        p.splitter("XPath", "/Orders/Order"),
        p.content_modifier(headers=[{"Action": "Create", "Type": "expression", "Value": "${property.CamelSplitIndex}",
                                     "Name": "idx"}]),
        p.gather("SameXMLFormat", "xpath-merge-strategy", source="/Orders/Order", target="/Orders")])
    status, _, body = run(runtime, ORDERS)
    root = etree.fromstring(body)
    assert root.findtext("Header") == "h"
    assert [o.findtext("Id") for o in root.findall("Order")] == ["1", "2", "3"]


def test_iterating_splitter_with_grouping_and_multimap_gather(runtime):
    deploy_chain(runtime, lambda p, b: [p.splitter("XPath", "/Orders/Order", iterating=True, grouping="2"),
                                        p.gather()])
    root = etree.fromstring(run(runtime, ORDERS)[2])
    ns = {"m": "http://sap.com/xi/XI/SplitAndMerge"}
    parts = root.findall("m:Message1/*", ns)
    assert [p.tag for p in parts] == ["Orders", "Order"]
    assert [len(p.findall("Order")) for p in parts[:1]] == [2]
    assert root.find("m:Message1/Orders/Header", ns) is None


def test_line_and_token_splitters_with_concatenating_gather(runtime):
    deploy_chain(runtime, lambda p, b: [
        p.splitter("Line Break"),
        p.content_modifier(body="<${in.body}>", body_type="expression"),
        p.gather("PlainText", "concatenate-strategy")], path="/lines", artifact="Lines")
    assert run(runtime, "a\nb\n\nc", "/lines")[2] == b"<a><b><c>"
    deploy_chain(runtime, lambda p, b: [
        p.splitter("Token", ";", grouping="2"),
        p.content_modifier(body="[${in.body}]", body_type="expression"),
        p.gather("PlainText", "concatenate-strategy")], path="/tokens", artifact="Tokens")
    assert run(runtime, "1;2;3", "/tokens")[2] == b"[1;2][3]"


# --- converters, mapping, filter, encoders --------------------------------------------------------------
def test_json_to_xml_and_back(runtime):
    deploy_chain(runtime, lambda p, b: [
        p.generic("JsonToXmlConverter", "1.1.2", addXMLRootElement="false", useNamespaces="false"),
        p.content_modifier(headers=[{"Action": "Create", "Type": "xpath", "Value": "count(/order/item)",
                                     "Name": "items", "Datatype": "java.lang.String"}]),
        p.generic("XmlToJsonConverter", "1.0.8", xmlJsonSuppressRootElement="false",
                  xmlJsonConvertAllElements="specific",
                  xmlJsonPathTable=plain_table([["/order/tags"]]))])
    doc = {"order": {"@id": "7", "item": [{"sku": "A", "qty": 2}, {"sku": "B", "qty": None}],
                     "tags": "one", "flag": True}}
    status, headers, body = run(runtime, json.dumps(doc), headers={"Content-Type": "application/json"})
    assert headers["items"] == "2"
    assert json.loads(body) == {"order": {"@id": "7", "item": [{"sku": "A", "qty": "2"}, {"sku": "B", "qty": ""}],
                                          "tags": ["one"], "flag": "true"}}


def test_json_to_xml_rejects_invalid_json(runtime):
    deploy_chain(runtime, lambda p, b: [p.generic("JsonToXmlConverter", "1.1.2", addXMLRootElement="true",
                                                  additionalRootElementName="root")])
    status, _, body = run(runtime, "{not json")
    assert status == 500 and b"not valid JSON" in body


XSL = b"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:param name="prefix"/>
<xsl:template match="/Orders"><Ids><xsl:for-each select="Order"><Id><xsl:value-of select="concat($prefix, Id)"/></Id></xsl:for-each></Ids></xsl:template>
</xsl:stylesheet>"""


def test_xslt_mapping_with_parameters(runtime):
    deploy_chain(runtime, lambda p, b: [
        p.content_modifier(headers=[{"Action": "Create", "Type": "constant", "Value": "ORD-", "Name": "prefix"}]),
        p.generic("XSLTMapping", "1.2.0", mappinguri="dir://mapping/xslt/src/main/resources/mapping/ids.xsl",
                  mappingSource="mappingSrcIflow", mappingoutputformat="Bytes")],
        resources={"mapping/ids.xsl": XSL})
    root = etree.fromstring(run(runtime, ORDERS)[2])
    assert [e.text for e in root] == ["ORD-1", "ORD-2", "ORD-3"]


def test_xslt_missing_file_fails_deploy(runtime):
    with pytest.raises(DeployError, match="mapping/none.xsl is not in the package"):
        deploy_chain(runtime, lambda p, b: [p.generic("XSLTMapping", "1.2.0",
                                                      mappinguri="dir://mapping/xslt/src/main/resources/mapping/none.xsl")])


def test_filter_with_property_variable(runtime):
    deploy_chain(runtime, lambda p, b: [
        p.content_modifier(properties=[{"Action": "Create", "Type": "constant", "Value": "2", "Name": "wanted"}]),
        p.generic("Filter", "1.1.0", xpathType="Nodelist", wrapContent="/Orders/Order[Id = $wanted]")])
    assert run(runtime, ORDERS)[2] == b"<Order><Id>2</Id></Order>"


def test_base64_encode_decode(runtime):
    deploy_chain(runtime, lambda p, b: [p.generic("Base64 Encode", "1.0.1"),
                                        p.content_modifier(headers=[{"Action": "Create", "Type": "expression",
                                                                     "Value": "${in.body}", "Name": "b64"}]),
                                        p.generic("Base64 Decode", "1.0.1")])
    status, headers, body = run(runtime, "hello")
    assert headers["b64"] == "aGVsbG8=" and body == b"hello"


# --- variables and data store -----------------------------------------------------------------------------
def test_write_variables_read_by_content_modifier_local_and_global(runtime):
    deploy_chain(runtime, lambda p, b: [p.generic("Variables", "1.2.0", variable=plain_table([
        ["lastId", "java.lang.String", "xpath", "/Orders/Order[last()]/Id", "local"],
        ["shared", "java.lang.String", "expression", "seen-${header.Content-Type}", "global"]]))],
        path="/w", artifact="Writer")
    deploy_chain(runtime, lambda p, b: [p.content_modifier(headers=[
        {"Action": "Create", "Type": "global variable", "Value": "shared", "Name": "g"},
        {"Action": "Create", "Type": "local variable", "Value": "lastId", "Name": "l", "Default": "none"}])],
        path="/r", artifact="Reader")
    run(runtime, ORDERS, "/w")
    _, headers, _ = run(runtime, "", "/r")
    assert headers["g"] == "seen-application/xml"
    assert headers["l"] == "none"          # local to the Writer flow
    assert runtime.datastore.get_variable("Writer", "lastId") == "3"


def test_data_store_put_get_select_delete(runtime, sink):
    deploy_chain(runtime, lambda p, b: [
        p.generic("put", "1.7.1", operation="put", storageName="Orders_${header.kind}", visibility="global",
                  messageId="${header.id}", override="false", expire="1", includeMessageHeaders="true")],
        path="/put", artifact="Put")
    deploy_chain(runtime, lambda p, b: [
        p.generic("get", "1.7.1", operation="get", storageName="Orders_a", visibility="global",
                  dataStoreId="${header.id}", delete="true", stopOnMissingEntry="true"),
        p.content_modifier(headers=[{"Action": "Create", "Type": "header", "Value": "SAP_DataStoreId",
                                     "Name": "entry"}])],
        path="/get", artifact="Get")
    deploy_chain(runtime, lambda p, b: [
        p.generic("select", "1.7.1", operation="select", storageName="Orders_a", visibility="global",
                  maxresults="10", delete="false")], path="/select", artifact="Select")
    deploy_chain(runtime, lambda p, b: [
        p.generic("put", "1.7.1", operation="put", storageName="Orders_a", visibility="local", messageId="",
                  override="false")], path="/local", artifact="Local")
    b_headers = {"Content-Type": "application/xml"}
    allowed = "kind|id"
    for name in ("Put", "Get"):
        runtime.flows[name].model.props["allowedHeaderList"] = allowed
    assert post(runtime, "/http/put", "<o>1</o>", {**b_headers, "kind": "a", "id": "e1"})[0] == 200
    assert post(runtime, "/http/put", "<o>2</o>", {**b_headers, "kind": "a", "id": "e2"})[0] == 200
    status, _, body = post(runtime, "/http/put", "<o>1</o>", {**b_headers, "kind": "a", "id": "e1"})
    assert status == 500 and b"An entry with ID e1 already exists in data store Orders_a" in body
    run(runtime, "<o>local</o>", "/local")
    selected = etree.fromstring(run(runtime, "", "/select")[2])
    assert [m.get("id") for m in selected.findall("message")] == ["e1", "e2"]
    status, headers, body = post(runtime, "/http/get", "", {"id": "e1"})
    assert body == b"<o>1</o>" and headers["kind"] == "a" and headers["entry"] == "e1"
    status, _, body = post(runtime, "/http/get", "", {"id": "e1"})   # deleted after the first read completed
    assert status == 500 and b"No entry with ID e1 found in data store Orders_a" in body
    owners = {(e.owner, e.entry_id) for e in runtime.datastore.entries("Orders_a")}
    assert ("", "e2") in owners and any(o == "Local" for o, _ in owners)


def test_unsupported_step_fails_deploy_with_name_version_and_element(runtime):
    from harness.emulator.runtime import UnsupportedComponent

    with pytest.raises(UnsupportedComponent) as info:
        deploy_chain(runtime, lambda p, b: [p.generic("MessageMapping", "1.3.1", id="x"),
                                            p.generic("Enricher", "1.9.0")])
    error = info.value
    assert error.name == "MessageMapping" and error.version == "1.3.1" and error.element_id.startswith("CallActivity_")
    assert [c[:2] for c in error.components] == [("MessageMapping", "1.3.1"), ("Enricher", "1.9.0")]
    assert "MessageMapping 1.3.1 at CallActivity_" in str(error)
