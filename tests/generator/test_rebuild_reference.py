"""Rebuild SAP's "Receive Return Events From Amazon" export from a spec and compare.

The fixture spec ``fixtures/return-events`` describes the same flow; the build must show the same
components, versions, property keys and values, the same parameters (names, types, values,
references) and the same MANIFEST headers as the real export. MANIFEST and .project come out byte
for byte identical.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from generator.render import javaprops, manifest

NS = {"bpmn2": "http://www.omg.org/spec/BPMN/20100524/MODEL", "ifl": "http:///com.sap.ifl.model/Ifl.xsd"}
IFLW = "src/main/resources/scenarioflows/integrationflow"

pytestmark = pytest.mark.reference


@pytest.fixture(scope="module")
def pair(fixture_builds, reference: Path) -> tuple[Path, Path]:
    built = fixture_builds["return-events"].artifacts[0].folder
    return built, reference / "iflows" / "amazon-receive-return-events-https"


def _components(folder: Path) -> Counter:
    """(element tag, element name, ordered properties) of every property block."""
    path = next((folder / IFLW).glob("*.iflw"))
    out: Counter = Counter()
    for ext in etree.parse(str(path)).iter(f"{{{NS['bpmn2']}}}extensionElements"):
        owner = ext.getparent()
        props = tuple((p.findtext("key"), p.findtext("value") or "") for p in ext.findall("ifl:property", NS))
        out[(etree.QName(owner).localname, owner.get("name"), props)] += 1
    return out


def _propdef(folder: Path) -> tuple[dict, set]:
    root = etree.parse(str(folder / "src/main/resources/parameters.propdef")).getroot()
    params = {p.findtext("name"): p.findtext("type") for p in root.findall("parameter")}
    refs = {tuple(sorted(r.attrib.items())) for r in root.iter("reference")}
    return params, refs


def test_manifest_and_project_are_byte_identical(pair):
    built, real = pair
    assert (built / "META-INF/MANIFEST.MF").read_bytes() == (real / "META-INF/MANIFEST.MF").read_bytes()
    assert (built / ".project").read_bytes() == (real / ".project").read_bytes()
    headers = [k for k, _ in manifest.parse((built / "META-INF/MANIFEST.MF").read_bytes())]
    assert "Require-Capability" in headers and "Import-Service" not in headers


def test_same_components_versions_keys_and_values(pair):
    built, real = pair
    mine, theirs = _components(built), _components(real)
    assert mine == theirs, f"only generated: {mine - theirs}\nonly in the export: {theirs - mine}"
    uris = {dict(props)["cmdVariantUri"] for _, _, props in mine if "cmdVariantUri" in dict(props)}
    assert "ctype::AdapterVariant/cname::sap:HTTPS/tp::HTTPS/mp::None/direction::Sender/version::1.5.2" in uris
    assert "ctype::FlowstepVariant/cname::ErrorEventSubProcessTemplate/version::1.1.0" in uris


def test_same_parameters_types_values_and_references(pair):
    built, real = pair
    prop = "src/main/resources/parameters.prop"
    mine = javaprops.load((built / prop).read_text("latin-1"))
    theirs = javaprops.load((real / prop).read_text("latin-1"))
    assert mine == theirs
    assert _propdef(built) == _propdef(real)


def test_same_shape_of_process_and_diagram(pair):
    built, real = pair

    def shape(folder: Path) -> tuple:
        root = etree.parse(str(next((folder / IFLW).glob("*.iflw")))).getroot()
        count = lambda xp: len(root.xpath(xp, namespaces={**NS, "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI"}))
        return (count("//bpmn2:participant"), count("//bpmn2:messageFlow"), count("//bpmn2:sequenceFlow"),
                count("//bpmn2:callActivity"), count("//bpmn2:subProcess"), count("//bpmndi:BPMNShape"),
                count("//bpmndi:BPMNEdge"))

    assert shape(built) == shape(real)
