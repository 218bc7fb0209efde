"""Lint: real exports pass the structural rules, and each broken iFlow gives a located finding."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from generator.lint import LintOptions, errors, lint_files, lint_path, lint_zip
from generator.package.artifact import read_dir

IFLW = "src/main/resources/scenarioflows/integrationflow/"


@pytest.mark.reference
def test_reference_exports_pass_the_structural_rules(reference: Path):
    findings = lint_path(reference / "iflows", LintOptions(resources_stripped=True))
    assert not errors(findings), "\n".join(map(str, errors(findings)))
    # the stripped scripts and mappings are reported, as warnings
    stripped = [f for f in findings if f.rule == "resources-present"]
    assert stripped and all(f.severity == "warning" for f in stripped)
    assert any("script/GenerateBwPAuthdetails.groovy" in f.message for f in stripped)


@pytest.mark.reference
def test_reference_exports_without_the_stripped_option_miss_resources(reference: Path):
    findings = lint_path(reference / "iflows" / "amazon-create-fulfillment-order")
    assert {f.rule for f in errors(findings)} == {"resources-present"}


@pytest.fixture
def files(fixture_builds) -> dict[str, bytes]:
    artifact = next(a for a in fixture_builds["all-components"].artifacts if a.id == "Fixture_HTTPS_Flow")
    return read_dir(artifact.folder)


def _iflw(files: dict[str, bytes]) -> str:
    return next(p for p in files if p.startswith(IFLW))


def _edit(files: dict[str, bytes], old: str, new: str, count: int = 1) -> dict[str, bytes]:
    path = _iflw(files)
    text = files[path].decode()
    assert old in text, old
    return {**files, path: text.replace(old, new, count).encode()}


def _only(findings, rule):
    found = [f for f in errors(findings) if f.rule == rule]
    assert found, f"expected a {rule} error; got {[str(f) for f in findings]}"
    return found


def test_clean_artifact_has_no_errors(files):
    assert not errors(lint_files(files, "x"))


def test_missing_diagram_shape_is_located(files):
    broken = re.sub(r'<bpmndi:BPMNShape bpmnElement="CallActivity_3".*?</bpmndi:BPMNShape>\s*', "",
                    files[_iflw(files)].decode(), flags=re.S)
    finding = _only(lint_files({**files, _iflw(files): broken.encode()}, "Fixture_HTTPS_Flow"),
                    "diagram-complete")[0]
    assert finding.element_id == "CallActivity_3"
    assert finding.file.startswith("Fixture_HTTPS_Flow/" + IFLW)


def test_duplicate_id(files):
    finding = _only(lint_files(_edit(files, 'id="CallActivity_2"', 'id="CallActivity_1"'), "x"), "unique-ids")
    assert finding[0].element_id == "CallActivity_1"


def test_flow_to_missing_element(files):
    findings = lint_files(_edit(files, 'targetRef="CallActivity_2"', 'targetRef="CallActivity_999"'), "x")
    assert any("CallActivity_999" in f.message for f in _only(findings, "flow-references"))


def test_router_without_default(files):
    text = files[_iflw(files)].decode()
    gateway = re.search(r'<bpmn2:exclusiveGateway default="(\w+)" id="(\w+)"', text)
    broken = text.replace(f'default="{gateway[1]}" ', "", 1)
    finding = _only(lint_files({**files, _iflw(files): broken.encode()}, "x"), "router-rules")
    assert finding[0].element_id == gateway[2]


def test_router_mixing_xml_and_non_xml(files):
    text = files[_iflw(files)].decode()
    # give the XML route's gateway a second, non-XML route
    route = re.search(r'(<bpmn2:sequenceFlow id="(SequenceFlow_\d+)" name="Has items".*?</bpmn2:sequenceFlow>)', text, re.S)
    clone = route[1].replace(route[2], "SequenceFlow_900").replace("<value>XML</value>", "<value>NonXML</value>")
    clone = re.sub(r'id="FormalExpression_[^"]+"', 'id="FormalExpression_900"', clone)
    broken = text.replace(route[1], route[1] + clone)
    findings = lint_files({**files, _iflw(files): broken.encode()}, "x")
    assert any("mixes XML and non-XML" in f.message for f in _only(findings, "router-rules"))


def test_parameter_missing_from_prop(files):
    prop = "src/main/resources/parameters.prop"
    lines = [l for l in files[prop].decode().splitlines(True) if not l.startswith("Fixture\\ Path=")]
    findings = lint_files({**files, prop: "".join(lines).encode()}, "x")
    assert any("{{Fixture Path}}" in f.message for f in _only(findings, "parameters"))


def test_missing_script(files):
    broken = {k: v for k, v in files.items() if not k.endswith("script/stamp.groovy")}
    finding = _only(lint_files(broken, "x"), "resources-present")[0]
    assert "script/stamp.groovy" in finding.message and finding.element_id


def test_hard_coded_credential_and_address(files):
    text = files[_iflw(files)].decode()
    broken = re.sub(r"(<key>httpAddressWithoutQuery</key>\s*<value>)[^<]*", r"\1https://api.example.com/x",
                    text, count=1)
    broken = broken.replace("<key>Content-Type</key>", "<key>Content-Type</key>", 1)
    table = "&lt;row&gt;&lt;cell id='Action'&gt;Create&lt;/cell&gt;&lt;cell id='Type'&gt;constant&lt;/cell&gt;" \
            "&lt;cell id='Value'&gt;Bearer abc&lt;/cell&gt;&lt;cell id='Default'&gt;&lt;/cell&gt;" \
            "&lt;cell id='Name'&gt;Authorization&lt;/cell&gt;&lt;cell id='Datatype'&gt;&lt;/cell&gt;&lt;/row&gt;"
    broken = re.sub(r"(<key>headerTable</key>\s*<value>)", r"\1" + table.replace("\\", "\\\\"), broken, count=1)
    findings = lint_files({**files, _iflw(files): broken.encode()}, "x")
    assert _only(findings, "no-hardcoded-addresses")[0].element_id.startswith("MessageFlow_")
    assert "Authorization" in _only(findings, "no-hardcoded-credentials")[0].message


def test_version_newer_than_known(files):
    findings = lint_files(_edit(files, "cname::Enricher/version::1.6.1", "cname::Enricher/version::1.7.0"), "x")
    assert "newer than the newest known version 1.6.1" in _only(findings, "known-versions")[0].message


def test_two_iflw_files_and_manifest_and_project(files):
    extra = {**files, IFLW + "second.iflw": files[_iflw(files)]}
    assert _only(lint_files(extra, "x"), "single-iflw")
    manifest = files["META-INF/MANIFEST.MF"].replace(b"SAP-NodeType: IFLMAP\r\n", b"")
    assert "SAP-NodeType" in _only(lint_files({**files, "META-INF/MANIFEST.MF": manifest}, "x"),
                                   "manifest-format")[0].message
    project = files[".project"].replace(b"<name>Fixture_HTTPS_Flow</name>", b"<name>Other</name>")
    assert _only(lint_files({**files, ".project": project}, "x"), "project-name")


def test_sender_channel_wired_to_a_task(files):
    text = files[_iflw(files)].decode()
    flow = re.search(r'<bpmn2:messageFlow id="(MessageFlow_\d+)" name="HTTPS" sourceRef="(\w+)" targetRef="(\w+)"', text)
    broken = text.replace(flow[0], flow[0].replace(f'targetRef="{flow[3]}"', 'targetRef="CallActivity_2"'))
    findings = lint_files({**files, _iflw(files): broken.encode()}, "x")
    assert _only(findings, "message-flow-wiring")[0].element_id == flow[1]


def test_lint_zip_reads_uploads(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    assert not errors(lint_zip(buffer.getvalue(), "upload.zip"))
    broken = lint_zip(b"not a zip", "upload.zip")
    assert broken[0].severity == "error" and "zip" in broken[0].message


def test_lint_path_without_artifacts(tmp_path):
    findings = lint_path(tmp_path)
    assert findings[0].rule == "no-artifact"
