"""Reading local artifact zips: manifest checks, parameters, credential aliases, senders."""

from __future__ import annotations

import io
import zipfile

import pytest

from tenant_builders import iflow_zip, manifest, value_mapping_zip
from harness.tenant.artifact import LocalArtifact, Manifest, load_dist
from harness.tenant.errors import ArtifactError


def test_manifest_continuation_lines_are_joined():
    long_name = "Replicate Sales Orders from SAP S/4HANA to Amazon Buy with Prime (Create)"
    parsed = Manifest.parse(manifest("Replicate_Orders", long_name, "1.2.0"), "x")
    assert parsed.headers["Bundle-Name"] == long_name
    assert parsed.symbolic_name == "Replicate_Orders"


def test_manifest_line_over_72_bytes_is_refused_with_its_line_number():
    data = b"Manifest-Version: 1.0\r\nBundle-Name: " + b"x" * 80 + b"\r\n"
    with pytest.raises(ArtifactError, match=r"line 2 is 93 bytes; manifest lines wrap at 72 bytes"):
        Manifest.parse(data, "Flow.zip")


def test_reads_id_version_parameters_and_types():
    artifact = LocalArtifact.from_zip(iflow_zip("Flow_A", "1.0.3", parameters={"Log Event Title": "Hi ${property.x}",
                                                                               "Credential Name": "S4"}), "Flow_A.zip")
    assert (artifact.id, artifact.version, artifact.bundle_type, artifact.api_kind) == \
        ("Flow_A", "1.0.3", "IntegrationFlow", "Integration")
    assert artifact.parameters["Log Event Title"] == "Hi ${property.x}"     # never interpolated
    assert artifact.parameter_types["Credential Name"] == "xsd:string"


def test_symbolic_name_must_equal_the_id():
    with pytest.raises(ArtifactError, match="Bundle-SymbolicName 'Flow_A' differs from the artifact id 'Flow_B'"):
        LocalArtifact.from_zip(iflow_zip("Flow_A"), "Flow_B.zip", expected_id="Flow_B")


def test_unknown_bundle_type_and_missing_manifest():
    with pytest.raises(ArtifactError, match="SAP-BundleType 'Bogus'"):
        LocalArtifact.from_zip(iflow_zip("F", manifest_extra={"SAP-BundleType": "Bogus"}), "F.zip")
    stripped = io.BytesIO()
    with zipfile.ZipFile(stripped, "w") as target, zipfile.ZipFile(io.BytesIO(iflow_zip("F"))) as source:
        for info in source.infolist():
            if info.filename != "META-INF/MANIFEST.MF":
                target.writestr(info, source.read(info))
    with pytest.raises(ArtifactError, match="no META-INF/MANIFEST.MF"):
        LocalArtifact.from_zip(stripped.getvalue(), "F.zip")
    with pytest.raises(ArtifactError, match="not a zip file"):
        LocalArtifact.from_zip(b"nope", "F.zip")


def test_credential_aliases_resolve_parameters_and_configured_values():
    artifact = LocalArtifact.from_zip(iflow_zip("Flow_A"), "Flow_A.zip")
    assert artifact.credential_aliases() == {"S4_Basic"}
    assert artifact.credential_aliases({"Credential Name": "S4_Prod"}) == {"S4_Prod"}
    dynamic = LocalArtifact.from_zip(iflow_zip("Flow_B", credential="${property.ENV_CREDENTIALS}"), "Flow_B.zip")
    assert dynamic.credential_aliases() == set()           # only known at run time


def test_script_literal_aliases_are_found():
    script = b'def m = service.getUserCredential("SPAPI_Refresh")\ndef n = store.getUserCredential(alias)\n'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target, zipfile.ZipFile(io.BytesIO(iflow_zip("Flow_S"))) as source:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("src/main/resources/script/token.groovy", script)
    artifact = LocalArtifact.from_zip(buffer.getvalue(), "Flow_S.zip")
    assert artifact.credential_aliases() == {"S4_Basic", "SPAPI_Refresh"}   # the variable one is unknowable


def test_senders_are_found():
    artifact = LocalArtifact.from_zip(iflow_zip("Flow_A", https_path="/orders/create"), "Flow_A.zip")
    assert [(s.adapter, s.address, s.user_role) for s in artifact.senders] == \
        [("HTTPS", "/orders/create", "ESBMessaging.send")]


def test_value_mapping_artifact():
    artifact = LocalArtifact.from_zip(value_mapping_zip("VM_1"), "VM_1.zip")
    assert (artifact.bundle_type, artifact.api_kind, artifact.parameters) == ("ValueMapping", "ValueMapping", {})


def test_load_dist_filters_and_names_unknown_ids(tmp_path):
    (tmp_path / "A.zip").write_bytes(iflow_zip("A"))
    (tmp_path / "B.zip").write_bytes(iflow_zip("B"))
    assert [a.id for a in load_dist(tmp_path)] == ["A", "B"]
    assert [a.id for a in load_dist(tmp_path, ["B"])] == ["B"]
    with pytest.raises(ArtifactError, match="no artifact C .known: A, B."):
        load_dist(tmp_path, ["C"])
    with pytest.raises(ArtifactError, match="run `s4amz build` first"):
        load_dist(tmp_path / "missing")

