"""The .iflw is serialized like a tenant export and its diagram is complete and readable."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from generator.lint import lint_files
from generator.package.artifact import read_dir

DI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
NS = {"bpmn2": "http://www.omg.org/spec/BPMN/20100524/MODEL", "bpmndi": DI, "dc": DC,
      "ifl": "http:///com.sap.ifl.model/Ifl.xsd"}


@pytest.fixture(scope="module")
def documents(product_build, fixture_builds, iflws):
    paths = [p for r in (product_build, *fixture_builds.values()) for p in iflws(r)]
    assert len(paths) >= 8
    return [(p, p.read_bytes()) for p in paths]


def test_export_serialization(documents):
    for path, data in documents:
        text = data.decode("utf-8")
        assert text.startswith('<?xml version="1.0" encoding="UTF-8"?><bpmn2:definitions '), path
        assert not text.endswith("\n") and "\r" not in text
        assert 'xmlns:ifl="http:///com.sap.ifl.model/Ifl.xsd"' in text.split("\n", 1)[0]
        for line in text.split("\n")[1:]:
            indent = len(line) - len(line.lstrip(" "))
            assert indent % 4 == 0 or not line.lstrip().startswith("<"), f"{path}: {line!r}"
        for tag in re.findall(r"<[a-zA-Z][^>]*?>", text):
            attrs = re.findall(r' ([a-zA-Z:]+)="', tag)
            if not tag.startswith("<bpmn2:definitions"):
                assert attrs == sorted(attrs), f"{path}: attributes not alphabetical in {tag}"
        assert "<value></value>" not in text


def test_well_formed_and_diagram_complete(documents):
    for path, data in documents:
        root = etree.fromstring(data)
        shapes = {s.get("bpmnElement"): s for s in root.iterfind(".//bpmndi:BPMNShape", NS)}
        edges = {e.get("bpmnElement") for e in root.iterfind(".//bpmndi:BPMNEdge", NS)}
        elements = root.xpath("//bpmn2:participant | //bpmn2:process//*[self::bpmn2:startEvent or "
                              "self::bpmn2:endEvent or self::bpmn2:callActivity or self::bpmn2:serviceTask "
                              "or self::bpmn2:exclusiveGateway or self::bpmn2:subProcess]", namespaces=NS)
        for element in elements:
            assert element.get("id") in shapes, f"{path.name}: no shape for {element.get('id')}"
        for flow in root.xpath("//bpmn2:sequenceFlow | //bpmn2:messageFlow", namespaces=NS):
            assert flow.get("id") in edges, f"{path.name}: no edge for {flow.get('id')}"


def _box(shape):
    b = shape.find("dc:Bounds", NS)
    return tuple(float(b.get(k)) for k in ("x", "y", "width", "height"))


def test_layout_reads_left_to_right_without_overlaps(documents):
    for path, data in documents:
        root = etree.fromstring(data)
        shapes = {s.get("bpmnElement"): _box(s) for s in root.iterfind(".//bpmndi:BPMNShape", NS)}
        pools = {p.get("processRef"): shapes[p.get("id")] for p in root.iterfind(".//bpmn2:participant[@processRef]", NS)}
        for process in root.iterfind("bpmn2:process", NS):
            px, py, pw, ph = pools[process.get("id")]
            nodes = [n for n in process.iter() if n.get("id") in shapes and n is not process]
            boxes = [shapes[n.get("id")] for n in nodes]
            for x, y, w, h in boxes:
                assert px <= x and x + w <= px + pw and py <= y and y + h <= py + ph, f"{path.name}: outside its pool"
            for sub in process.iter(f"{{{NS['bpmn2']}}}subProcess"):
                sx, sy, sw, sh = shapes[sub.get("id")]
                for child in sub:
                    if child.get("id") in shapes:
                        x, y, w, h = shapes[child.get("id")]
                        assert sx <= x and x + w <= sx + sw and sy <= y and y + h <= sy + sh
            top = [shapes[n.get("id")] for n in process if n.get("id") in shapes]
            for i, a in enumerate(top):
                for b in top[i + 1:]:
                    overlap = a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]
                    assert not overlap, f"{path.name}: shapes overlap {a} {b}"
            # every sequence flow inside a process goes left to right
            for flow in process.iterfind(".//bpmn2:sequenceFlow", NS):
                assert shapes[flow.get("sourceRef")][0] < shapes[flow.get("targetRef")][0], flow.get("id")
        starts = [shapes[s.get("id")] for s in root.iterfind("bpmn2:process/bpmn2:startEvent", NS)]
        senders = [shapes[p.get("id")] for p in root.iterfind(".//bpmn2:participant[@ifl:type='EndpointSender']", NS)]
        for sender in senders:
            assert sender[0] + sender[2] <= min(s[0] for s in starts), "senders sit left of the flow"


def test_generated_artifacts_are_lint_clean(product_build, fixture_builds):
    for result in (product_build, *fixture_builds.values()):
        for artifact in result.artifacts:
            findings = lint_files(read_dir(artifact.folder), artifact.id)
            unexpected = [f for f in findings if "never used" not in f.message]
            assert not unexpected, "\n".join(map(str, unexpected))
