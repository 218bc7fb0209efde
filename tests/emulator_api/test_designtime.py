"""Packages, design-time artifacts, configurations and value mappings on the emulated tenant."""

from __future__ import annotations

import base64
import io
import json
import zipfile

import pytest
import requests

from tenant_builders import iflow_zip, value_mapping_zip
from harness.emulator import validation
from harness.tenant.artifact import LocalArtifact
from harness.tenant.configurations import ParameterChange
from harness.tenant.errors import NotFound, TenantError
from harness.tenant.plan import changed_files, normalized_digests
from generator.render.javaprops import load as parse_properties
from harness.tenant.valuemappings import DesiredMapping, Schema

from emulator_helpers import bearer


@pytest.fixture
def package(client):
    client.packages.create({"Id": "PKG", "Name": "Package"})
    return "PKG"


def _artifact(artifact_id="Flow_A", **kwargs) -> LocalArtifact:
    return LocalArtifact.from_zip(iflow_zip(artifact_id, **kwargs), f"{artifact_id}.zip")


def test_package_lifecycle_and_tenant_errors(client, emulator):
    client.packages.create({"Id": "PKG", "Name": "Package", "ShortText": "short"})
    assert client.packages.get("PKG").short_text == "short"
    with pytest.raises(TenantError, match="already exists") as duplicate:
        client.packages.create({"Id": "PKG", "Name": "Package"})
    assert duplicate.value.status == 400
    with_mode = requests.post(emulator.api_url + "/IntegrationPackages", headers=bearer(emulator),
                              json={"d": {"Id": "P2", "Name": "n", "Mode": "EDIT_ALLOWED"}})
    assert with_mode.status_code == 400 and "Mode" in with_mode.json()["error"]["message"]["value"]
    client.packages.update("PKG", {"Id": "PKG", "Name": "Renamed"})
    assert client.packages.get("PKG").name == "Renamed"
    assert [p.id for p in client.packages.list()] == ["PKG"]
    client.packages.delete("PKG")
    assert client.packages.get("PKG") is None


def test_entities_carry_metadata_and_deferred_navigation(client, emulator, package):
    client.integration.create(_artifact(), package)
    raw = requests.get(emulator.api_url + "/IntegrationDesigntimeArtifacts(Id='Flow_A',Version='active')",
                       headers=bearer(emulator)).json()["d"]
    assert raw["__metadata"]["type"] == "com.sap.hci.api.IntegrationDesigntimeArtifact"
    assert raw["__metadata"]["uri"].endswith("IntegrationDesigntimeArtifacts(Id='Flow_A',Version='1.0.0')")
    assert raw["Configurations"]["__deferred"]["uri"].endswith("/Configurations")
    assert raw["Version"] == "1.0.0" and raw["PackageId"] == "PKG"
    listed = client.packages.artifacts("PKG")
    assert [(r.id, r.version) for r in listed] == [("Flow_A", "1.0.0")]


def test_upload_into_a_missing_package_and_duplicate_ids_are_refused(client, package):
    with pytest.raises(NotFound, match="Integration package NOPE not found"):
        client.integration.create(_artifact(), "NOPE")
    client.integration.create(_artifact(), package)
    with pytest.raises(TenantError, match="already exists in package PKG"):
        client.integration.create(_artifact(), package)


def test_structural_problems_are_refused_at_upload_with_the_reason(emulator, package, client):
    headers = bearer(emulator)
    mismatch = requests.post(emulator.api_url + "/IntegrationDesigntimeArtifacts", headers=headers, json={
        "Id": "Other_Id", "Name": "x", "PackageId": "PKG",
        "ArtifactContent": base64.b64encode(iflow_zip("Flow_A")).decode()})
    assert mismatch.status_code == 400
    assert "Bundle-SymbolicName 'Flow_A' differs from the artifact id 'Other_Id'" in mismatch.json()["error"]["message"]["value"]
    wrong_kind = requests.post(emulator.api_url + "/ValueMappingDesigntimeArtifacts", headers=headers, json={
        "Id": "Flow_A", "Name": "x", "PackageId": "PKG", "ArtifactContent": base64.b64encode(iflow_zip("Flow_A")).decode()})
    assert wrong_kind.status_code == 400 and "expected ValueMapping" in wrong_kind.text
    not_base64 = requests.post(emulator.api_url + "/IntegrationDesigntimeArtifacts", headers=headers, json={
        "Id": "Flow_A", "Name": "x", "PackageId": "PKG", "ArtifactContent": "%%%"})
    assert not_base64.status_code == 400 and "not valid base64" in not_base64.text
    missing = requests.post(emulator.api_url + "/IntegrationDesigntimeArtifacts", headers=headers, json={"Id": "A"})
    assert missing.status_code == 400 and "Name, PackageId, ArtifactContent" in missing.text


def test_lint_errors_reject_the_upload_with_the_findings(make_emulator):
    pytest.importorskip("generator.lint")
    linted = make_emulator("lint.db", lint="upload")
    client = __import__("emulator_helpers").client_for(linted)
    client.packages.create({"Id": "PKG", "Name": "Package"})
    broken = iflow_zip("Broken_Flow", duplicate_ids=True)
    expected = validation.lint_errors(broken, "Broken_Flow.zip")
    assert expected, "the generator's lint should find errors in a flow with duplicate ids"
    with pytest.raises(TenantError) as refused:
        client.integration.create(LocalArtifact.from_zip(broken, "Broken_Flow.zip"), "PKG")
    assert refused.value.status == 400
    assert refused.value.text.startswith("Artifact validation failed: ")
    assert expected[0] in refused.value.text
    assert client.integration.get("Broken_Flow") is None          # nothing half-stored


def test_update_replaces_content_and_resets_configuration_to_the_zip(client, package):
    client.integration.create(_artifact(), package)
    client.configurations.update_one(ParameterChange("Flow_A", "Credential Name", "Configured"))
    assert client.configurations.values("Flow_A")["Credential Name"] == "Configured"
    client.integration.update(_artifact(version="1.0.1", description="v2"))
    assert client.integration.get("Flow_A").version == "1.0.1"
    assert client.configurations.values("Flow_A")["Credential Name"] == "S4_Basic"


def test_update_may_not_change_the_package(client, emulator, package):
    client.integration.create(_artifact(), package)
    answer = requests.put(emulator.api_url + "/IntegrationDesigntimeArtifacts(Id='Flow_A',Version='active')",
                          headers=bearer(emulator), json={"PackageId": "OTHER", "ArtifactContent":
                                                          base64.b64encode(iflow_zip("Flow_A")).decode()})
    assert answer.status_code == 400 and "PackageId cannot be changed" in answer.text


def test_download_serves_configured_values_and_a_fresh_origin_date(client, package):
    original = iflow_zip("Flow_A")
    client.integration.create(LocalArtifact.from_zip(original, "Flow_A.zip"), package)
    client.configurations.update_one(ParameterChange("Flow_A", "Sender Address", "/configured"))
    served = client.integration.download("Flow_A")
    with zipfile.ZipFile(io.BytesIO(served)) as archive:
        props = parse_properties(archive.read("src/main/resources/parameters.prop").decode())
        manifest = archive.read("META-INF/MANIFEST.MF").decode()
    assert props["Sender Address"] == "/configured"
    assert "Origin-ModifiedDate: 1767866215464" not in manifest
    assert changed_files(normalized_digests(original), normalized_digests(served)) == []


def test_versions_other_than_active_or_current_are_not_found(client, package):
    client.integration.create(_artifact(), package)
    assert client.integration.get("Flow_A", "1.0.0") is not None
    assert client.integration.get("Flow_A", "Active") is not None
    assert client.integration.get("Flow_A", "0.9.0") is None


def test_configuration_errors_in_the_tenants_words(client, emulator, package):
    client.integration.create(_artifact(), package)
    with pytest.raises(NotFound, match="Parameter key 'Nope' not found."):
        client.configurations.update_one(ParameterChange("Flow_A", "Nope", "x"))
    bad = requests.put(emulator.api_url + "/IntegrationDesigntimeArtifacts(Id='Flow_A',Version='active')"
                       "/$links/Configurations('Sender%20Address')", headers=bearer(emulator), json={"Value": "x"})
    assert bad.status_code == 400 and bad.json()["error"]["message"]["value"] == \
        "Wrong body format for the expected parameter value"
    count = requests.get(emulator.api_url + "/IntegrationDesigntimeArtifacts(Id='Flow_A',Version='active')"
                         "/Configurations/$count", headers=bearer(emulator))
    assert count.text == "3"


def test_batch_changesets_are_atomic_per_artifact(client, package):
    client.integration.create(_artifact("Flow_A"), package)
    client.integration.create(_artifact("Flow_B"), package)
    failures = client.configurations.update([ParameterChange("Flow_A", "Sender Address", "/a2"),
                                             ParameterChange("Flow_B", "Sender Address", "/b2"),
                                             ParameterChange("Flow_B", "Nope", "x")])
    assert failures == {"Flow_B": "HTTP 404: Parameter key 'Nope' not found."}
    assert client.configurations.values("Flow_A")["Sender Address"] == "/a2"
    assert client.configurations.values("Flow_B")["Sender Address"] == "/flow_b"   # nothing of B applied


def test_batch_rejects_what_it_does_not_support(emulator, package):
    from harness.tenant import batch
    content_type, body = batch.build([[batch.Operation("DELETE", "IntegrationPackages('PKG')")]])
    answer = requests.post(emulator.api_url + "/$batch", data=body,
                           headers={**bearer(emulator), "Content-Type": content_type})
    parts = batch.parse(answer.headers["Content-Type"], answer.content)
    assert answer.status_code == 202 and parts[0].status == 501
    garbage = requests.post(emulator.api_url + "/$batch", data=b"x", headers={**bearer(emulator),
                                                                           "Content-Type": "application/json"})
    assert garbage.status_code == 400


def test_value_mapping_upload_then_upserts_merge(client, package):
    client.value_mapping.create(LocalArtifact.from_zip(value_mapping_zip("VM_1"), "VM_1.zip"), package)
    schema = Schema("SAP", "ShippingCondition", "AMAZON", "DeliverySpeed")
    assert client.value_mappings.schemas("VM_1") == [schema]
    assert {(v.src_value, v.tgt_value) for v in client.value_mappings.valmaps("VM_1", schema)} == \
        {("01", "STANDARD"), ("02", "EXPEDITED")}
    result = client.value_mappings.reconcile([DesiredMapping("VM_1", schema, {"02": "PRIORITY", "03": "SCHEDULED"})])
    assert len(result.added) == 1 and len(result.updated) == 1 and len(result.kept) == 1
    again = client.value_mappings.reconcile([DesiredMapping("VM_1", schema, {"02": "PRIORITY", "03": "SCHEDULED"})])
    assert not again.changed
    # re-uploading the artifact keeps values configured through the API (as a transport does)
    client.value_mapping.update(LocalArtifact.from_zip(value_mapping_zip("VM_1"), "VM_1.zip"))
    assert {(v.src_value, v.tgt_value) for v in client.value_mappings.valmaps("VM_1", schema)} == \
        {("01", "STANDARD"), ("02", "PRIORITY"), ("03", "SCHEDULED")}


def test_unknown_resources_and_methods(emulator):
    headers = bearer(emulator)
    missing = requests.get(emulator.api_url + "/NoSuchSet", headers=headers)
    assert missing.status_code == 404 and "NoSuchSet" in missing.json()["error"]["message"]["value"]
    wrong = requests.patch(emulator.api_url + "/IntegrationPackages", headers=headers)
    assert wrong.status_code == 405
    bad_filter = requests.get(emulator.api_url + "/IntegrationPackages?$filter=Id%20eq", headers=headers)
    assert bad_filter.status_code == 400 and "Invalid filter expression" in bad_filter.text
    zone = requests.get(emulator.api_url + "/MessageProcessingLogs?$filter=LogStart%20gt%20datetime'2026-01-01T00:00:00Z'",
                        headers=headers)
    assert zone.status_code == 400 and "does not accept a zone suffix" in zone.text
    assert json.loads(requests.get(emulator.api_url + "/", headers=headers).text)["d"]["EntitySets"]
