"""MANIFEST wrapping, properties escaping, propdef and value mapping formats."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from generator.model.iflow import Parameter, ParamReference
from generator.render import javaprops, manifest, parameters, value_mapping


def test_manifest_wraps_at_72_bytes_counting_bytes():
    data = manifest.wrap("Bundle-Name", "Überweisung " * 10)
    lines = data.split(b"\r\n")[:-1]
    assert all(len(line) <= 72 for line in lines)
    assert all(line.startswith(b" ") for line in lines[1:])
    assert b"".join([lines[0]] + [l[1:] for l in lines[1:]]).decode() == "Bundle-Name: " + "Überweisung " * 10
    assert manifest.wrap("A", "b") == b"A: b\r\n"
    assert len(manifest.wrap("X", "y" * 69).split(b"\r\n")[0]) == 72


@pytest.mark.reference
def test_manifest_round_trips_real_exports(reference: Path):
    checked = 0
    for path in (reference / "iflows").glob("*/META-INF/MANIFEST.MF"):
        data = path.read_bytes()
        if b"\r\n" in data and max(len(l) for l in data.split(b"\r\n")) == 72:
            assert manifest.render(manifest.parse(data)) == data, path
            checked += 1
    assert checked >= 10


@pytest.mark.reference
def test_value_mapping_manifest_and_project_match_export(reference: Path):
    real = reference / "iflows" / "amazon-value-mapping"
    headers = manifest.value_mapping_headers(name="Value Mapping for Amazon accelerators",
                                             symbolic_name="Value_Mapping_for_Amazon_accelerators",
                                             version="1.0.0", modified_ms=1767866730761)
    assert manifest.render(headers) == (real / "META-INF/MANIFEST.MF").read_bytes()


@pytest.mark.reference
def test_value_mapping_xml_has_the_export_shape(reference: Path):
    real = etree.parse(str(reference / "iflows/amazon-value-mapping/value_mapping.xml")).getroot()
    group = value_mapping.Group(value_mapping.Entry("SAP", "RejReasonSAP", "Z0"),
                                value_mapping.Entry("AMAZON", "RejReasonAmazon", "ORDERED_BY_MISTAKE"))
    mine = etree.fromstring(value_mapping.render([group]))
    assert mine.tag == real.tag and mine.attrib == real.attrib
    real_group = real.find("group")
    assert [c.tag for c in mine.find("group")] == [c.tag for c in real_group]
    assert [c.tag for c in mine.find("group/entry")] == [c.tag for c in real_group.find("entry")]
    assert len(group.id) == 32 and int(group.id, 16) >= 0
    assert value_mapping.render([group]).startswith(b'<vm version="2.0"><group id=')


def test_properties_reading_follows_java():
    text = ("#Thu Jan 08 09:56:48 UTC 2026\nLog\\ Event\\ Title=Log Return Event\nkey\\:x = a\\\n    b\n"
            "u=\\u00e9\n! bang comment\nempty=\r\nsep\t: value  \nequals==x\nodd=a\\\\\\\nb\nlater=1\nlater=2\n")
    assert javaprops.load(text) == {"Log Event Title": "Log Return Event", "key:x": "ab", "u": "é", "empty": "",
                                     "sep": "value  ", "equals": "=x", "odd": "a\\b", "later": "2"}
    # literal values: no interpolation (flashpipe up to 3.5.0 emptied ${...}, engswee/flashpipe#43)
    assert javaprops.load("cond=${property.next} \\!\\= ''") == {"cond": "${property.next} != ''"}


def test_properties_escaping_like_java():
    assert javaprops.escape("S4 Address", key=True) == r"S4\ Address"
    assert javaprops.escape("http://h:443/x=1#!", key=False) == r"http\://h\:443/x\=1\#\!"
    assert javaprops.escape(" lead and trail ", key=False) == r"\ lead and trail "
    assert javaprops.escape("Ärger", key=False) == r"\u00C4rger"
    assert javaprops.date_line(1767865884998) == "#Thu Jan 08 09:51:24 UTC 2026"
    pairs = [("a b", "c:d"), ("Scheduler", "<row><cell>x</cell><cell>&amp;</cell></row>"), ("e", "")]
    assert javaprops.load(javaprops.store(pairs, 0).decode("ascii")) == dict(pairs)


@pytest.mark.reference
def test_properties_reader_reads_real_exports(reference: Path):
    prop = reference / "iflows/amazon-create-fulfillment-order/src/main/resources/parameters.prop"
    values = javaprops.load(prop.read_text("latin-1"))
    assert values["S4 Address"] == "http://s4hdevci.rise-demo.sap.aws.dev:443"
    assert values["Amazon BwP Retry Interval (in seconds)"] == "15"
    assert javaprops.store(list(values.items()), 1767865856000).decode().splitlines()[1:] == \
        [l for l in prop.read_text("latin-1").splitlines()[1:]]


def test_propdef_format():
    params = {
        "S4 Address": Parameter("S4 Address", "string", "x", references=[ParamReference(
            "S4.Receiver.System", "ctype::AdapterVariant/cname::HCIOData/attrId::address", "Address")]),
        "Flag": Parameter("Flag", "boolean", "true", "a <flag>", combobox=False),
    }
    text = parameters.render_propdef(params).decode()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8" standalone="no"?><parameters><parameter>\n    <key/>')
    assert "<description>a &lt;flag&gt;</description>" in text
    assert "<additionalMetadata>\n      <isCombobox>false</isCombobox>\n    </additionalMetadata>" in text
    assert text.endswith('param_key="S4 Address"/></param_references></parameters>')
    assert parameters.render_propdef({}).endswith(b"<parameters><param_references/></parameters>")
    root = etree.fromstring(parameters.render_propdef(params))
    assert [p.findtext("type") for p in root.findall("parameter")] == ["xsd:string", "xsd:boolean"]


def test_option_reference_in_docs_is_current(root):
    from generator import docs
    text = (root / "docs" / "generator.md").read_text(encoding="utf-8")
    assert docs.render(text) == text, "run `python -m generator.docs` to refresh docs/generator.md"
