"""CamelExceptionCaught reaches Groovy as an exception object, as on a tenant: its class, getMessage(),
and for the HTTP receiver's AhcOperationFailedException getStatusCode(), getStatusText() and
getResponseBody(). Through a generated package in the running landscape, and on the script host
directly for both Groovy runtimes."""

from __future__ import annotations

import json

import pytest

from e2e_landscape import Landscape
from harness.scripthost import CaughtException, JvmNotBuilt, ScriptHost, ScriptMessage

AHC = "org.apache.camel.component.ahc.AhcOperationFailedException"
OSCI = "com.sap.gateway.core.ip.component.odata.exception.OsciException"


def test_http_receiver_failure_reaches_the_script_with_status_and_body(clean: Landscape):
    fault = {"status": 503, "path": "5000002", "body": {"error": {"code": "MAINT", "message": "down for maintenance"}}}
    clean.mock("s4hana", "POST", "/__mock__/faults", json=fault)
    answer = clean.post_event("/s4amz/e2e/failures", {"salesOrder": "5000002"})
    assert answer.status_code == 200, answer.text
    described = answer.json()
    assert described["exceptionClass"] == AHC and described["isException"] is True
    assert described["statusCode"] == 503 and described["receiverStatus"] == 503
    assert described["message"].startswith("HTTP operation failed invoking http://") and \
        described["message"].endswith("A_SalesOrder('5000002')?$format=json with statusCode: 503")
    assert json.loads(described["responseBody"]) == fault["body"]
    assert described["statusText"]
    logs = [m for m in clean.mpls("S4AMZ_E2E_Describe_Failure") if m["Status"] == "COMPLETED"]
    assert logs                                                            # handled by the exception subprocess


def test_odata_receiver_failure_reaches_the_script_as_osci_exception_with_the_error_body(clean: Landscape):
    answer = clean.post_event("/s4amz/e2e/failures", {"salesOrder": "9999999"}, headers={"e2e-target": "odata"})
    assert answer.status_code == 200, answer.text
    described = answer.json()
    assert described["exceptionClass"] == OSCI and described["message"].startswith("Not Found : 404 : HTTP/1.1 404")
    assert "statusCode" not in described                                   # OsciException has no such accessor
    assert described["receiverStatus"] == 404
    assert "/IWBEP/CM_MGW_RT/020" in described["body"]                     # the error response is the body


SCRIPT = """
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput

Message processData(Message message) {
    def ex = message.getProperties().get("CamelExceptionCaught")
    Map out = [name: ex.getClass().getName(), message: ex.getMessage(), text: ex.toString(),
               cause: ex.getCause()?.getClass()?.getName(), runtime: ex instanceof RuntimeException]
    if (ex instanceof org.apache.camel.component.ahc.AhcOperationFailedException) {
        out.status = ex.getStatusCode(); out.body = ex.getResponseBody(); out.retryAfter = ex.getResponseHeaders().get("Retry-After")
    }
    if (ex.getClass().getSimpleName() == "SoapFault") {
        out.code = ex.getFaultCode().getLocalPart(); out.detail = ex.getDetail()?.getTextContent()
    }
    message.setBody(JsonOutput.toJson(out))
    return message
}
"""


@pytest.fixture(params=["2.4", "4.0"])
def host(request) -> ScriptHost:
    host = ScriptHost.shared(request.param)
    try:
        host.start()
    except JvmNotBuilt as exc:
        pytest.skip(str(exc))
    return host


@pytest.mark.parametrize("caught, expected", [
    (CaughtException(AHC, "ignored: rebuilt from url and status", status_code=429, status_text="Too Many Requests",
                     response_body='{"errors":[]}', url="https://bwp.example/graphql", response_headers={"Retry-After": "3"}),
     {"name": AHC, "message": "HTTP operation failed invoking https://bwp.example/graphql with statusCode: 429",
      "status": 429, "body": '{"errors":[]}', "retryAfter": "3", "runtime": False}),
    (CaughtException("org.apache.cxf.binding.soap.SoapFault", "Billing block 08", fault_code="soap:Server",
                     detail="<detail><msg>08</msg></detail>", status_code=500),
     {"name": "org.apache.cxf.binding.soap.SoapFault", "message": "Billing block 08", "code": "Server",
      "detail": "08", "runtime": True}),
    (CaughtException("com.sap.it.rt.adapter.exception.MessageProcessingException", "the message reached the error end",
                     cause=CaughtException("java.net.ConnectException", "Connection refused")),
     {"name": "com.sap.it.rt.adapter.exception.MessageProcessingException",
      "text": "com.sap.it.rt.adapter.exception.MessageProcessingException: the message reached the error end",
      "cause": "java.net.ConnectException", "runtime": False}),
])
def test_script_host_rebuilds_the_caught_exception_on_both_runtimes(host: ScriptHost, caught, expected):
    result = host.run(("describe.groovy", SCRIPT), message=ScriptMessage(body="", properties={"CamelExceptionCaught": caught}))
    assert result.exception is None, result.exception
    described = result.json()
    for key, value in expected.items():
        assert described[key] == value, (key, described)
    assert result.property_types["CamelExceptionCaught"] == caught.class_name
