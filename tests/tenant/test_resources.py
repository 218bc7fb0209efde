"""Each resource client against `responses`: requests sent, answers read, failure modes."""

from __future__ import annotations

import base64
import json

import pytest
import responses

from tenant_builders import iflow_zip, value_mapping_zip
from harness.tenant import batch
from harness.tenant.artifact import LocalArtifact
from harness.tenant.client import TenantClient
from harness.tenant.configurations import ParameterChange
from harness.tenant.deploy import parse_task_id
from harness.tenant.designtime import parse_validation
from harness.tenant.errors import TenantError
from harness.tenant.logs import build_filter
from harness.tenant.valuemappings import DesiredMapping, Schema, desired_from_config

from tenant_helpers import API

pytestmark = pytest.mark.usefixtures("token_endpoint")


@pytest.fixture
def client(session) -> TenantClient:
    return TenantClient(session)


def _body(call) -> dict:
    return json.loads(call.request.body)


@responses.activate
def test_package_create_sends_the_d_wrapper_without_mode_and_defaults(client):
    responses.add(responses.POST, f"{API}/IntegrationPackages", status=201, json={"d": {}})
    client.packages.create({"Id": "S4AMZ", "Name": "S4AMZ Fulfillment", "Mode": "EDIT_ALLOWED"})
    body = _body(responses.calls[-1])["d"]
    assert body == {"Id": "S4AMZ", "Name": "S4AMZ Fulfillment", "ShortText": "S4AMZ Fulfillment", "Version": "1.0.0"}


@responses.activate
def test_package_get_none_when_absent_and_draft_artifacts_recognised(client):
    responses.add(responses.GET, f"{API}/IntegrationPackages('NOPE')", status=404, json={"error": {"message": {"value": "x"}}})
    assert client.packages.get("NOPE") is None
    responses.add(responses.GET, f"{API}/IntegrationPackages('P')/IntegrationDesigntimeArtifacts",
                  json={"d": {"results": [{"Id": "A", "Name": "A", "Version": "Active"}]}})
    responses.add(responses.GET, f"{API}/IntegrationPackages('P')/ValueMappingDesigntimeArtifacts", json={"d": {"results": []}})
    refs = client.packages.artifacts("P")
    assert refs[0].is_draft


@responses.activate
def test_keys_escape_quotes_and_encode_spaces(client):
    responses.add(responses.GET, f"{API}/IntegrationPackages('O''Brien%20Pkg')", json={"d": {"Id": "O'Brien Pkg", "Name": "n"}})
    assert client.packages.get("O'Brien Pkg").id == "O'Brien Pkg"


@responses.activate
def test_designtime_create_and_update_bodies(client):
    artifact = LocalArtifact.from_zip(iflow_zip("Flow_A"), "Flow_A.zip")
    responses.add(responses.POST, f"{API}/IntegrationDesigntimeArtifacts", status=201, json={"d": {}})
    responses.add(responses.PUT, f"{API}/IntegrationDesigntimeArtifacts(Id='Flow_A',Version='active')", status=200)
    client.integration.create(artifact, "PKG")
    client.integration.update(artifact)
    create, update = _body(responses.calls[-2]), _body(responses.calls[-1])
    assert create["Id"] == "Flow_A" and create["PackageId"] == "PKG" and create["Name"] == "Flow A"
    assert base64.b64decode(create["ArtifactContent"]) == artifact.content
    assert set(update) == {"Name", "ArtifactContent"}       # Id and PackageId are not allowed on update


@responses.activate
def test_designtime_get_none_on_404_and_download_bytes(client):
    responses.add(responses.GET, f"{API}/IntegrationDesigntimeArtifacts(Id='X',Version='active')", status=404,
                  json={"error": {"message": {"value": "Integration design time artifact not found."}}})
    assert client.integration.get("X") is None
    responses.add(responses.GET, f"{API}/IntegrationDesigntimeArtifacts(Id='Y',Version='active')/$value",
                  body=b"PK\x03\x04zip", content_type="application/zip")
    assert client.integration.download("Y") == b"PK\x03\x04zip"


def test_validation_answer_parsing():
    assert parse_validation("Checkexecutionresult: Passed").passed
    failed = parse_validation('Checkexecutionresult: Failed[ {"severity": "Error", "message": "The address field must '
                              'begin with \'/\'", "sourceObject": "x", "resourcePath": "p", "resourceName": "f.iflw" } ]')
    assert not failed.passed
    assert "The address field must begin with '/'" in failed.text()
    assert parse_validation('"Checkexecutionresult: Passed"').passed


@responses.activate
def test_validate_calls_the_function_import(client):
    responses.add(responses.POST, f"{API}/ValidateIntegrationDesigntimeArtifact?Id='A'&Version='active'",
                  status=202, body="Checkexecutionresult: Passed")
    assert client.integration.validate("A").passed


def test_task_id_is_read_defensively():
    assert parse_task_id("3e8f9c10") == "3e8f9c10"
    assert parse_task_id('"3e8f9c10"') == "3e8f9c10"
    assert parse_task_id('{"d": {"TaskId": "abc"}}') == "abc"
    assert parse_task_id("") == ""


@responses.activate
def test_deploy_and_build_status(client):
    responses.add(responses.POST, f"{API}/DeployIntegrationDesigntimeArtifact?Id='A'&Version='active'", status=202,
                  body="task-42")
    responses.add(responses.POST, f"{API}/DeployValueMappingDesigntimeArtifact?Id='VM'&Version='active'", status=202,
                  body="task-43")
    responses.add(responses.GET, f"{API}/BuildAndDeployStatus(TaskId='task-42')", json={"d": {"TaskId": "task-42", "Status": "DEPLOYING"}})
    assert client.deploys.deploy("A") == "task-42"
    assert client.deploys.deploy("VM", "ValueMapping") == "task-43"
    assert client.deploys.build_status("task-42") == "DEPLOYING"


@responses.activate
def test_runtime_error_information_waits_through_204(client, clock):
    client.runtime.sleep, client.runtime.clock = clock.sleep, clock
    url = f"{API}/IntegrationRuntimeArtifacts('A')/ErrorInformation/$value"
    responses.add(responses.GET, url, status=204)
    responses.add(responses.GET, url, status=204)
    responses.add(responses.GET, url, json={"parameter": ["Validation of the artifact failed: no receiver"]})
    assert client.runtime.error_information("A", wait=30, interval=2) == "Validation of the artifact failed: no receiver"
    assert clock.sleeps == [2, 2]


@responses.activate
def test_runtime_error_information_gives_up_with_a_clear_text(client, clock):
    client.runtime.sleep, client.runtime.clock = clock.sleep, clock
    for _ in range(5):
        responses.add(responses.GET, f"{API}/IntegrationRuntimeArtifacts('A')/ErrorInformation/$value", status=204)
    assert "gave no error information" in client.runtime.error_information("A", wait=5, interval=2)


@responses.activate
def test_runtime_get_and_undeploy(client):
    responses.add(responses.GET, f"{API}/IntegrationRuntimeArtifacts('A')",
                  json={"d": {"Id": "A", "Version": "1.0.1", "Status": "STARTED", "DeployedOn": "/Date(1611846759005)/"}})
    responses.add(responses.DELETE, f"{API}/IntegrationRuntimeArtifacts('A')", status=202)
    artifact = client.runtime.get("A")
    assert (artifact.status, artifact.version, artifact.deployed_on.year) == ("STARTED", "1.0.1", 2021)
    client.runtime.undeploy("A")


@responses.activate
def test_configurations_go_in_one_batch_with_a_changeset_per_artifact(client):
    answer_type, answer = batch.build_response([(True, [(202, "Accepted", ""), (202, "Accepted", "")]),
                                                (True, [(202, "Accepted", "")])])
    responses.add(responses.POST, f"{API}/$batch", status=202, body=answer, content_type=answer_type)
    failures = client.configurations.update([ParameterChange("A", "Log Event Title", "T"),
                                             ParameterChange("A", "Address", "/a"),
                                             ParameterChange("B", "Address", "/b")])
    assert failures == {}
    assert len(responses.calls) == 2            # token + one $batch
    request = responses.calls[-1].request
    parts = batch.parse(request.headers["Content-Type"], request.body)
    assert [p.changeset for p in parts] == [1, 1, 2]
    assert parts[0].url == "IntegrationDesigntimeArtifacts(Id='A',Version='active')/$links/Configurations('Log%20Event%20Title')"
    assert json.loads(parts[0].body) == {"ParameterKey": "Log Event Title", "ParameterValue": "T", "DataType": "xsd:string"}


@responses.activate
def test_configuration_batch_failures_are_reported_per_artifact(client):
    error = json.dumps({"error": {"message": {"value": "Parameter key 'Nope' not found."}}})
    answer_type, answer = batch.build_response([(True, [(202, "Accepted", "")]), (True, [(404, "Not Found", error)])])
    responses.add(responses.POST, f"{API}/$batch", status=202, body=answer, content_type=answer_type)
    failures = client.configurations.update([ParameterChange("A", "x", "1"), ParameterChange("B", "Nope", "2")])
    assert failures == {"B": "HTTP 404: Parameter key 'Nope' not found."}


def test_batch_parser_reads_sap_documented_example():
    body = ("--batch_34fcd829\r\nContent-Type: multipart/mixed; boundary=changeset_5e8e\r\n\r\n"
            "--changeset_5e8e\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
            "PUT IntegrationDesigntimeArtifacts(Id='TestingCustomScheduler',Version='1.0.3')/$links/Configurations('Receiver1_host_33') HTTP/1.1\r\n"
            "Accept: application/json\r\nContent-Type: application/json\r\n\r\n"
            '{\r\n"ParameterKey" : "Receiver1_host_33",\r\n"ParameterValue" : "blr002",\r\n"DataType" : "xsd:string"\r\n}\r\n\r\n'
            "--changeset_5e8e--\r\n--batch_34fcd829--\r\n")
    parts = batch.parse("multipart/mixed; boundary=batch_34fcd829", body)
    assert len(parts) == 1 and parts[0].method == "PUT" and parts[0].json()["ParameterValue"] == "blr002"


@responses.activate
def test_value_mappings_are_merged_with_upserts_never_deleted(client):
    vm = f"{API}/ValueMappingDesigntimeArtifacts(Id='VM',Version='active')"
    schema = Schema("SAP", "ShippingCondition", "AMAZON", "DeliverySpeed")
    responses.add(responses.GET, f"{vm}/ValMapSchema(SrcAgency='SAP',SrcId='ShippingCondition',TgtAgency='AMAZON',TgtId='DeliverySpeed')/ValMaps",
                  json={"d": {"results": [{"Id": "v1", "Value": {"SrcValue": "01", "TgtValue": "STANDARD"}},
                                          {"Id": "v2", "Value": {"SrcValue": "02", "TgtValue": "EXPEDITED"}},
                                          {"Id": "v9", "Value": {"SrcValue": "99", "TgtValue": "TENANT_ONLY"}}]}})
    responses.add(responses.POST, f"{API}/UpsertValMaps", status=200, json={"d": {}})
    result = client.value_mappings.reconcile([DesiredMapping("VM", schema, {"01": "STANDARD", "02": "PRIORITY",
                                                                           "03": "SCHEDULED"})])
    assert [a[2:] for a in result.added] == [("03", "SCHEDULED")]
    assert [u[2:] for u in result.updated] == [("02", "EXPEDITED", "PRIORITY")]
    assert [k[2:] for k in result.kept] == [("99", "TENANT_ONLY")]
    upserts = [c.request.url for c in responses.calls if "UpsertValMaps" in c.request.url]
    assert len(upserts) == 2
    assert "ValMapId='v2'" in upserts[0] and "TgtValue='PRIORITY'" in upserts[0] and "IsConfigured=true" in upserts[0]
    assert "ValMapId" not in upserts[1] and "SrcValue='03'" in upserts[1]
    assert not [c for c in responses.calls if c.request.method == "DELETE" or "DeleteValMaps" in c.request.url]


def test_value_mapping_config_errors_name_the_entry():
    with pytest.raises(ValueError, match=r"value_mappings.VM\[0\]: expected source.agency"):
        desired_from_config({"VM": [{"source": {"agency": "SAP"}}]}, "config/test.yaml")


def test_log_filters_follow_the_api_rules():
    from datetime import datetime, timezone
    since = datetime(2026, 2, 1, 8, 30, tzinfo=timezone.utc)
    assert build_filter(flow="A", since=since) == \
        "IntegrationArtifact/Id eq 'A' and Status ne 'DISCARDED' and LogStart gt datetime'2026-02-01T08:30:00'"
    assert build_filter(flow="A", correlation_id="c-1") == "CorrelationId eq 'c-1'"   # never combined
    assert build_filter(status="FAILED") == "Status eq 'FAILED'"


@responses.activate
def test_logs_query_and_error_text(client):
    responses.add(responses.GET, f"{API}/MessageProcessingLogs",
                  json={"d": {"results": [{"MessageGuid": "G1", "Status": "FAILED", "CorrelationId": "c",
                                           "LogStart": "/Date(1700000000000)/", "IntegrationArtifact": {"Id": "A"}},
                                          {"MessageGuid": "G2", "Status": "DISCARDED", "IntegrationArtifact": {"Id": "A"}}]}})
    responses.add(responses.GET, f"{API}/MessageProcessingLogs('G1')/ErrorInformation/$value", body="HTTP 500 from S/4")
    logs = client.logs.query(flow="A")
    assert [log.guid for log in logs] == ["G1"]
    assert client.logs.error_text("G1") == "HTTP 500 from S/4"
    assert "$orderby=LogEnd%20desc" in responses.calls[1].request.url


@responses.activate
def test_endpoints_match_by_id_prefix_not_by_name(client):
    responses.add(responses.GET, f"{API}/ServiceEndpoints", json={"d": {"results": [
        {"Name": "Receive Events", "Id": "Receive_Events$endpointAddress=/events", "Protocol": "REST",
         "EntryPoints": {"results": [{"Name": "Receive Events", "Url": "https://t/http/events", "Type": "PROD"}]}}]}})
    found = client.endpoints.for_artifact("Receive_Events")
    assert found[0].entry_points[0].url == "https://t/http/events"
    assert client.endpoints.for_artifact("Receive Events") == []
    assert "$expand=EntryPoints" in responses.calls[-1].request.url


@responses.activate
def test_security_check_reads_names_only(client):
    for kind, names in (("UserCredentials", ["S4HANA_CPI"]), ("OAuth2ClientCredentials", ["Amazon_LWA"]),
                        ("SecureParameters", [])):
        responses.add(responses.GET, f"{API}/{kind}", json={"d": {"results": [{"Name": n} for n in names]}})
    names = client.security.snapshot()
    assert names.missing({"S4HANA_CPI", "Amazon_LWA", "SPAPI_Token"}) == ["SPAPI_Token"]
    assert all("$select=Name" in c.request.url for c in responses.calls[1:])


def test_tenant_error_keeps_text_separate_from_context():
    error = TenantError("Bundle could not be parsed", status=500, method="POST", url="https://t/api/v1/X")
    assert error.text == "Bundle could not be parsed"
    assert str(error) == "POST https://t/api/v1/X: HTTP 500: Bundle could not be parsed"
    assert value_mapping_zip("VM")  # the builder used by emulator tests stays importable here


@responses.activate
def test_package_update_delete_and_designtime_delete_save_as_version(client):
    responses.add(responses.PUT, f"{API}/IntegrationPackages('P')", status=202)
    responses.add(responses.DELETE, f"{API}/IntegrationPackages('P')", status=202)
    responses.add(responses.DELETE, f"{API}/IntegrationDesigntimeArtifacts(Id='A',Version='active')", status=200)
    responses.add(responses.POST, f"{API}/IntegrationDesigntimeArtifactSaveAsVersion?Id='A'&SaveAsVersion='1.0.2'",
                  status=200, json={"d": {}})
    client.packages.update("P", {"Id": "P", "Name": "New", "Mode": "READ_ONLY"})
    assert _body(responses.calls[-1]) == {"d": {"Id": "P", "Name": "New"}}
    client.packages.delete("P")
    client.integration.delete("A")
    client.integration.save_as_version("A", "1.0.2")


@responses.activate
def test_runtime_list_by_status(client):
    responses.add(responses.GET, f"{API}/IntegrationRuntimeArtifacts",
                  json={"d": {"results": [{"Id": "A", "Status": "ERROR", "Version": "1"}]}})
    assert [r.id for r in client.runtime.list("ERROR")] == ["A"]
    assert "$filter=Status%20eq%20'ERROR'" in responses.calls[-1].request.url


@responses.activate
def test_logs_wait_final_polls_until_a_final_status(client, clock):
    client.logs.sleep, client.logs.clock = clock.sleep, clock
    url = f"{API}/MessageProcessingLogs"
    responses.add(responses.GET, url, json={"d": {"results": [{"MessageGuid": "G", "Status": "PROCESSING"}]}})
    responses.add(responses.GET, url, json={"d": {"results": [{"MessageGuid": "G", "Status": "RETRY"}]}})
    responses.add(responses.GET, url, json={"d": {"results": [{"MessageGuid": "G", "Status": "COMPLETED"}]}})
    assert client.logs.wait_final("corr-1", timeout=10, interval=1).status == "COMPLETED"
    assert clock.sleeps == [1, 1]
    responses.replace(responses.GET, url, json={"d": {"results": []}})
    assert client.logs.wait_final("corr-2", timeout=3, interval=1) is None


@responses.activate
def test_log_attachments(client):
    responses.add(responses.GET, f"{API}/MessageProcessingLogs('G')/Attachments",
                  json={"d": {"results": [{"Id": "att-1", "Name": "payload", "ContentType": "text/xml"}]}})
    responses.add(responses.GET, f"{API}/MessageProcessingLogAttachments('att-1')/$value", body=b"<a/>")
    (attachment,) = client.logs.attachments("G")
    assert client.logs.attachment_content(attachment.id) == b"<a/>"
